/**
 * What a client can make the event feed hold (issue 17): one request with a 16 KB path of a
 * non-Latin-1 name used to leave a 65 KB event, 100,000 of them a heap overflow. Events are now
 * bounded per request and the feed in bytes.
 */
import { describe, expect, it } from 'vitest';
import { createEventFeed, type FeedPage } from '../../../registry-stubs/feed.ts';
import { startRegistry } from '../../../registry-stubs/index.ts';

const token = { 'X-Pullstorm-Control-Token': 't' };
const hostilePath = `/v2/${'a'.repeat(16_190)}%E4%B8%80/manifests/x`;

describe('request events', () => {
  it('of a 16 KB non-Latin-1 path stay under 2 KB each', async () => {
    await using registry = await startRegistry({ controlToken: 't' });
    for (let i = 0; i < 3; i++) expect((await fetch(registry.url + hostilePath)).status).toBe(400);
    const page = (await (
      await fetch(`${registry.url}/_pullstorm/events`, { headers: token })
    ).json()) as FeedPage;
    expect(page.events).toHaveLength(3);
    for (const event of page.events) expect(JSON.stringify(event).length).toBeLessThan(2_000);
  });

  it('of unauthenticated requests under --auth basic are bounded the same way', async () => {
    await using registry = await startRegistry({
      controlToken: 't',
      auth: { mode: 'basic', users: [{ username: 'u', password: 'p' }] },
    });
    expect((await fetch(`${registry.url}/v2/${'b'.repeat(16_000)}/tags/list`)).status).toBe(400);
    const page = (await (
      await fetch(`${registry.url}/_pullstorm/events`, { headers: token })
    ).json()) as FeedPage;
    expect(JSON.stringify(page.events[0]).length).toBeLessThan(2_000);
  });
});

describe('the feed', () => {
  it('keeps at most maxBytes of events, dropping the oldest, and says how many were dropped', async () => {
    const feed = createEventFeed({ maxBytes: 1024 * 1024 });
    for (let seq = 1; seq <= 1_000; seq++) {
      feed.push({
        kind: 'registry.request',
        time: new Date(0).toISOString(),
        method: 'GET',
        path: `/v2/${'一'.repeat(30_000)}`,
        route: 'unknown',
        status: 404,
        bytes: 0,
        durationMs: 0,
      });
    }
    const { Hono } = await import('hono');
    const app = new Hono().all('*', (c) => feed.handle(c as never));
    const page = (await (await app.request('/_pullstorm/events?after=0')).json()) as FeedPage;
    // 30,000 two-byte characters are 60 KB: 1 MiB holds 17 of them.
    expect(page.events.length).toBeLessThanOrEqual(17);
    expect(page.dropped).toBe(1_000 - page.events.length);
    expect(page.events.at(-1)?.seq).toBe(1_000);
  });
});
