/**
 * `pullstorm serve --tls-cert FILE --tls-key FILE [--tls-ca FILE]` with files made by
 * registry-stubs/tls, as a Kubernetes TLS Secret mounts them: proven with real clients (Node https
 * trusting the CA, skopeo with `--cert-dir`, curl with `--cacert`), and every wrong input refused
 * with exit 2 before anything listens.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { get } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeedPage } from '../../registry-stubs/feed.ts';
import {
  createCertificateAuthority,
  issueCertificate,
  type TlsFiles,
  writeTlsFiles,
} from '../../registry-stubs/tls/index.ts';
import { type ServeProcess, startServeProcess } from '../helpers/serve-process.ts';

const run = promisify(execFile);
const cli = (...args: string[]) =>
  run(process.execPath, ['harness/cli/main.ts', 'serve', '--port', '0', ...args], { timeout: 30_000 }).then(
    (r) => ({ code: 0, stderr: r.stderr }),
    (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }),
  );

describe('pullstorm serve with certificate files', () => {
  let work: string;
  let files: TlsFiles;
  let other: TlsFiles;
  let serve: ServeProcess;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'pullstorm-serve-tls-'));
    const ca = await createCertificateAuthority({ commonName: 'files test CA' });
    const leaf = await issueCertificate(ca, { hosts: ['localhost'], ips: ['127.0.0.1'] });
    files = await writeTlsFiles(join(work, 'mine'), { ca, leaf });
    const otherCa = await createCertificateAuthority({ commonName: 'another CA' });
    other = await writeTlsFiles(join(work, 'other'), {
      ca: otherCa,
      leaf: await issueCertificate(otherCa),
    });
    serve = await startServeProcess([
      '--port',
      '0',
      '--tls-cert',
      files.certFile,
      '--tls-key',
      files.keyFile,
      '--tls-ca',
      files.caFile,
      '--control-token',
      'sekrit',
      '--large-size',
      '1024',
      '--large-layers',
      '1',
    ]);
  }, 60_000);
  afterAll(async () => {
    await serve?.stop();
    await rm(work, { recursive: true, force: true });
  });

  it('serves the given pair over HTTPS (no --tls needed); the ready line names the CA file', () => {
    expect(serve.ready).toMatchObject({ tls: true, caFile: files.caFile });
    expect(serve.ready.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  });

  it('Node https trusts it with that CA only, and sees the certificate from the file', async () => {
    const status = (ca?: string) =>
      new Promise<{ status?: number; subject?: string; error?: string }>((resolve) => {
        const req = get(`${serve.ready.url}/v2/`, ca ? { ca } : {}, (res) => {
          res.resume();
          resolve({
            status: res.statusCode!,
            subject: String((res.socket as TLSSocket).getPeerCertificate().subject?.CN),
          });
        });
        req.on('error', (e: NodeJS.ErrnoException) => resolve({ error: e.code! }));
      });
    expect(await status(await readFile(files.caFile, 'utf8'))).toEqual({ status: 200, subject: 'localhost' });
    expect(await status(await readFile(other.caFile, 'utf8'))).toEqual({
      error: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    });
  });

  it('skopeo pulls through it with --cert-dir, curl with --cacert, and the feed saw both', async () => {
    const ref = `docker://localhost:${serve.ready.port}/pullstorm/tiny:1.0`;
    const skopeo = (...args: string[]) =>
      run('skopeo', ['--insecure-policy', 'inspect', '--raw', ...args, ref]);
    await expect(skopeo()).rejects.toThrow(/x509: certificate signed by unknown authority/);
    await expect(skopeo('--cert-dir', other.certDir)).rejects.toThrow(
      /x509: certificate signed by unknown authority/,
    );
    const { stdout } = await skopeo('--cert-dir', files.certDir);
    expect(JSON.parse(stdout).schemaVersion).toBe(2);

    const url = `https://localhost:${serve.ready.port}/_pullstorm/events`;
    const curl = await run('curl', [
      '--silent',
      '--fail-with-body',
      '--cacert',
      files.caFile,
      '-H',
      'X-Pullstorm-Control-Token: sekrit',
      url,
    ]);
    const page = JSON.parse(curl.stdout) as FeedPage;
    const requests = page.events.filter((e) => e.kind === 'registry.request');
    expect(requests.some((e) => e.path === '/v2/pullstorm/tiny/manifests/1.0' && e.status === 200)).toBe(
      true,
    );
    expect(page.next).toBe(page.events.at(-1)!.seq);
    // Handshakes that failed never became requests; the feed's own call is not in it either.
    expect(page.events.every((e) => e.kind !== 'registry.request' || !e.path.startsWith('/_pullstorm'))).toBe(
      true,
    );
  });

  it.each([
    [
      'a missing file',
      () => ['--tls-cert', join(work, 'nope.crt'), '--tls-key', files.keyFile],
      /--tls-cert: expected a readable file with a PEM certificate, got \S+nope\.crt \(no such file\)/,
    ],
    [
      'a key that is not a certificate',
      () => ['--tls-cert', files.keyFile, '--tls-key', files.keyFile],
      /--tls-cert: expected a PEM certificate \(-----BEGIN CERTIFICATE-----\), got \S+tls\.key, which is not one/,
    ],
    [
      'a certificate given as the key',
      () => ['--tls-cert', files.certFile, '--tls-key', files.certFile],
      /--tls-key: expected a PEM private key .*, got \S+tls\.crt, which is not one/,
    ],
    [
      'a key of another certificate',
      () => ['--tls-cert', files.certFile, '--tls-key', other.keyFile],
      /--tls-key: expected the private key of the certificate in \S+mine\/tls\.crt \(CN=localhost, O=pullstorm\), got \S+other\/tls\.key, a key that does not match it/,
    ],
    [
      'a CA that did not sign it',
      () => ['--tls-cert', files.certFile, '--tls-key', files.keyFile, '--tls-ca', other.caFile],
      /--tls-ca: expected the CA that issued \S+mine\/tls\.crt \(issuer CN=files test CA, O=pullstorm\), got \S+other\/ca\.crt \(subject CN=another CA, O=pullstorm\), which did not sign it/,
    ],
    [
      'a key without a certificate',
      () => ['--tls-key', files.keyFile],
      /--tls-key: expected --tls-cert and --tls-key together, got only --tls-key/,
    ],
    [
      'a generated-certificate flag with files',
      () => ['--tls-cert', files.certFile, '--tls-key', files.keyFile, '--tls-san', 'x'],
      /--tls-san: these shape a generated certificate; with --tls-cert the file's own names are served, so expected neither, got --tls-san/,
    ],
  ])('refuses %s with exit 2, saying what was expected and given', async (_, args, message) => {
    const { code, stderr } = await cli(...args());
    expect(stderr).toMatch(message);
    expect(code).toBe(2);
  });

  // Root reads a mode-000 file, so this one runs only as another user.
  it.skipIf(process.getuid?.() === 0)('an unreadable key file says permission denied', async () => {
    const locked = join(work, 'locked.key');
    await writeFile(locked, 'x', { mode: 0o000 });
    const { code, stderr } = await cli('--tls-cert', files.certFile, '--tls-key', locked);
    expect([code, stderr]).toEqual([2, expect.stringMatching(/permission denied/)]);
  });
});
