/**
 * The event feed (`GET /_pullstorm/events`): in-process through `app.request()` first (what it
 * carries, paging, the ring bound, long polls, bad queries), then once over a real socket with
 * fetch, including a long poll that a request on another connection wakes and a close that ends one.
 */
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { RegistryEnv } from '../../registry-stubs/context.ts';
import { createEventFeed, type FeedEvent, type FeedPage } from '../../registry-stubs/feed.ts';
import { startRegistry } from '../../registry-stubs/index.ts';
import { stub, tiny } from '../faults/http/helpers.ts';

const token = { 'X-Pullstorm-Control-Token': 'sekrit' };

/** A feed behind a bare app, as control.ts routes to it once the token is checked. */
function bareFeed(options: Parameters<typeof createEventFeed>[0]) {
  const feed = createEventFeed(options);
  const app = new Hono<RegistryEnv>().all('*', (c) => feed.handle(c));
  const get = async (query: string, init?: RequestInit) => {
    const res = await app.request(`/_pullstorm/events${query}`, init);
    return { status: res.status, body: (await res.json()) as FeedPage & { errors?: { message: string }[] } };
  };
  const request = (n: number): FeedEvent => ({
    kind: 'registry.request',
    time: new Date(0).toISOString(),
    method: 'GET',
    path: `/v2/x/blobs/${n}`,
    route: 'blob',
    status: 200,
    bytes: n,
    durationMs: 0,
  });
  return { feed, get, request };
}

