/**
 * List+watch against a controllable source: resourceVersion tracking, 410 Gone → relist (as an HTTP
 * status and as an ERROR event), reconnect with exponential backoff, bookmarks, and a clean close.
 */
import { describe, expect, it } from 'vitest';
import { KubeRefusedError } from '../../../harness/backends/kubeconfig/errors.ts';
import { isGone, reflect } from '../../../harness/backends/kubeconfig/watch.ts';
import { FakeSource } from './fake-api.ts';

type Obj = { metadata?: { name?: string; resourceVersion?: string } };
const tick = () => new Promise((r) => setTimeout(r, 0));
const settle = async () => {
  for (let i = 0; i < 10; i++) await tick();
};

function setup() {
  const source = new FakeSource<Obj>();
  source.items = [{ metadata: { name: 'a', resourceVersion: '90' } }];
  const seen: string[] = [];
  const sleeps: number[] = [];
  const r = reflect(
    source,
    (type, o, relist) => seen.push(`${type} ${o.metadata?.name}${relist ? ' (relist)' : ''}`),
    {
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    },
  );
  return { source, seen, sleeps, r };
}

describe('reflect', () => {
  it('lists, then watches from the list resourceVersion and follows each event version', async () => {
    const { source, seen, r } = setup();
    await r.synced;
    await settle();
    expect(seen).toEqual(['ADDED a (relist)']);
    expect(source.watches).toEqual(['100']);
    source.push('ADDED', { metadata: { name: 'b' } });
    source.push('MODIFIED', { metadata: { name: 'b' } });
    source.push('BOOKMARK', { metadata: { resourceVersion: '150' } });
    expect(seen.slice(1)).toEqual(['ADDED b', 'MODIFIED b']);
    source.end(null); // the server's timeoutSeconds: reopen at once from the last version
    await settle();
    expect(source.watches).toEqual(['100', '150']);
    expect(source.lists).toBe(1);
    r.stop();
  });

  it('410 Gone as an ERROR event: relists and delivers everything again', async () => {
    const { source, seen, r } = setup();
    await r.synced;
    await settle();
    source.push('ERROR', {
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      reason: 'Expired',
      code: 410,
      message: 'too old resource version: 100 (2000)',
    });
    await settle();
    expect(source.lists).toBe(2);
    expect(seen).toEqual(['ADDED a (relist)', 'ADDED a (relist)']);
    expect(source.open).toBe(1);
    r.stop();
  });

  it('410 Gone as the HTTP status of the watch request: relists', async () => {
    const { source, r } = setup();
    await r.synced;
    await settle();
    source.end(Object.assign(new Error('Gone'), { statusCode: 410 }));
    await settle();
    expect(source.lists).toBe(2);
    r.stop();
  });

  it('other failures: reconnect from the last version after 500 ms, doubling, reset by a delivered event', async () => {
    const { source, sleeps, r } = setup();
    await r.synced;
    await settle();
    source.push('ADDED', { metadata: { name: 'b' } }); // rv 101
    for (let i = 0; i < 3; i++) {
      source.end(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
      await settle();
    }
    expect(sleeps).toEqual([500, 1000, 2000]);
    expect(source.watches).toEqual(['100', '101', '101', '101']);
    source.push('MODIFIED', { metadata: { name: 'b' } });
    source.end(new Error('reset'));
    await settle();
    expect(sleeps).toEqual([500, 1000, 2000, 500]);
    expect(source.lists).toBe(1); // a reconnect is not a relist
    r.stop();
  });

  it('a failed list is retried with backoff; a non-410 ERROR event reconnects without relisting', async () => {
    const source = new FakeSource<Obj>();
    source.listError = new Error('503');
    const sleeps: number[] = [];
    const r = reflect(source, () => undefined, {
      sleep: async (ms) => void sleeps.push(ms),
      maxBackoffMs: 800,
    });
    await r.synced;
    await settle();
    expect(source.lists).toBe(2);
    source.push('ERROR', { kind: 'Status', code: 500, message: 'internal error' });
    await settle();
    source.end(new Error('x'));
    await settle();
    expect(sleeps).toEqual([500, 800, 800]);
    expect(source.lists).toBe(2);
    r.stop();
  });

  it('stop closes the watch and nothing reopens it', async () => {
    const { source, r } = setup();
    await r.synced;
    await settle();
    r.stop();
    await settle();
    expect(source.open).toBe(0);
    expect(source.watches).toHaveLength(1);
  });

  it('isGone', () => {
    expect(isGone({ code: 410 })).toBe(true);
    expect(isGone({ statusCode: 410 })).toBe(true);
    expect(isGone({ body: { code: 410 } })).toBe(true);
    expect(isGone(new Error('x'))).toBe(false);
    expect(isGone(null)).toBe(false);
  });

  // client-node's ApiException for a 403: the Status body says who may not do what.
  const forbidden = (verb: string) =>
    Object.assign(new Error('HTTP-Code: 403\nMessage: Unknown API Status Code!\nBody: …'), {
      code: 403,
      body: JSON.stringify({
        kind: 'Status',
        code: 403,
        reason: 'Forbidden',
        message: `pods is forbidden: User "alice" cannot ${verb} resource "pods" in API group "" in the namespace "pullstorm-x"`,
      }),
    });

  it('a first list the cluster refuses (403) rejects synced at once, naming the call, instead of retrying forever', async () => {
    const source = new FakeSource<Obj>();
    source.listAlways = forbidden('list');
    const errors: unknown[] = [];
    const sleeps: number[] = [];
    const r = reflect(source, () => undefined, {
      what: 'pods in namespace pullstorm-x',
      sleep: async (ms) => void sleeps.push(ms),
      onError: (e) => errors.push(e),
    });
    const failure = await r.synced.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(KubeRefusedError);
    expect((failure as Error).message).toMatch(
      /^list pods in namespace pullstorm-x: the API server answered 403: pods is forbidden: User "alice" cannot list resource "pods".*pullstorm rbac/,
    );
    await settle();
    expect(source.lists).toBe(1);
    expect(sleeps).toEqual([]);
    expect(errors).toHaveLength(1);
  });

  it('a first watch the cluster refuses (list allowed, watch not) rejects synced too', async () => {
    const source = new FakeSource<Obj>();
    source.watchError = Object.assign(new Error('Forbidden'), { statusCode: 403 });
    const r = reflect(source, () => undefined, {
      what: 'events in namespace n',
      sleep: async () => undefined,
    });
    await expect(r.synced).rejects.toThrow(
      /^watch events in namespace n: the API server answered 403: Forbidden/,
    );
    await settle();
    expect(source.watches).toHaveLength(1);
  });

  it('transient first-list failures are retried and told to onError, then give up after syncTimeoutMs', async () => {
    const source = new FakeSource<Obj>();
    source.listAlways = Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:6443'), {
      code: 'ECONNREFUSED',
    });
    const told: number[] = [];
    const r = reflect(source, () => undefined, {
      syncTimeoutMs: 30,
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.min(ms, 10))),
      onError: (_e, retryIn) => told.push(retryIn),
    });
    await expect(r.synced).rejects.toThrow(/^list objects: still failing after 30 ms/);
    expect(source.lists).toBeGreaterThan(1);
    // Each failure before the last is told with its retry delay; the last one, which gives up, with 0.
    expect(told[0]).toBe(500);
    expect(told.at(-1)).toBe(0);
  });

  it('a refusal after sync (RBAC revoked mid-run) is told to onError and retried after a backoff', async () => {
    const source = new FakeSource<Obj>();
    const told: unknown[] = [];
    const sleeps: number[] = [];
    // Each sleep is held, so the test sees exactly one retry being scheduled.
    const r = reflect(source, () => undefined, {
      sleep: (ms) => {
        sleeps.push(ms);
        return new Promise(() => undefined);
      },
      onError: (e) => told.push(e),
    });
    await r.synced;
    await settle();
    source.watchError = Object.assign(new Error('Forbidden'), { statusCode: 403 });
    source.end(new Error('connection reset'));
    await settle();
    expect(sleeps).toEqual([500]);
    expect(told).toHaveLength(1);
    r.stop();
  });
});
