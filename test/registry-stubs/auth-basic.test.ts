import { describe, expect, test } from 'vitest';
import { globMatches, parseScope } from '../../registry-stubs/auth/access.ts';
import { type AuthOptions, resolveAuth } from '../../registry-stubs/auth/options.ts';
import { basic, makeApp } from './auth-fixture.ts';
import { errorCode } from './helpers.ts';

describe('basic auth', () => {
  const cases: [string, string, string, string | undefined, number, string | undefined][] = [
    ['ping without credentials (anonymous rules exist)', 'GET', '/v2/', undefined, 200, undefined],
    ['pull without credentials', 'GET', '/v2/team/app/tags/list', undefined, 401, 'UNAUTHORIZED'],
    [
      'pull with a wrong password',
      'GET',
      '/v2/team/app/tags/list',
      basic('alice', 'nope'),
      401,
      'UNAUTHORIZED',
    ],
    ['ping with a wrong password', 'GET', '/v2/', basic('alice', 'nope'), 401, 'UNAUTHORIZED'],
    ['pull as alice', 'GET', '/v2/team/app/manifests/v1', basic('alice', 's3cret'), 200, undefined],
    [
      'push as bob (pull only)',
      'POST',
      '/v2/team/app/blobs/uploads/',
      basic('bob', 'hunter2'),
      403,
      'DENIED',
    ],
    ['push as alice', 'POST', '/v2/team/app/blobs/uploads/', basic('alice', 's3cret'), 202, undefined],
    [
      'anonymous pull of a public repository',
      'GET',
      '/v2/public/base/manifests/v1',
      undefined,
      200,
      undefined,
    ],
    [
      'anonymous push to a public repository',
      'POST',
      '/v2/public/base/blobs/uploads/',
      undefined,
      401,
      'UNAUTHORIZED',
    ],
    [
      'alice pulls a repository outside her rules',
      'GET',
      '/v2/other/tags/list',
      basic('alice', 's3cret'),
      403,
      'DENIED',
    ],
    ['catalog as a user', 'GET', '/v2/_catalog', basic('bob', 'hunter2'), 200, undefined],
    ['catalog anonymously', 'GET', '/v2/_catalog', undefined, 401, 'UNAUTHORIZED'],
    ['the token endpoint does not exist', 'GET', '/token', undefined, 404, 'UNSUPPORTED'],
  ];
  test.each(cases)('%s', async (_, method, path, authorization, status, code) => {
    const { app } = await makeApp('basic');
    const res = await app.request(path, {
      method,
      headers: authorization ? { Authorization: authorization } : {},
    });
    expect(res.status).toBe(status);
    if (status === 401) expect(res.headers.get('WWW-Authenticate')).toBe('Basic realm="pullstorm"');
    if (code !== undefined) expect(await errorCode(res)).toBe(code);
  });

  test('without anonymous rules the ping needs credentials', async () => {
    const { app } = await makeApp('basic', { anonymous: [] });
    expect((await app.request('/v2/')).status).toBe(401);
    expect((await app.request('/v2/', { headers: { Authorization: basic('bob', 'hunter2') } })).status).toBe(
      200,
    );
  });

  test('events name the user and never carry the password', async () => {
    const { app, events } = await makeApp('basic');
    // Events fire once a body has been consumed, so read each one.
    await (
      await app.request('/v2/team/app/tags/list', { headers: { Authorization: basic('alice', 's3cret') } })
    ).text();
    await (
      await app.request('/v2/team/app/tags/list', { headers: { Authorization: basic('alice', 'wrong-one') } })
    ).text();
    expect(events.map((e) => e.user)).toEqual(['alice', undefined]);
    expect(JSON.stringify(events)).not.toMatch(/s3cret|wrong-one/);
  });
});

describe('auth configuration', () => {
  test('every problem is reported at once, without echoing passwords', () => {
    const options = {
      mode: 'magic',
      users: [{ username: 'a:b', password: 'pw-secret', access: [{ repository: '', actions: ['fly'] }] }],
      tokenTtlSeconds: -1,
    } as unknown as AuthOptions;
    let message = '';
    try {
      resolveAuth(options);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/auth\.mode/);
    expect(message).toMatch(/username/);
    expect(message).toMatch(/repository must be a non-empty glob/);
    expect(message).toMatch(/actions must list pull, push, delete/);
    expect(message).toMatch(/tokenTtlSeconds/);
    expect(message).not.toContain('pw-secret');
  });

  test.each([
    ['team/*', 'team/app', true],
    ['team/*', 'team/a/b', true],
    ['team/*', 'teams/app', false],
    ['*', 'anything/at/all', true],
    ['exact', 'exact', true],
    ['exact', 'exactly', false],
    ['a.b/*', 'aXb/c', false],
  ])('glob %s matches %s: %s', (glob, name, matches) => {
    expect(globMatches(glob, name)).toBe(matches);
  });

  test('scopes keep names with colons', () => {
    expect(parseScope('repository:host:5000/app:pull,push')).toEqual({
      type: 'repository',
      name: 'host:5000/app',
      actions: ['pull', 'push'],
    });
    expect(parseScope('repository:app')).toBeUndefined();
  });
});
