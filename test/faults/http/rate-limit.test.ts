import { describe, expect, it } from 'vitest';
import { DOCKER_HUB_MESSAGE } from '../../../registry-stubs/faults/index.ts';
import { basic, ociError, stub, tiny } from './helpers.ts';

const manifest = `/v2/${tiny.repository}/manifests/${tiny.tag}`;
const blob = `/v2/${tiny.repository}/blobs/${tiny.blobs[0]!.digest}`;

describe('rate-limit, Docker Hub style', () => {
  it('allows exactly limit manifest GETs, then answers 429 TOOMANYREQUESTS with the quota headers', async () => {
    await using s = await stub();
    await s.registry.faults.apply({ fault: 'rate-limit', options: { limit: 3, windowSeconds: 600 } });
    const remaining: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { res } = await s.call(manifest);
      expect(res.status).toBe(200);
      remaining.push(res.headers.get('ratelimit-remaining')!);
      expect(res.headers.get('ratelimit-limit')).toBe('3;w=600');
      expect(res.headers.get('docker-ratelimit-source')).toBe('10.0.0.1');
    }
    expect(remaining).toEqual(['2;w=600', '1;w=600', '0;w=600']);
    for (let i = 0; i < 2; i++) {
      const { res, text } = await s.call(manifest);
      expect(res.status).toBe(429);
      expect(ociError(text)).toEqual({ code: 'TOOMANYREQUESTS', message: DOCKER_HUB_MESSAGE });
      expect(res.headers.get('ratelimit-remaining')).toBe('0;w=600');
      expect(res.headers.get('retry-after')).toBeNull();
    }
    expect(s.requests.map((r) => r.status)).toEqual([200, 200, 200, 429, 429]);
    expect(s.requests.every((r) => r.faults?.[0] === 'rate-limit')).toBe(true);
  });

  it('neither counts nor refuses HEAD, and leaves blobs alone', async () => {
    await using s = await stub();
    await s.registry.faults.apply({ fault: 'rate-limit', options: { limit: 1 } });
    for (let i = 0; i < 3; i++) {
      const { res } = await s.call(manifest, { method: 'HEAD' });
      expect(res.status).toBe(200);
      expect(res.headers.get('ratelimit-remaining')).toBe('1;w=21600');
    }
    expect((await s.call(manifest)).res.status).toBe(200);
    const head = await s.call(manifest, { method: 'HEAD' });
    expect([head.res.status, head.res.headers.get('ratelimit-remaining')]).toEqual([200, '0;w=21600']);
    expect((await s.call(manifest)).res.status).toBe(429);
    const b = await s.call(blob);
    expect([b.res.status, b.res.headers.get('ratelimit-limit')]).toEqual([200, null]);
  });

  it('refills: a whole window later the quota is whole again; part of one gives part of it', async () => {
    await using s = await stub();
    await s.registry.faults.apply({ fault: 'rate-limit', options: { limit: 4, windowSeconds: 400 } });
    for (let i = 0; i < 4; i++) expect((await s.call(manifest)).res.status).toBe(200);
    expect((await s.call(manifest)).res.status).toBe(429);
    s.clock.now += 99_000;
    expect((await s.call(manifest)).res.status).toBe(429);
    s.clock.now += 1_000; // 100 s = one token
    expect((await s.call(manifest)).res.status).toBe(200);
    expect((await s.call(manifest)).res.status).toBe(429);
    s.clock.now += 400_000;
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await s.call(manifest)).res.status);
    expect(statuses).toEqual([200, 200, 200, 200, 429]);
  });

  it('keeps one bucket per client address', async () => {
    await using s = await stub();
    await s.registry.faults.apply({ fault: 'rate-limit', options: { limit: 2 } });
    for (const client of ['10.0.0.1', '10.0.0.2', '10.0.0.1', '10.0.0.2']) {
      expect((await s.call(manifest, { client })).res.status).toBe(200);
    }
    expect((await s.call(manifest, { client: '10.0.0.1' })).res.status).toBe(429);
    const third = await s.call(manifest, { client: '10.0.0.3' });
    expect([third.res.status, third.res.headers.get('docker-ratelimit-source')]).toEqual([200, '10.0.0.3']);
  });

  it("keys by credential: a user's quota follows them across addresses; anonymous requests go by address", async () => {
    await using s = await stub({
      auth: {
        mode: 'basic',
        users: [{ username: 'ci', password: 'pw', access: [{ repository: '*', actions: ['pull'] }] }],
        anonymous: [{ repository: '*', actions: ['pull'] }],
      },
    });
    await s.registry.faults.apply({ fault: 'rate-limit', options: { limit: 1, key: 'credential' } });
    const ci = { Authorization: basic('ci', 'pw') };
    const first = await s.call(manifest, { client: '10.0.0.1', headers: ci });
    expect([first.res.status, first.res.headers.get('docker-ratelimit-source')]).toEqual([200, 'ci']);
    expect((await s.call(manifest, { client: '10.0.0.2', headers: ci })).res.status).toBe(429);
    expect((await s.call(manifest, { client: '10.0.0.2' })).res.status).toBe(200);
    expect((await s.call(manifest, { client: '10.0.0.2' })).res.status).toBe(429);
  });

  it('keys by both: one bucket per address and user pair', async () => {
    await using s = await stub({
      auth: {
        mode: 'basic',
        users: [{ username: 'ci', password: 'pw', access: [{ repository: '*', actions: ['pull'] }] }],
        anonymous: [{ repository: '*', actions: ['pull'] }],
      },
    });
    await s.registry.faults.apply({ fault: 'rate-limit', options: { limit: 1, key: 'both' } });
    const ci = { Authorization: basic('ci', 'pw') };
    expect((await s.call(manifest, { client: '10.0.0.1', headers: ci })).res.status).toBe(200);
    expect((await s.call(manifest, { client: '10.0.0.1' })).res.status).toBe(200);
    expect((await s.call(manifest, { client: '10.0.0.2', headers: ci })).res.status).toBe(200);
    expect((await s.call(manifest, { client: '10.0.0.1', headers: ci })).res.status).toBe(429);
  });

  it('lets burst differ from limit: a small bucket refilled at limit per window', async () => {
    await using s = await stub();
    await s.registry.faults.apply({
      fault: 'rate-limit',
      options: { limit: 10, windowSeconds: 10, burst: 2 },
    });
    expect([(await s.call(manifest)).res.status, (await s.call(manifest)).res.status]).toEqual([200, 200]);
    expect((await s.call(manifest)).res.status).toBe(429);
    s.clock.now += 10_000;
    expect([(await s.call(manifest)).res.status, (await s.call(manifest)).res.status]).toEqual([200, 200]);
    expect((await s.call(manifest)).res.status).toBe(429);
  });

  it('starts from a full quota again after being cleared and re-applied', async () => {
    await using s = await stub();
    const quota = await s.registry.faults.apply({ fault: 'rate-limit', options: { limit: 1 } });
    await s.call(manifest);
    expect((await s.call(manifest)).res.status).toBe(429);
    await quota.clear();
    expect((await s.call(manifest)).res.status).toBe(200);
    await s.registry.faults.apply({ fault: 'rate-limit', options: { limit: 1 } });
    expect((await s.call(manifest)).res.status).toBe(200);
  });
});

