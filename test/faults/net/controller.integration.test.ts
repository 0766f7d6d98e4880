import { afterAll, describe, expect, it } from 'vitest';
import {
  blackhole,
  createNetFaults,
  goNoSuchHost,
  latency,
  type NetFaultEvent,
  reset,
  seededRandom,
  unresolvableHost,
} from '../../../registry-stubs/faults/net/index.ts';
import { blobServer, doorFor, eventsOf, request } from './helpers.ts';

const server = blobServer();
afterAll(() => server.close());

describe('controller', () => {
  it('runs several faults at once, in apply order, and reports a hit per fault per connection', async () => {
    const events: NetFaultEvent[] = [];
    await using door = await doorFor(server, { name: 'node-1' }, events);
    await door.faults.apply(latency({ connectionMs: 100 }));
    await door.faults.apply(reset({ afterBytes: 10_000 }), { id: 'mid-blob' });
    const outcome = await request(`${door.url}/blob?size=1000000`);
    expect(outcome).toMatchObject({ ok: false, code: 'ECONNRESET' });
    expect(outcome.ms).toBeGreaterThanOrEqual(99);
    const hits = eventsOf(events, 'fault.hit');
    expect(hits.map((h) => [h.id, h.fault, h.endpoint])).toEqual([
      ['latency-1', 'latency', 'node-1'],
      ['mid-blob', 'reset', 'node-1'],
    ]);
    expect(door.faults.active().map((a) => a.id)).toEqual(['latency-1', 'mid-blob']);
    await door.faults.clearAll();
    expect(eventsOf(events, 'fault.cleared').map((e) => e.id)).toEqual(['mid-blob', 'latency-1']);
  });

  it('refuses a duplicate id and an unknown one', async () => {
    const faults = createNetFaults();
    await faults.apply(reset(), { id: 'x' });
    await expect(faults.apply(reset(), { id: 'x' })).rejects.toThrow(
      "a fault with id 'x' is already applied",
    );
    await expect(faults.clear('y')).rejects.toThrow("no applied fault has id 'y' (applied: x)");
  });

  it('keeps serving when onEvent throws', async () => {
    await using door = await doorFor(server, {
      onEvent: () => {
        throw new Error('broken sink');
      },
    });
    await door.faults.apply(reset({ afterBytes: 0 }));
    expect((await request(`${door.url}/`)).code).toBe('ECONNRESET');
  });

  it('drops held connections after maxStallMs, the safety bound', async () => {
    await using door = await doorFor(server);
    await door.faults.apply(blackhole({ mode: 'stall', maxStallMs: 300 }));
    const outcome = await request(`${door.url}/`, { timeoutMs: 3000 });
    expect(outcome.ok).toBe(false);
    expect(outcome.code).toBe('ECONNRESET');
    expect(outcome.ms).toBeGreaterThanOrEqual(290);
    expect(outcome.ms).toBeLessThan(2000);
  });

  it('serves IPv6 loopback with a bracketed URL', async () => {
    await using door = await doorFor(server, { host: '::1' });
    expect(door.url).toBe(`http://[::1]:${door.port}`);
    expect((await request(`${door.url}/`)).body).toBe('ok ::1 plain');
  });
});

describe('seeded randomness', () => {
  it('repeats for a seed and differs between seeds', () => {
    const take = (seed: number) => Array.from({ length: 5 }, seededRandom(seed));
    expect(take(7)).toEqual(take(7));
    expect(take(7)).not.toEqual(take(8));
    for (const value of take(1)) expect(value >= 0 && value < 1).toBe(true);
  });
});

describe('DNS failure', () => {
  it('names an unresolvable host under .invalid (RFC 6761)', () => {
    expect(unresolvableHost('Node-1')).toBe(`node-1-${'x'.repeat(57)}.pullstorm.invalid`);
    expect(unresolvableHost('node-1').split('.')[0]).toHaveLength(64);
    expect(() => unresolvableHost('node_1')).toThrow('unresolvableHost: node must be a DNS label');
    expect(goNoSuchHost('node-1.pullstorm.invalid', '10.255.255.53:53')).toBe(
      'dial tcp: lookup node-1.pullstorm.invalid on 10.255.255.53:53: no such host',
    );
  });
});