describe('event feed, in-process', () => {
  it('is disabled (404) without a control token, and needs the token like the control API', async () => {
    await using off = await stub();
    const disabled = await off.call('/_pullstorm/events', { headers: token });
    expect(disabled.res.status).toBe(404);
    expect(JSON.parse(disabled.text).errors[0].code).toBe('CONTROL_DISABLED');

    await using s = await stub({ controlToken: 'sekrit' });
    const none = await s.call('/_pullstorm/events');
    expect(none.res.status).toBe(401);
    expect(JSON.parse(none.text).errors[0].message).toBe(
      'expected X-Pullstorm-Control-Token: <control token> or Authorization: Bearer <control token>, got neither',
    );
    const bearer = await s.call('/_pullstorm/events', { headers: { Authorization: 'Bearer sekrit' } });
    expect(bearer.res.status).toBe(200);
    expect(JSON.parse(bearer.text)).toEqual({ epoch: expect.any(String), next: 0, dropped: 0, events: [] });
  });

  it('carries registry requests and fault changes and hits in order, never control calls', async () => {
    await using s = await stub({ controlToken: 'sekrit' });
    await s.call(`/v2/${tiny.repository}/manifests/1.0`);
    const applied = await s.call('/_pullstorm/faults', {
      method: 'POST',
      headers: token,
      body: JSON.stringify({ id: 'gone', fault: 'unknown-tag', scope: { repository: tiny.repository } }),
    });
    expect(applied.res.status).toBe(201);
    await s.call(`/v2/${tiny.repository}/manifests/1.0`);
    await s.call('/_pullstorm/faults/gone', { method: 'DELETE', headers: token });

    const page = JSON.parse((await s.call('/_pullstorm/events', { headers: token })).text) as FeedPage;
    expect(page.next).toBe(5);
    expect(page.dropped).toBe(0);
    expect(page.events.map((e) => [e.seq, e.kind])).toEqual([
      [1, 'registry.request'],
      [2, 'fault.applied'],
      [3, 'fault.hit'],
      [4, 'registry.request'],
      [5, 'fault.cleared'],
    ]);
    expect(page.events[3]).toMatchObject({
      path: `/v2/${tiny.repository}/manifests/1.0`,
      status: 404,
      faults: ['unknown-tag'],
    });
    expect(page.events[1]).toMatchObject({ id: 'gone', fault: 'unknown-tag', options: { tag: '*' } });
    // The feed holds what the in-process listeners got, field for field.
    expect(page.events.filter((e) => e.kind === 'registry.request').map(({ seq: _, ...e }) => e)).toEqual(
      s.requests,
    );
    const after = JSON.parse((await s.call('/_pullstorm/events?after=3', { headers: token })).text);
    expect(after.events.map((e: { seq: number }) => e.seq)).toEqual([4, 5]);
  });

  it('pages at most pageMax events; the ring keeps the newest `capacity` and counts what it dropped', async () => {
    const { feed, get, request } = bareFeed({ capacity: 5, pageMax: 2 });
    for (let n = 1; n <= 8; n++) feed.push(request(n));
    const first = await get('');
    expect(first.body.events.map((e) => e.seq)).toEqual([4, 5]);
    expect([first.body.next, first.body.dropped]).toEqual([5, 3]);
    const second = await get('?after=5');
    expect([second.body.events.map((e) => e.seq), second.body.next, second.body.dropped]).toEqual([
      [6, 7],
      7,
      0,
    ]);
    expect((await get('?after=7')).body.events.map((e) => e.seq)).toEqual([8]);
    expect((await get('?after=8')).body).toEqual({
      epoch: first.body.epoch,
      next: 8,
      dropped: 0,
      events: [],
    });
    // An `after` past the newest: the stub restarted under its follower; it starts again from the oldest kept.
    expect((await get('?after=500')).body).toMatchObject({ next: 5, dropped: 3 });
  });

  it('names its process in every answer: the same `epoch` on each page of a feed, another for another feed', async () => {
    const one = bareFeed({});
    const two = bareFeed({});
    one.feed.push(one.request(1));
    const pages = [await one.get(''), await one.get('?after=1'), await one.get('?after=500')];
    const epoch = pages[0]!.body.epoch;
    expect(epoch).toMatch(/^[0-9a-f-]{36}$/);
    expect(pages.map((p) => p.body.epoch)).toEqual([epoch, epoch, epoch]);
    // A restarted stub is a new feed: its epoch differs, which is how a follower tells it apart.
    expect((await two.get('')).body.epoch).not.toBe(epoch);
  });

  it('long-polls: waits for the next event, or answers empty after waitMs', async () => {
    const { feed, get, request } = bareFeed({});
    const started = performance.now();
    const empty = await get('?waitMs=150');
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(empty.body).toEqual({ epoch: expect.any(String), next: 0, dropped: 0, events: [] });

    const waiting = get('?after=0&waitMs=20000');
    setTimeout(() => feed.push(request(1)), 50);
    const woke = performance.now();
    expect((await waiting).body.events.map((e) => 'bytes' in e && e.bytes)).toEqual([1]);
    expect(performance.now() - woke).toBeLessThan(5_000);

    // Events already there: answered at once, however long it may wait.
    const at = performance.now();
    expect((await get('?after=0&waitMs=20000')).body.next).toBe(1);
    expect(performance.now() - at).toBeLessThan(1_000);

    // close() ends waiting polls (the server is closing) and later ones do not wait.
    const held = get('?after=1&waitMs=20000');
    feed.close();
    expect((await held).body).toEqual({ epoch: empty.body.epoch, next: 1, dropped: 0, events: [] });
    const closed = performance.now();
    await get('?after=1&waitMs=20000');
    expect(performance.now() - closed).toBeLessThan(1_000);
  });

  it('a long poll ends when its client goes away', async () => {
    const { get } = bareFeed({});
    const abort = new AbortController();
    const at = performance.now();
    const poll = get('?waitMs=20000', { signal: abort.signal }).catch((e: Error) => e);
    setTimeout(() => abort.abort(), 50);
    await poll;
    expect(performance.now() - at).toBeLessThan(5_000);
  });

  it.each([
    ['?after=-1', "after: expected one integer from 0 to 9007199254740991, got '-1'"],
    ['?after=x', "after: expected one integer from 0 to 9007199254740991, got 'x'"],
    ['?after=1&after=2', "after: expected one integer from 0 to 9007199254740991, got '1', '2'"],
    ['?waitMs=25001', "waitMs: expected one integer from 0 to 25000, got '25001'"],
    ['?waitMs=1.5', "waitMs: expected one integer from 0 to 25000, got '1.5'"],
    ['?wait=5', 'expected only the query parameters after and waitMs, got wait'],
  ])('answers 400 for %s, saying what was expected and given', async (query, message) => {
    const { get } = bareFeed({});
    const r = await get(query);
    expect(r.status).toBe(400);
    expect(r.body.errors?.[0]?.message).toBe(message);
  });

  it('answers 405 to anything but GET', async () => {
    const { feed } = bareFeed({});
    const app = new Hono<RegistryEnv>().all('*', (c) => feed.handle(c));
    const res = await app.request('/_pullstorm/events', { method: 'POST' });
    expect([res.status, res.headers.get('allow')]).toEqual([405, 'GET']);
  });
});

describe('event feed over a socket', () => {
  it('a long poll on one connection is woken by a pull on another; close ends a waiting poll', async () => {
    const registry = await startRegistry({ controlToken: 'sekrit', images: [tiny] });
    const feed = (query: string) =>
      fetch(`${registry.url}/_pullstorm/events${query}`, { headers: token }).then(
        (r) => r.json() as Promise<FeedPage>,
      );
    try {
      const waiting = feed('?after=0&waitMs=20000');
      await new Promise((r) => setTimeout(r, 100));
      const pulled = await fetch(`${registry.url}/v2/${tiny.repository}/manifests/1.0`);
      expect(pulled.status).toBe(200);
      await pulled.arrayBuffer();
      const page = await waiting;
      expect(page.events).toHaveLength(1);
      expect(page.events[0]).toMatchObject({
        seq: 1,
        kind: 'registry.request',
        route: 'manifest',
        status: 200,
        client: '127.0.0.1',
      });
      expect(page.events[0]!.kind === 'registry.request' && page.events[0]!.bytes).toBeGreaterThan(0);

      const held = feed(`?after=${page.next}&waitMs=20000`).catch((e: Error) => e);
      await new Promise((r) => setTimeout(r, 100));
      const closing = performance.now();
      await registry.close();
      await held;
      expect(performance.now() - closing).toBeLessThan(5_000);
    } finally {
      await registry.close();
    }
  });
});
