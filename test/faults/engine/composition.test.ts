/** Several faults at once: composed in apply order, the first applied outermost. */
import { describe, expect, it } from 'vitest';
import { stub, tiny } from '../http/helpers.ts';

const manifest = `/v2/${tiny.repository}/manifests/1.0`;

describe('fault composition', () => {
  it("an outer fault sees the inner fault's answer: the rate limit counts and labels a 404 from unknown-tag", async () => {
    await using s = await stub();
    await s.registry.faults.apply({ fault: 'rate-limit', options: { limit: 1 } });
    await s.registry.faults.apply({ fault: 'unknown-tag' });
    const first = await s.call(manifest);
    expect(first.res.status).toBe(404);
    expect(first.res.headers.get('ratelimit-remaining')).toBe('0;w=21600');
    expect((await s.call(manifest)).res.status).toBe(429);
    expect(s.requests.map((r) => r.faults)).toEqual([['rate-limit', 'unknown-tag'], ['rate-limit']]);
  });

  it('in the other order the inner rate limit never sees requests the outer fault answered', async () => {
    await using s = await stub();
    await s.registry.faults.apply({ fault: 'unknown-tag', scope: { maxCount: 2 } });
    await s.registry.faults.apply({ fault: 'rate-limit', options: { limit: 1 } });
    expect((await s.call(manifest)).res.status).toBe(404);
    const second = await s.call(manifest);
    expect([second.res.status, second.res.headers.get('ratelimit-limit')]).toEqual([404, null]);
    expect((await s.call(manifest)).res.status).toBe(200);
    expect((await s.call(manifest)).res.status).toBe(429);
  });

  it('two faults on the body: truncation after corruption gives a short, corrupt body', async () => {
    await using s = await stub();
    await s.registry.faults.apply({ fault: 'truncated-blob', options: { afterBytes: 10 } });
    await s.registry.faults.apply({ fault: 'corrupt-blob' });
    const layer = tiny.blobs[1]!;
    const { body } = await s.call(`/v2/${tiny.repository}/blobs/${layer.digest}`);
    expect(body.byteLength).toBe(10);
    expect(body[0]).toBe(layer.bytes[0]! ^ 0xff);
    expect(s.requests[0]!.faults).toEqual(['truncated-blob', 'corrupt-blob']);
  });

  it('clearing one leaves the others in force', async () => {
    await using s = await stub();
    const a = await s.registry.faults.apply({ fault: 'server-error', scope: { route: 'blob' } });
    await s.registry.faults.apply({ fault: 'unknown-tag' });
    await a.clear();
    expect((await s.call(`/v2/${tiny.repository}/blobs/${tiny.blobs[0]!.digest}`)).res.status).toBe(200);
    expect((await s.call(manifest)).res.status).toBe(404);
    await s.registry.faults.clearAll();
    expect((await s.call(manifest)).res.status).toBe(200);
    expect(s.registry.faults.list()).toEqual([]);
  });
});
