import { describe, expect, it } from 'vitest';
import { ociError, stub, tiny } from './helpers.ts';

describe('server-error', () => {
  it('answers chosen routes with the status (default 500) and the OCI body UNKNOWN', async () => {
    await using s = await stub();
    await s.registry.faults.apply({ fault: 'server-error', scope: { route: 'blob' } });
    const failed = await s.call(`/v2/${tiny.repository}/blobs/${tiny.blobs[0]!.digest}`);
    expect(failed.res.status).toBe(500);
    expect(ociError(failed.text)).toEqual({ code: 'UNKNOWN', message: 'internal server error' });
    expect((await s.call(`/v2/${tiny.repository}/manifests/1.0`)).res.status).toBe(200);
  });

  it('fails a seeded share of requests with probability', async () => {
    const statuses = async (seed: number) => {
      await using s = await stub();
      await s.registry.faults.apply({
        fault: 'server-error',
        options: { status: 502 },
        scope: { probability: 0.5, seed },
      });
      const out: number[] = [];
      for (let i = 0; i < 40; i++)
        out.push((await s.call(`/v2/${tiny.repository}/manifests/1.0`)).res.status);
      return out;
    };
    const first = await statuses(7);
    expect(first.filter((x) => x === 502).length).toBeGreaterThan(10);
    expect(first.filter((x) => x === 200).length).toBeGreaterThan(10);
    expect(await statuses(7)).toEqual(first);
    expect(await statuses(8)).not.toEqual(first);
  });
});
