/**
 * `pullstorm serve --tls-cert FILE --tls-key FILE [--tls-ca FILE [--tls-ca-key FILE]]` with files
 * made by registry-stubs/tls, as a Kubernetes TLS Secret mounts them: proven with real clients (Node
 * https trusting the CA, skopeo with `--cert-dir`, curl with `--cacert`), the TLS certificate faults
 * with and without the CA's key, and every wrong input refused with exit 2 before anything listens.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { get } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { directAccess } from '../../harness/backends/remote-stub.ts';
import { createControlClient } from '../../registry-stubs/faults/client.ts';
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
  let caKeyFile: string;
  let otherCaKeyFile: string;
  let rsaKeyFile: string;
  /** The certificate, its key and the CA that signed it, as flags. */
  const withCa = () => ['--tls-cert', files.certFile, '--tls-key', files.keyFile, '--tls-ca', files.caFile];

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
    caKeyFile = join(work, 'mine', 'ca.key');
    await writeFile(caKeyFile, ca.keyPem, { mode: 0o600 });
    otherCaKeyFile = join(work, 'other', 'ca.key');
    await writeFile(otherCaKeyFile, otherCa.keyPem, { mode: 0o600 });
    rsaKeyFile = join(work, 'rsa.key');
    await run('openssl', ['genpkey', '-algorithm', 'RSA', '-out', rsaKeyFile]);
    serve = await startServeProcess([
      ...['--port', '0', ...withCa(), '--control-token', 'sekrit'],
      ...['--large-size', '1024', '--large-layers', '1'],
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

  it('TLS certificate faults: without --tls-ca-key only tls-unknown-ca applies, the others name the flag; with it skopeo sees them', async () => {
    const caPem = await readFile(files.caFile, 'utf8');
    const controlOf = (s: ServeProcess) =>
      createControlClient({
        url: s.ready.controlUrl!,
        token: 'sekrit',
        fetch: directAccess({ url: s.ready.controlUrl!, caPem }).fetch,
      });
    const skopeo = (port: number) =>
      run('skopeo', [
        '--insecure-policy',
        'inspect',
        '--raw',
        '--cert-dir',
        files.certDir,
        `docker://localhost:${port}/pullstorm/tiny:1.0`,
      ]).then(
        () => 'ok',
        (e: { stderr: string }) => e.stderr,
      );
    const keyless = controlOf(serve);
    await expect(keyless.apply({ fault: 'tls-expired' })).rejects.toThrow(
      "tls-expired serves the 'expired' certificate variant, which this registry does not have; pullstorm serve issues it with the CA's private key: start it with --tls-ca-key FILE (the key of --tls-ca)",
    );
    await keyless.apply({ fault: 'tls-unknown-ca', id: 'untrusted' });
    expect(await skopeo(serve.ready.port)).toContain('x509: certificate signed by unknown authority');
    await keyless.clear('untrusted');
    expect(await skopeo(serve.ready.port)).toBe('ok');

    await using keyed = await startServeProcess([
      ...['--port', '0', ...withCa(), '--tls-ca-key', caKeyFile],
      ...['--control-token', 'sekrit', '--no-fixtures'],
    ]);
    const withKey = controlOf(keyed);
    for (const [fault, text] of [
      ['tls-expired', 'x509: certificate has expired or is not yet valid'],
      ['tls-wrong-host', 'x509: certificate is valid for wrong.pullstorm.invalid, not localhost'],
    ] as const) {
      const applied = await withKey.apply({ fault });
      // The fault's certificate copies the names of the served one and is signed by the same CA.
      expect(applied.options).toMatchObject({ issuer: 'CN=files test CA\nO=pullstorm' });
      expect(await skopeo(keyed.ready.port)).toContain(text);
      await withKey.clear(applied.id);
    }
    expect(await skopeo(keyed.ready.port)).toContain('manifest unknown');
  }, 60_000);

  it.each([
    [
      'a CA key without the CA',
      () => ['--tls-cert', files.certFile, '--tls-key', files.keyFile, '--tls-ca-key', caKeyFile],
      /--tls-ca-key: expected --tls-ca with the CA certificate too, got none/,
    ],
    [
      "another CA's key",
      () => [...withCa(), '--tls-ca-key', otherCaKeyFile],
      /--tls-ca-key: expected the private key of the --tls-ca certificate \(CN=files test CA, O=pullstorm\), got \S+other\/ca\.key, a key that does not match it/,
    ],
    [
      'an RSA CA key',
      () => [...withCa(), '--tls-ca-key', rsaKeyFile],
      /--tls-ca-key: expected an ECDSA P-256 key \(the fault certificates are signed with ECDSA SHA-256\), got \S+rsa\.key, an RSA key/,
    ],
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
