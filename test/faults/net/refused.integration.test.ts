import { afterAll, describe, expect, it } from 'vitest';
import { type NetFaultEvent, refused } from '../../../registry-stubs/faults/net/index.ts';
import { blobServer, curl, doorFor, eventsOf, request } from './helpers.ts';

const server = blobServer();
afterAll(() => server.close());

describe('refused', () => {
  it('makes the endpoint refuse (ECONNREFUSED) and listens again on the same port when cleared', async () => {
    await using door = await doorFor(server, { host: '127.0.0.2' });
    const id = await door.faults.apply(refused());
    const outcome = await request(`${door.url}/`);
    expect(outcome).toMatchObject({ ok: false, code: 'ECONNREFUSED' });
    expect(outcome.message).toBe(`connect ECONNREFUSED 127.0.0.2:${door.port}`);
    await door.faults.clear(id);
    expect(await request(`${door.url}/`)).toMatchObject({ ok: true, status: 200 });
  });

  it('resets open connections by default, as a dying registry does, and reports each as a hit', async () => {
    const events: NetFaultEvent[] = [];
    await using door = await doorFor(server, { name: 'node-r' }, events);
    const pending = request(`${door.url}/blob?size=200000000`);
    await new Promise((r) => setTimeout(r, 100));
    await door.faults.apply(refused());
    expect(await pending).toMatchObject({ ok: false, code: 'ECONNRESET' });
    expect(eventsOf(events, 'fault.hit')).toEqual([
      expect.objectContaining({
        id: 'refused-1',
        fault: 'refused',
        endpoint: 'node-r',
        client: expect.stringMatching(/^127\.0\.0\.1:\d+$/),
      }),
    ]);
  });

  it("keeps open connections with existing: 'keep'", async () => {
    await using door = await doorFor(server);
    const pending = request(`${door.url}/blob?size=20000000`);
    await new Promise((r) => setTimeout(r, 20));
    await door.faults.apply(refused({ existing: 'keep' }));
    expect(await pending).toMatchObject({ ok: true, bytes: 20_000_000 });
    expect((await request(`${door.url}/`)).code).toBe('ECONNREFUSED');
  });

  it('touches only its endpoint', async () => {
    await using a = await doorFor(server, { host: '127.0.0.2' });
    await using b = await doorFor(server, { host: '127.0.0.3' });
    await a.faults.apply(refused());
    expect((await request(`${a.url}/`)).code).toBe('ECONNREFUSED');
    expect((await request(`${b.url}/`)).ok).toBe(true);
  });

  it('is refused for curl too (exit 7)', async () => {
    await using door = await doorFor(server);
    await door.faults.apply(refused());
    const result = await curl(`${door.url}/`);
    expect(result.exitCode).toBe(7);
    expect(result.stderr).toMatch(/Failed to connect|Couldn't connect/);
  });

  it('rejects probability: the kernel answers, there is no connection to draw for', () => {
    expect(() => refused({ probability: 0.5 } as never)).toThrow(
      'refused: probability needs a connection to decide on, but this fault acts on the listener; remove it (got 0.5)',
    );
    expect(() => refused({ existing: 'drop' as never })).toThrow(
      "existing must be one of 'reset', 'keep', got \"drop\"",
    );
  });
});
