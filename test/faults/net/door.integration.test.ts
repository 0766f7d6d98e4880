import { Agent, get } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNetFaults, type NetFaultEvent, refused } from '../../../registry-stubs/faults/net/index.ts';
import {
  type CertificateAuthority,
  type CertificateVariants,
  certificateVariants,
  createCertificateAuthority,
} from '../../../registry-stubs/tls/index.ts';
import { blobServer, doorFor, eventsOf, request } from './helpers.ts';

let ca: CertificateAuthority;
let variants: CertificateVariants;
beforeAll(async () => {
  ca = await createCertificateAuthority();
  variants = await certificateVariants(ca, {
    hosts: ['localhost'],
    ips: ['127.0.0.1', '127.0.0.2', '127.0.0.3'],
  });
});
const server = blobServer();
afterAll(() => server.close());

describe('front door', () => {
  it('hands plain connections to the HTTP server, which sees the real client address', async () => {
    await using door = await doorFor(server);
    expect(door.url).toBe(`http://127.0.0.1:${door.port}`);
    const outcome = await request(`${door.url}/`);
    expect(outcome).toMatchObject({ ok: true, status: 200, body: 'ok 127.0.0.1 plain' });
  });

  it('serves TLS itself, so a plain http.Server answers https', async () => {
    await using door = await doorFor(server, { tls: variants.valid });
    expect(door.url.startsWith('https://')).toBe(true);
    const outcome = await request(`${door.url}/blob?size=300000`, { ca: ca.certPem });
    expect(outcome).toMatchObject({ ok: true, status: 200, bytes: 300_000 });
  });

  it('listens per node on its own loopback address (127.0.0.2, 127.0.0.3 work on Linux)', async () => {
    await using a = await doorFor(server, { host: '127.0.0.2', name: 'node-a' });
    await using b = await doorFor(server, { host: '127.0.0.3', name: 'node-b' });
    expect((await request(`${a.url}/`)).body).toBe('ok 127.0.0.1 plain');
    expect(b.url).toMatch(/^http:\/\/127\.0\.0\.3:\d+$/);
    expect((await request(`${b.url}/`)).ok).toBe(true);
  });

  it('switches certificates for new connections only; an open keep-alive connection keeps its own', async () => {
    await using door = await doorFor(server, { tls: variants.valid });
    const agent = new Agent({ keepAlive: true, maxSockets: 1, ca: ca.certPem });
    const viaAgent = () =>
      new Promise<{ status?: number; reused: boolean }>((resolve, reject) => {
        const req = get(`${door.url}/`, { agent }, (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode, reused: req.reusedSocket }));
        });
        req.on('error', reject);
      });
    expect(await viaAgent()).toEqual({ status: 200, reused: false });
    door.setTls(variants.expired);
    expect(await viaAgent()).toEqual({ status: 200, reused: true });
    expect((await request(`${door.url}/`, { ca: ca.certPem })).code).toBe('CERT_HAS_EXPIRED');
    door.setTls(undefined);
    expect(door.url.startsWith('http://')).toBe(true);
    expect((await request(`${door.url}/`)).ok).toBe(true);
    agent.destroy();
  });

  it('reports applied, cleared and hit events with timestamps', async () => {
    const events: NetFaultEvent[] = [];
    await using door = await doorFor(server, { name: 'node-x' }, events);
    const id = await door.faults.apply(refused());
    await door.faults.clear(id);
    expect(events.map((e) => e.kind)).toEqual(['fault.applied', 'fault.cleared']);
    expect(eventsOf(events, 'fault.applied')[0]).toMatchObject({
      id: 'refused-1',
      fault: 'refused',
      options: { existing: 'reset' },
      scope: { probability: 1 },
    });
    for (const e of events) expect(Date.parse(e.time)).toBeGreaterThan(Date.now() - 10_000);
  });

  it('shares one controller across doors; a scope picks endpoints by name', async () => {
    const events: NetFaultEvent[] = [];
    const faults = createNetFaults({ onEvent: (e) => events.push(e) });
    await using a = await doorFor(server, { host: '127.0.0.2', name: 'node-a', faults });
    await using b = await doorFor(server, { host: '127.0.0.3', name: 'node-b', faults });
    const id = await faults.apply(refused({ endpoints: ['node-a'] }));
    expect((await request(`${a.url}/`)).code).toBe('ECONNREFUSED');
    expect((await request(`${b.url}/`)).ok).toBe(true);
    await faults.clear(id);
    expect((await request(`${a.url}/`)).ok).toBe(true);
  });

  it('closes: stops listening and drops open connections', async () => {
    const door = await doorFor(server);
    const pending = request(`${door.url}/blob?size=50000000`);
    await new Promise((r) => setTimeout(r, 50));
    await door.close();
    expect((await pending).ok).toBe(false);
    expect((await request(`${door.url}/`)).code).toBe('ECONNREFUSED');
  });

  it('rejects bad options with every problem named', async () => {
    await expect(doorFor(server, { port: 70000, handshakeTimeoutMs: -1 })).rejects.toThrow(
      'createFrontDoor: port must be an integer in [0, 65535], got 70000; handshakeTimeoutMs must be a number in [1, 600000], got -1',
    );
    await expect(doorFor(server, { tls: { certPem: 'x', keyPem: 'y' } })).rejects.toThrow(TypeError);
  });
});
