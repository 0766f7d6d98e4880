/**
 * Connection and TLS faults on `pullstorm serve` as a real process, proven with real clients: the
 * registry port is a front door, the control listener (`controlUrl`) is out of the faults' reach.
 * Faults are applied with `pullstorm fault` itself (trusting the generated CA with `--ca`), pulls are skopeo's (Go, as containerd) and Node https trusting the CA.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { get } from 'node:https';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeedPage } from '../../registry-stubs/feed.ts';
import { type ServeProcess, startServeProcess } from '../helpers/serve-process.ts';

const run = promisify(execFile);

describe('pullstorm serve: connection and TLS faults', () => {
  let work: string;
  let serve: ServeProcess;
  let ca: string;
  let certDir: string;

  /** `pullstorm fault …` against `url`; never rejects. */
  const fault = (url: string, ...args: string[]) =>
    run(
      process.execPath,
      [
        'harness/cli/main.ts',
        'fault',
        ...args,
        '--url',
        url,
        '--token',
        'sekrit',
        '--ca',
        serve.ready.caFile!,
      ],
      { timeout: 30_000 },
    ).then(
      (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({
        code: e.code,
        stdout: e.stdout,
        stderr: e.stderr,
      }),
    );
  /** skopeo inspect of pullstorm/tiny by host name: 'ok' or its error text. */
  const skopeo = (host = 'localhost') =>
    run('skopeo', [
      '--insecure-policy',
      'inspect',
      '--raw',
      '--cert-dir',
      certDir,
      `docker://${host}:${serve.ready.port}/pullstorm/tiny:1.0`,
    ]).then(
      () => 'ok',
      (e: { stderr: string }) => e.stderr,
    );
  /** Node https GET trusting the CA, on a fresh connection (no kept-alive socket a fault reset): the status, or the error code. */
  const https = (url: string, headers: Record<string, string> = {}) =>
    new Promise<string>((resolve) => {
      get(url, { ca, headers, agent: false }, (res) => {
        res.resume();
        resolve(String(res.statusCode));
      }).on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
    });
  const token = { 'X-Pullstorm-Control-Token': 'sekrit' };

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'pullstorm-serve-faults-'));
    serve = await startServeProcess([
      ...['--port', '0', '--tls', '--tls-dir', join(work, 'tls'), '--control-token', 'sekrit'],
      ...['--large-size', '1024', '--large-layers', '1'],
    ]);
    ca = await readFile(serve.ready.caFile!, 'utf8');
    certDir = join(work, 'tls', 'client');
  }, 60_000);
  afterAll(async () => {
    await serve?.stop();
    await rm(work, { recursive: true, force: true });
  });

  it('the ready line names a control listener on its own port, serving the control API and the feed only', async () => {
    const control = new URL(serve.ready.controlUrl!);
    expect(control.protocol).toBe('https:');
    expect(Number(control.port)).not.toBe(serve.ready.port);
    expect(await https(`${serve.ready.controlUrl}/_pullstorm/faults`, token)).toBe('200');
    expect(await https(`${serve.ready.controlUrl}/_pullstorm/faults`)).toBe('401');
    expect(await https(`${serve.ready.controlUrl}/v2/`)).toBe('404');
    // As before the control listener: the registry port still answers the control API.
    expect(await https(`${serve.ready.url}/_pullstorm/faults`, token)).toBe('200');
  });

  it('refused: skopeo is refused on the registry port while the control port answers; cleared, skopeo copies the image', async () => {
    const control = serve.ready.controlUrl!;
    expect(await skopeo()).toBe('ok');
    expect(await fault(control, 'apply', 'refused', '--id', 'down')).toMatchObject({
      code: 0,
      stdout: 'down\n',
    });
    expect(await skopeo()).toMatch(
      new RegExp(`dial tcp (127\\.0\\.0\\.1|\\[::1\\]):${serve.ready.port}: connect: connection refused`),
    );
    expect(await https(`${serve.ready.url}/v2/`)).toBe('ECONNREFUSED');
    // The registry port's copy of the control API is refused too; the control listener is not.
    expect((await fault(serve.ready.url, 'list')).stderr).toContain('connect ECONNREFUSED');
    const listed = await fault(control, 'list', '--json');
    expect(JSON.parse(listed.stdout)).toMatchObject([{ id: 'down', fault: 'refused', where: 'TCP layer' }]);
    expect(await fault(control, 'clear', 'down')).toMatchObject({ code: 0, stdout: 'down\n' });

    const dir = join(work, 'copy');
    await run('skopeo', [
      '--insecure-policy',
      'copy',
      '--src-cert-dir',
      certDir,
      `docker://localhost:${serve.ready.port}/pullstorm/tiny:1.0`,
      `dir:${dir}`,
    ]);
    expect((await readdir(dir)).length).toBeGreaterThanOrEqual(3);
    // The feed, read at the control listener, has the fault's life.
    const page = await new Promise<FeedPage>((resolve, reject) =>
      get(`${control}/_pullstorm/events`, { ca, headers: token }, (res) => {
        let body = '';
        res.on('data', (d) => {
          body += d;
        });
        res.on('end', () => resolve(JSON.parse(body) as FeedPage));
      }).on('error', reject),
    );
    const changes = page.events.flatMap((e) =>
      (e.kind === 'fault.applied' || e.kind === 'fault.cleared') && e.id === 'down' ? [e.kind] : [],
    );
    expect(changes).toEqual(['fault.applied', 'fault.cleared']);
  }, 60_000);

  it('blackhole: connects to the registry port time out while the control port answers', async () => {
    const control = serve.ready.controlUrl!;
    expect(await fault(control, 'apply', 'blackhole', '--id', 'silent')).toMatchObject({ code: 0 });
    const connected = await new Promise<string>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port: serve.ready.port });
      socket.setTimeout(1500, () => {
        socket.destroy();
        resolve('timeout');
      });
      socket.once('connect', () => {
        socket.destroy();
        resolve('connected');
      });
      socket.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
    });
    expect(connected).toBe('timeout');
    expect(await https(`${control}/_pullstorm/faults`, token)).toBe('200');
    expect(await fault(control, 'clear', 'silent')).toMatchObject({ code: 0 });
    expect(await skopeo()).toBe('ok');
  }, 60_000);

  it.each([
    ['tls-expired', 'localhost', 'x509: certificate has expired or is not yet valid', 'CERT_HAS_EXPIRED'],
    [
      'tls-unknown-ca',
      'localhost',
      'x509: certificate signed by unknown authority',
      'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    ],
    [
      'tls-wrong-host',
      'localhost',
      'x509: certificate is valid for wrong.pullstorm.invalid, not localhost',
      'ERR_TLS_CERT_ALTNAME_INVALID',
    ],
    [
      'tls-no-ip-san',
      '127.0.0.1',
      "x509: cannot validate certificate for 127.0.0.1 because it doesn't contain any IP SANs",
      'ERR_TLS_CERT_ALTNAME_INVALID',
    ],
  ])(
    '%s: skopeo and Node https trusting the CA see it at the registry port; the control port keeps its certificate',
    async (name, host, goText, nodeCode) => {
      const control = serve.ready.controlUrl!;
      expect(await fault(control, 'apply', name, '--id', name)).toMatchObject({ code: 0 });
      expect(await skopeo(host)).toContain(goText);
      expect(await https(`https://${host}:${serve.ready.port}/v2/`)).toBe(nodeCode);
      expect(await https(`${control}/_pullstorm/faults`, token)).toBe('200');
      expect(await fault(control, 'clear', name)).toMatchObject({ code: 0 });
      expect(await skopeo(host)).toBe('ok');
    },
    60_000,
  );
});

describe('pullstorm serve: TLS faults without the certificates for them', () => {
  it('plain HTTP: certificate faults are not applicable, naming --tls', async () => {
    await using serve = await startServeProcess([
      '--port',
      '0',
      '--control-token',
      'sekrit',
      '--large-size',
      '1024',
    ]);
    expect(serve.ready.controlUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const result = await run(
      process.execPath,
      [
        'harness/cli/main.ts',
        'fault',
        'apply',
        'tls-expired',
        '--url',
        serve.ready.controlUrl!,
        '--token',
        'sekrit',
      ],
      { timeout: 30_000 },
    ).catch((e: { code: number; stderr: string }) => e);
    expect(result).toMatchObject({
      code: 2,
      stderr: expect.stringContaining(
        "tls-expired serves the 'expired' certificate variant, which this registry does not have; this registry serves plain HTTP: start pullstorm serve with --tls",
      ),
    });
  });
});
