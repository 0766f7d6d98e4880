/** What the engine records: applies, clears and every touched request, with the registry's clock. */
import { describe, expect, it } from 'vitest';
import { stub, tiny } from '../http/helpers.ts';

describe('fault events', () => {
  it('reports fault.applied with resolved options and scope, fault.hit per touched request, fault.cleared', async () => {
    await using s = await stub();
    const t0 = new Date(s.clock.now).toISOString();
    const fault = await s.registry.faults.apply({
      id: 'quota',
      fault: 'rate-limit',
      options: { limit: 5 },
      scope: { route: 'manifest' },
    });
    expect(fault).toMatchObject({ id: 'quota', fault: 'rate-limit' });
    s.clock.now += 1_000;
    await s.call(`/v2/${tiny.repository}/manifests/1.0`, { client: '10.1.2.3' });
    await s.call('/v2/');
    s.clock.now += 1_000;
    await fault.clear();
    expect(s.events).toEqual([
      {
        kind: 'fault.applied',
        time: t0,
        id: 'quota',
        fault: 'rate-limit',
        options: { limit: 5, windowSeconds: 21_600, key: 'client', style: 'dockerhub', burst: 5 },
        scope: { route: 'manifest', probability: 1, seed: 1 },
      },
      {
        kind: 'fault.hit',
        time: new Date(Date.parse(t0) + 1_000).toISOString(),
        id: 'quota',
        fault: 'rate-limit',
        method: 'GET',
        path: `/v2/${tiny.repository}/manifests/1.0`,
        route: 'manifest',
        repository: tiny.repository,
        client: '10.1.2.3',
      },
      {
        kind: 'fault.cleared',
        time: new Date(Date.parse(t0) + 2_000).toISOString(),
        id: 'quota',
        fault: 'rate-limit',
        options: { limit: 5, windowSeconds: 21_600, key: 'client', style: 'dockerhub', burst: 5 },
        scope: { route: 'manifest', probability: 1, seed: 1 },
      },
    ]);
    expect(s.requests.map((r) => [r.route, r.faults])).toEqual([
      ['manifest', ['rate-limit']],
      ['base', undefined],
    ]);
  });

  it('names ids <fault>-<n> by default, refuses a taken id, and lists what is applied', async () => {
    await using s = await stub();
    const a = await s.registry.faults.apply({ fault: 'server-error' });
    const b = await s.registry.faults.apply({ fault: 'server-error', options: { status: 503 } });
    expect([a.id, b.id]).toEqual(['server-error-1', 'server-error-2']);
    await expect(s.registry.faults.apply({ id: a.id, fault: 'unknown-tag' })).rejects.toMatchObject({
      code: 'FAULT_EXISTS',
      message: "id: expected an id no applied fault has, got 'server-error-1'; clear it first",
    });
    expect(s.registry.faults.list()).toEqual([
      expect.objectContaining({
        id: a.id,
        fault: 'server-error',
        where: 'registry',
        options: { status: 500 },
        hits: 0,
      }),
      expect.objectContaining({
        id: b.id,
        options: { status: 503 },
        appliedAt: new Date(s.clock.now).toISOString(),
      }),
    ]);
    await expect(s.registry.faults.clear('nope')).rejects.toMatchObject({ code: 'FAULT_UNKNOWN' });
  });

  it("refuses unknown faults with a suggestion, and node faults as the runner's", async () => {
    await using s = await stub();
    await expect(s.registry.faults.apply({ fault: 'rate-limits' })).rejects.toThrow(
      /^fault: expected a fault name \(auth-no-credentials, .*\), got 'rate-limits' \(did you mean 'rate-limit'\?\)$/,
    );
    await expect(s.registry.faults.apply({ fault: 'disk-full' })).rejects.toMatchObject({
      code: 'FAULT_NOT_APPLICABLE',
      message:
        'fault: disk-full is injected at the node by the backend (nodeOnly); the runner applies it, not the registry',
    });
  });

  it('costs one length check when nothing is applied: no events, no faults field', async () => {
    await using s = await stub();
    await s.call(`/v2/${tiny.repository}/manifests/1.0`);
    expect(s.events).toEqual([]);
    expect(s.requests[0]).not.toHaveProperty('faults');
  });
});
