import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bandwidth, blackhole, type NetFaultEvent } from '../../../registry-stubs/faults/net/index.ts';
import {
  type CertificateAuthority,
  type CertificateVariants,
  certificateVariants,
  createCertificateAuthority,
} from '../../../registry-stubs/tls/index.ts';
import { blobServer, curl, doorFor, eventsOf, request } from './helpers.ts';

const server = blobServer();
afterAll(() => server.close());
let ca: CertificateAuthority;
let variants: CertificateVariants;
beforeAll(async () => {
  ca = await createCertificateAuthority();
  variants = await certificateVariants(ca, { hosts: ['localhost'], ips: ['127.0.0.1'] });
});

/** Whether a raw TCP connect completes within `ms`: 'connected', 'timeout' or the error code. */
function tryConnect(host: string, port: number, ms: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve('timeout');
    }, ms);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve(err.code ?? 'error');
    });
  });
}

describe('blackhole, syn-drop', () => {
  it('leaves SYNs unanswered: connect never completes, then listens again on the same port when cleared', async () => {
    await using door = await doorFor(server, { host: '127.0.0.2' });
    const id = await door.faults.apply(blackhole());
    expect(await tryConnect('127.0.0.2', door.port, 1000)).toBe('timeout');
    const outcome = await request(`${door.url}/`, { timeoutMs: 700 });
    expect(outcome).toMatchObject({ ok: false, code: 'CLIENT_TIMEOUT' });
    expect(outcome.ms).toBeGreaterThanOrEqual(650);
    await door.faults.clear(id);
    expect(await tryConnect('127.0.0.2', door.port, 1000)).toBe('connected');
    expect((await request(`${door.url}/`)).ok).toBe(true);
  });

  it('stalls open connections until cleared, then they finish (with bandwidth active at once)', async () => {
    const events: NetFaultEvent[] = [];
    await using door = await doorFor(server, {}, events);
    await door.faults.apply(bandwidth({ bytesPerSecond: 4_000_000 }));
    const pending = request(`${door.url}/blob?size=3000000`, { timeoutMs: 10_000 });
    // Wait until the door holds the connection (bandwidth touched it), not a fixed time: on a busy
    // machine the connect can take longer than any sleep we would pick.
    for (let i = 0; i < 100 && eventsOf(events, 'fault.hit').length === 0; i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const id = await door.faults.apply(blackhole());
    expect(eventsOf(events, 'fault.hit').map((e) => e.fault)).toEqual(['bandwidth', 'blackhole']);
    const done = await Promise.race([pending, new Promise((r) => setTimeout(() => r('still stalled'), 800))]);
    expect(done).toBe('still stalled');
    await door.faults.clear(id);
    expect(await pending).toMatchObject({ ok: true, bytes: 3_000_000 });
  });

  it('touches only its endpoint, and curl times out connecting (exit 28)', async () => {
    await using a = await doorFor(server, { host: '127.0.0.2' });
    await using b = await doorFor(server, { host: '127.0.0.3' });
    await a.faults.apply(blackhole());
    expect((await request(`${b.url}/`)).ok).toBe(true);
    const result = await curl(`${a.url}/`, ['--connect-timeout', '1']);
    expect(result.exitCode).toBe(28);
    expect(result.stderr).toMatch(/Timeout was reached|timed out/i);
  });
});

describe('blackhole, stall', () => {
  it('accepts and never answers: a TLS client times out in the handshake; clearing releases it', async () => {
    await using door = await doorFor(server, { tls: variants.valid });
    const id = await door.faults.apply(blackhole({ mode: 'stall' }));
    expect(await tryConnect('127.0.0.1', door.port, 1000)).toBe('connected');
    const outcome = await request(`${door.url}/`, { ca: ca.certPem, timeoutMs: 600 });
    expect(outcome).toMatchObject({ ok: false, code: 'CLIENT_TIMEOUT' });
    const held = request(`${door.url}/`, { ca: ca.certPem, timeoutMs: 5000 });
    await new Promise((r) => setTimeout(r, 200));
    await door.faults.clear(id);
    expect(await held).toMatchObject({ ok: true, status: 200 });
  });

  it('takes probability and maxCount (syn-drop does not)', async () => {
    await using door = await doorFor(server);
    await door.faults.apply(blackhole({ mode: 'stall', maxCount: 1 }));
    expect((await request(`${door.url}/`, { timeoutMs: 400 })).code).toBe('CLIENT_TIMEOUT');
    expect((await request(`${door.url}/`)).ok).toBe(true);
    expect(() => blackhole({ maxCount: 1 })).toThrow(/maxCount needs a connection/);
  });
});