describe('rate-limit, generic style', () => {
  it('counts every request in scope and sends Retry-After with the 429', async () => {
    await using s = await stub();
    await s.registry.faults.apply({
      fault: 'rate-limit',
      options: { limit: 2, windowSeconds: 60, style: 'generic' },
    });
    expect((await s.call(manifest, { method: 'HEAD' })).res.status).toBe(200);
    const ok = await s.call(blob);
    expect([ok.res.status, ok.res.headers.get('ratelimit-limit')]).toEqual([200, null]);
    const refused = await s.call(manifest, { method: 'HEAD' });
    expect(refused.res.status).toBe(429);
    expect(refused.res.headers.get('retry-after')).toBe('30');
    const get = await s.call(blob);
    expect(ociError(get.text)).toEqual({
      code: 'TOOMANYREQUESTS',
      message: 'too many requests; retry after 30 s',
    });
    s.clock.now += 30_000;
    expect((await s.call(blob)).res.status).toBe(200);
  });
});

describe('rate-limit options', () => {
  it('reports every bad option at once, saying what was expected and what was given', async () => {
    await using s = await stub();
    const spec = { fault: 'rate-limit', options: { limit: 0, windowSeconds: 'long', key: 'ip', limt: 3 } };
    await expect(s.registry.faults.apply(spec)).rejects.toMatchObject({
      code: 'FAULT_INVALID',
      problems: [
        {
          path: 'options.limt',
          message:
            "unknown option (did you mean 'limit'?); expected one of limit, windowSeconds, burst, key, style",
        },
        { path: 'options.limit', message: 'expected an integer from 1 to 1000000000, got 0' },
        { path: 'options.windowSeconds', message: "expected an integer from 1 to 31622400, got 'long'" },
        { path: 'options.key', message: "expected one of 'client', 'credential', 'both', got 'ip'" },
      ],
    });
  });
});
