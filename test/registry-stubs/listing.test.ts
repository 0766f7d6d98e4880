import { describe, expect, test } from 'vitest';
import { createRegistryApp } from '../../registry-stubs/app.ts';
import { errorCode, pushImage, pushManifest } from './helpers.ts';

async function appWithTags(tags: string[]) {
  const app = createRegistryApp();
  const { manifest } = await pushImage(app, 'team/app', tags[0]!);
  for (const tag of tags.slice(1)) await pushManifest(app, 'team/app', tag, manifest);
  return app;
}

describe('tags list', () => {
  test('all tags, sorted', async () => {
    const app = await appWithTags(['v2', 'latest', 'v1', 'A']);
    const res = await app.request('/v2/team/app/tags/list');
    expect(res.status).toBe(200);
    expect(res.headers.get('Link')).toBeNull();
    expect(await res.json()).toEqual({ name: 'team/app', tags: ['A', 'latest', 'v1', 'v2'] });
  });

  const pages: [string, string[], string | null][] = [
    ['?n=2', ['a', 'b'], '</v2/team/app/tags/list?n=2&last=b>; rel="next"'],
    ['?n=2&last=b', ['c', 'd'], '</v2/team/app/tags/list?n=2&last=d>; rel="next"'],
    ['?n=2&last=d', ['e'], null],
    ['?n=5', ['a', 'b', 'c', 'd', 'e'], null],
    ['?last=c', ['d', 'e'], null],
    ['?n=0', [], null],
    ['?n=3&last=zzz', [], null],
  ];
  test.each(pages)('%s → %j', async (query, tags, link) => {
    const app = await appWithTags(['e', 'd', 'c', 'b', 'a']);
    const res = await app.request(`/v2/team/app/tags/list${query}`);
    expect(await res.json()).toEqual({ name: 'team/app', tags });
    expect(res.headers.get('Link')).toBe(link);
  });

  test('following Link headers visits every tag once', async () => {
    const tags = Array.from({ length: 23 }, (_, i) => `t${String(i).padStart(2, '0')}`);
    const app = await appWithTags(tags);
    const seen: string[] = [];
    let next: string | undefined = '/v2/team/app/tags/list?n=5';
    while (next !== undefined) {
      const res = await app.request(next);
      seen.push(...((await res.json()) as { tags: string[] }).tags);
      next = /<([^>]+)>; rel="next"/.exec(res.headers.get('Link') ?? '')?.[1];
    }
    expect(seen).toEqual(tags);
  });

  test('an unknown repository is NAME_UNKNOWN; a bad n is PAGINATION_NUMBER_INVALID', async () => {
    const app = await appWithTags(['v1']);
    const unknown = await app.request('/v2/nope/tags/list');
    expect(unknown.status).toBe(404);
    expect(await errorCode(unknown)).toBe('NAME_UNKNOWN');
    const bad = await app.request('/v2/team/app/tags/list?n=-1');
    expect(bad.status).toBe(400);
    expect(await errorCode(bad)).toBe('PAGINATION_NUMBER_INVALID');
  });
});

describe('catalog', () => {
  test('lists repositories with the same pagination', async () => {
    const app = createRegistryApp();
    for (const repo of ['b/two', 'a', 'c/x/y', 'b/one']) await pushImage(app, repo, 'v1');
    const all = await app.request('/v2/_catalog');
    expect(await all.json()).toEqual({ repositories: ['a', 'b/one', 'b/two', 'c/x/y'] });
    const first = await app.request('/v2/_catalog?n=2');
    expect(await first.json()).toEqual({ repositories: ['a', 'b/one'] });
    expect(first.headers.get('Link')).toBe('</v2/_catalog?n=2&last=b%2Fone>; rel="next"');
    const second = await app.request('/v2/_catalog?n=2&last=b%2Fone');
    expect(await second.json()).toEqual({ repositories: ['b/two', 'c/x/y'] });
    expect(second.headers.get('Link')).toBeNull();
  });
});
