/**
 * Each front door stands for one node, so the stub reports a request's client as its door's address
 * (the node's own IP, as in production) even when the socket comes from 127.0.0.1, as a real
 * containerd node's always does: per-client quotas then count nodes, not one loopback client.
 */
import { describe, expect, it } from 'vitest';
import { startStub } from '../../harness/backends/stub-engine.ts';
import type { RegistryRequestEvent } from '../../registry-stubs/index.ts';

describe('the embedded stub’s client per door', () => {
  it('names the door’s address as the client and keys a per-client quota on it', async () => {
    const requests: RegistryRequestEvent[] = [];
    const stub = await startStub({
      endpoints: [
        { name: 'a', host: '127.0.0.2' },
        { name: 'b', host: '127.0.0.3' },
      ],
      images: [],
      onRequest: (e) => requests.push(e),
      onFaultEvent: () => undefined,
    });
    try {
      const clear = await stub.apply({
        id: 'quota',
        fault: 'rate-limit',
        options: { limit: 1, style: 'generic' },
        scope: { route: 'any', probability: 1 },
      });
      const get = async (door: number) => (await fetch(`${stub.endpoints[door]!.url}/v2/`)).status;
      // One request each through both doors: two clients, each within its own quota of 1.
      expect([await get(0), await get(1)]).toEqual([200, 200]);
      // A second through door b is that node's second: refused, while door a's quota is untouched.
      expect(await get(1)).toBe(429);
      await clear();
      await new Promise((r) => setTimeout(r, 50)); // request events are emitted once bodies are sent
      expect(requests.map((r) => [r.client, r.status])).toEqual([
        ['127.0.0.2', 200],
        ['127.0.0.3', 200],
        ['127.0.0.3', 429],
      ]);
    } finally {
      await stub.close();
    }
  });
});
