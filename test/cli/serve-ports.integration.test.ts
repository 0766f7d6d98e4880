/**
 * `pullstorm serve` refusing ports and addresses it cannot listen on, as the user's mistake (exit 2)
 * naming the flag, what was expected and what was given: a `--port` or `--control-port` another
 * socket holds (a real net.Server occupies it), and a `--host` that is no address of this machine.
 */
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const serve = (...args: string[]) =>
  run(process.execPath, ['harness/cli/main.ts', 'serve', '--no-fixtures', ...args], { timeout: 30_000 }).then(
    (r) => ({ code: 0, stderr: r.stderr }),
    (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }),
  );

describe('pullstorm serve on a port it cannot have', () => {
  let busy: Server;
  let port: number;

  beforeAll(async () => {
    busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    port = (busy.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => busy.close(() => resolve())));

  it('a busy --port exits 2 naming --port', async () => {
    const { code, stderr } = await serve('--port', String(port));
    expect([code, stderr]).toEqual([
      2,
      `pullstorm: --port: expected a free port on 127.0.0.1, got ${port} (in use)\n`,
    ]);
  });

  it('a busy --control-port exits 2 naming --control-port', async () => {
    // The registry listens first on a free port; the control listener then fails.
    const { code, stderr } = await serve(
      '--port',
      '0',
      '--control-token',
      't',
      '--control-port',
      String(port),
    );
    expect([code, stderr]).toEqual([
      2,
      `pullstorm: --control-port: expected a free port on 127.0.0.1, got ${port} (in use)\n`,
    ]);
  });

  it('a --host that is no address of this machine exits 2 naming --host', async () => {
    // 192.0.2.1 is TEST-NET-1 (RFC 5737): assigned to no interface here.
    const { code, stderr } = await serve('--host', '192.0.2.1', '--port', '0');
    expect([code, stderr]).toEqual([
      2,
      'pullstorm: --host: expected an address of this machine, got 192.0.2.1 (not available)\n',
    ]);
  });
});
