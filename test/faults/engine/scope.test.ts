/** Scope conditions: each one alone, the way they compose, and the seeded draws. */
import { describe, expect, it } from 'vitest';
import { images, stub, tiny, tokenAuth } from '../http/helpers.ts';

const multiarch = images[1]!;
const manifest = (repository: string) => `/v2/${repository}/manifests/1.0`;

describe('fault scope', () => {
  it('repository: a glob with * across slashes', async () => {
    await using s = await stub();
    await s.registry.faults.apply({ fault: 'server-error', scope: { repository: 'pullstorm/t*' } });
    expect((await s.call(manifest(tiny.repository))).res.status).toBe(500);
    expect((await s.call(manifest(multiarch.repository))).res.status).toBe(200);
    expect((await s.call('/v2/')).res.status).toBe(200);
  });

  it('repository on the token route: the repositories its scope parameters ask for (GET and POST)', async () => {
    await using s = await stub({ auth: tokenAuth });
    await s.registry.faults.apply({ fault: 'auth-token-endpoint', scope: { repository: tiny.repository } });
    expect((await s.call(`/token?scope=repository:${tiny.repository}:pull`)).res.status).toBe(503);
    expect((await s.call(`/token?scope=repository:${multiarch.repository}:pull`)).res.status).toBe(200);
    const post = (scope: string) =>
      s.call('/token', {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: `grant_type=password&username=ci&password=pw&service=pullstorm&scope=${encodeURIComponent(scope)}`,
      });
    expect((await post(`repository:${tiny.repository}:pull`)).res.status).toBe(503);
    // The handler still reads the form the layer read first.
    expect((await post(`repository:${multiarch.repository}:pull`)).res.status).toBe(200);
  });

  it('route: one route family only', async () => {
    await using s = await stub();
    await s.registry.faults.apply({ fault: 'server-error', scope: { route: 'manifest' } });
    expect((await s.call(manifest(tiny.repository))).res.status).toBe(500);
    expect((await s.call(`/v2/${tiny.repository}/blobs/${tiny.blobs[0]!.digest}`)).res.status).toBe(200);
    expect((await s.call(`/v2/${tiny.repository}/tags/list`)).res.status).toBe(200);
  });

  it('clients: address globs', async () => {
    await using s = await stub();
    await s.registry.faults.apply({ fault: 'server-error', scope: { clients: ['10.0.0.1', '192.168.*'] } });
    expect((await s.call('/v2/', { client: '10.0.0.1' })).res.status).toBe(500);
    expect((await s.call('/v2/', { client: '192.168.4.2' })).res.status).toBe(500);
    expect((await s.call('/v2/', { client: '10.0.0.11' })).res.status).toBe(200);
  });

  it('maxCount: that many requests touched, then the fault lets everything through', async () => {
    await using s = await stub();
    await s.registry.faults.apply({ fault: 'server-error', scope: { maxCount: 2 } });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await s.call('/v2/')).res.status);
    expect(statuses).toEqual([500, 500, 200, 200]);
    expect(s.registry.faults.list()[0]!.hits).toBe(2);
  });

  it('maxCount counts only requests the fault acted on, not those it looked at and left alone', async () => {
    await using s = await stub({ auth: tokenAuth });
    await s.registry.faults.apply({
      fault: 'auth-token-endpoint',
      options: { status: 'refused' },
      scope: { maxCount: 1 },
    });
    // The token endpoint is not challenged, so it does not use up the count.
    expect((await s.call('/token?scope=repository:x:pull')).res.status).toBe(200);
    expect((await s.call('/v2/')).res.headers.get('www-authenticate')).toContain(':2/token');
    expect((await s.call('/v2/')).res.headers.get('www-authenticate')).toContain(
      'realm="http://localhost/token"',
    );
  });

  it('probability: a seeded share, the same sequence for the same seed', async () => {
    const run = async (seed: number) => {
      await using s = await stub();
      await s.registry.faults.apply({ fault: 'unknown-tag', scope: { probability: 0.25, seed } });
      const hits: number[] = [];
      for (let i = 0; i < 200; i++)
        if ((await s.call(manifest(tiny.repository))).res.status === 404) hits.push(i);
      return hits;
    };
    const a = await run(42);
    expect(a.length).toBeGreaterThan(30);
    expect(a.length).toBeLessThan(70);
    expect(await run(42)).toEqual(a);
  });

  it('conditions combine: repository and route and maxCount together', async () => {
    await using s = await stub();
    await s.registry.faults.apply({
      fault: 'server-error',
      scope: { repository: tiny.repository, route: 'blob', maxCount: 1 },
    });
    const blob = `/v2/${tiny.repository}/blobs/${tiny.blobs[0]!.digest}`;
    expect((await s.call(manifest(tiny.repository))).res.status).toBe(200);
    expect((await s.call(`/v2/${multiarch.repository}/blobs/${multiarch.blobs[0]!.digest}`)).res.status).toBe(
      200,
    );
    expect((await s.call(blob)).res.status).toBe(500);
    expect((await s.call(blob)).res.status).toBe(200);
  });

  it('reports every problem of a scope at once', async () => {
    await using s = await stub();
    await expect(
      s.registry.faults.apply({
        fault: 'server-error',
        scope: { route: 'blobs', probability: 1.5, maxCount: 0, nodes: 'a' } as never,
      }),
    ).rejects.toMatchObject({
      problems: [
        {
          path: 'scope.route',
          message: expect.stringContaining("expected one of 'any', 'base', 'manifest'"),
        },
        { path: 'scope.nodes', message: "expected a list of endpoint names, got 'a'" },
        { path: 'scope.probability', message: 'expected a number from 0 to 1, got 1.5' },
        { path: 'scope.maxCount', message: 'expected an integer of at least 1, got 0' },
      ],
    });
  });
});
