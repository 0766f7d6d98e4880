import { describe, expect, test } from 'vitest';
import { basic, makeApp } from './auth-fixture.ts';
import { errorCode, smallImage } from './helpers.ts';

describe('token auth', () => {
  const realm = 'Bearer realm="http://localhost/token",service="pullstorm"';

  async function token(
    app: Awaited<ReturnType<typeof makeApp>>['app'],
    scope: string,
    authorization?: string,
  ) {
    const res = await app.request(`/token?service=pullstorm&scope=${encodeURIComponent(scope)}`, {
      headers: authorization ? { Authorization: authorization } : {},
    });
    expect(res.status).toBe(200);
    return (await res.json()) as {
      token: string;
      access_token: string;
      expires_in: number;
      issued_at: string;
      refresh_token?: string;
    };
  }

  test.each([
    ['GET', '/v2/', realm],
    ['GET', '/v2/team/app/manifests/v1', `${realm},scope="repository:team/app:pull"`],
    ['PUT', '/v2/team/app/manifests/v1', `${realm},scope="repository:team/app:pull,push"`],
    ['PATCH', '/v2/team/app/blobs/uploads/abc', `${realm},scope="repository:team/app:pull,push"`],
    ['DELETE', `/v2/team/app/blobs/sha256:${'a'.repeat(64)}`, `${realm},scope="repository:team/app:delete"`],
    ['GET', '/v2/_catalog', `${realm},scope="registry:catalog:*"`],
  ])('%s %s without a token → 401 challenge', async (method, path, challenge) => {
    const { app } = await makeApp('token');
    const res = await app.request(path, { method });
    expect(res.status).toBe(401);
    expect(res.headers.get('WWW-Authenticate')).toBe(challenge);
    expect(await errorCode(res)).toBe('UNAUTHORIZED');
  });

  test('GET /token with Basic credentials grants the scope; the token pulls', async () => {
    const { app, events } = await makeApp('token');
    const t = await token(app, 'repository:team/app:pull', basic('alice', 's3cret'));
    expect(t.token).toBe(t.access_token);
    expect(t.expires_in).toBe(300);
    expect(Date.parse(t.issued_at)).not.toBeNaN();
    const res = await app.request('/v2/team/app/manifests/v1', {
      headers: { Authorization: `Bearer ${t.token}` },
    });
    expect(res.status).toBe(200);
    await res.arrayBuffer();
    expect(events.at(-1)).toMatchObject({ route: 'manifest', user: 'alice', status: 200 });
    expect(JSON.stringify(events)).not.toContain(t.token);
  });

  test('anonymous tokens carry only the anonymous rules', async () => {
    const { app } = await makeApp('token');
    const t = await token(app, 'repository:public/base:pull repository:team/app:pull');
    const auth = { Authorization: `Bearer ${t.token}` };
    expect((await app.request('/v2/public/base/manifests/v1', { headers: auth })).status).toBe(200);
    const denied = await app.request('/v2/team/app/manifests/v1', { headers: auth });
    expect(denied.status).toBe(401);
    expect(denied.headers.get('WWW-Authenticate')).toBe(
      `${realm},scope="repository:team/app:pull",error="insufficient_scope"`,
    );
  });

  test('a pull token used to push → 401 insufficient_scope asking for pull,push', async () => {
    const { app } = await makeApp('token');
    const t = await token(app, 'repository:team/app:pull,push', basic('bob', 'hunter2'));
    const res = await app.request('/v2/team/app/blobs/uploads/', {
      method: 'POST',
      headers: { Authorization: `Bearer ${t.token}` },
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('WWW-Authenticate')).toBe(
      `${realm},scope="repository:team/app:pull,push",error="insufficient_scope"`,
    );
  });

  test('a wrong password at the token endpoint is 401', async () => {
    const { app } = await makeApp('token');
    const res = await app.request('/token?service=pullstorm&scope=repository:team/app:pull', {
      headers: { Authorization: basic('alice', 'guess') },
    });
    expect(res.status).toBe(401);
    expect(await errorCode(res)).toBe('UNAUTHORIZED');
  });

  test('tokens expire after tokenTtlSeconds → invalid_token', async () => {
    let clock = Date.parse('2026-01-01T00:00:00Z');
    const { app } = await makeApp('token', { tokenTtlSeconds: 60 }, () => clock);
    const t = await token(app, 'repository:team/app:pull', basic('alice', 's3cret'));
    expect(t.expires_in).toBe(60);
    const auth = { Authorization: `Bearer ${t.token}` };
    clock += 59_000;
    expect((await app.request('/v2/team/app/tags/list', { headers: auth })).status).toBe(200);
    clock += 1_000;
    const expired = await app.request('/v2/team/app/tags/list', { headers: auth });
    expect(expired.status).toBe(401);
    expect(expired.headers.get('WWW-Authenticate')).toBe(
      `${realm},scope="repository:team/app:pull",error="invalid_token"`,
    );
  });

  test('the token endpoint ignores a stale bearer token sent along', async () => {
    const { app } = await makeApp('token');
    const res = await app.request('/token?service=pullstorm', {
      headers: { Authorization: 'Bearer not.a.token' },
    });
    expect(res.status).toBe(200);
  });

  test('a tampered token is invalid_token', async () => {
    const { app } = await makeApp('token');
    const t = await token(app, 'repository:team/app:pull', basic('alice', 's3cret'));
    const [h, p, s] = t.token.split('.') as [string, string, string];
    const forged = JSON.parse(atob(p.replace(/-/g, '+').replace(/_/g, '/')));
    forged.access[0].actions = ['pull', 'push', 'delete'];
    const body = btoa(JSON.stringify(forged)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    const res = await app.request('/v2/team/app/tags/list', {
      headers: { Authorization: `Bearer ${h}.${body}.${s}` },
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('WWW-Authenticate')).toMatch(/error="invalid_token"$/);
  });

  test('OAuth2 POST: password grant, then refresh_token grant', async () => {
    const { app } = await makeApp('token');
    const form = (fields: Record<string, string>) => ({
      method: 'POST',
      body: new URLSearchParams(fields).toString(),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    const first = await app.request(
      '/token',
      form({
        grant_type: 'password',
        username: 'alice',
        password: 's3cret',
        service: 'pullstorm',
        scope: 'repository:team/app:pull,push',
        client_id: 'test',
      }),
    );
    expect(first.status).toBe(200);
    const granted = (await first.json()) as { access_token: string; refresh_token: string; scope: string };
    expect(granted.scope).toBe('repository:team/app:pull,push');
    const push = await app.request('/v2/team/app/blobs/uploads/', {
      method: 'POST',
      headers: { Authorization: `Bearer ${granted.access_token}` },
    });
    expect(push.status).toBe(202);
    const refreshed = await app.request(
      '/token',
      form({
        grant_type: 'refresh_token',
        refresh_token: granted.refresh_token,
        scope: 'repository:team/app:pull',
      }),
    );
    expect(refreshed.status).toBe(200);
    const again = (await refreshed.json()) as { access_token: string };
    expect(
      (
        await app.request('/v2/team/app/tags/list', {
          headers: { Authorization: `Bearer ${again.access_token}` },
        })
      ).status,
    ).toBe(200);
    // A refresh token is not an access token.
    expect(
      (
        await app.request('/v2/team/app/tags/list', {
          headers: { Authorization: `Bearer ${granted.refresh_token}` },
        })
      ).status,
    ).toBe(401);
    expect(
      (await app.request('/token', form({ grant_type: 'password', username: 'alice', password: 'x' })))
        .status,
    ).toBe(401);
    expect(
      (await app.request('/token', form({ grant_type: 'refresh_token', refresh_token: 'junk' }))).status,
    ).toBe(401);
    expect((await app.request('/token', form({ grant_type: 'client_credentials' }))).status).toBe(400);
  });

  test('the catalog needs registry:catalog:*, granted to authenticated users only', async () => {
    const { app } = await makeApp('token');
    const anon = await token(app, 'registry:catalog:*');
    expect(
      (await app.request('/v2/_catalog', { headers: { Authorization: `Bearer ${anon.token}` } })).status,
    ).toBe(401);
    const t = await token(app, 'registry:catalog:*', basic('bob', 'hunter2'));
    const res = await app.request('/v2/_catalog', { headers: { Authorization: `Bearer ${t.token}` } });
    expect(await res.json()).toEqual({ repositories: ['public/base', 'team/app'] });
  });

  test('cross-repository mount needs pull on the source, else it is a plain upload', async () => {
    const { app } = await makeApp('token');
    const digest = smallImage('team/app').layer.digest;
    const onlyTarget = await token(app, 'repository:team/copy:pull,push', basic('alice', 's3cret'));
    const bobMount = await app.request(`/v2/team/copy/blobs/uploads/?mount=${digest}&from=team/app`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${onlyTarget.token}` },
    });
    expect(bobMount.status).toBe(202);
    const both = await token(
      app,
      'repository:team/copy:pull,push repository:team/app:pull',
      basic('alice', 's3cret'),
    );
    const mounted = await app.request(`/v2/team/copy/blobs/uploads/?mount=${digest}&from=team/app`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${both.token}` },
    });
    expect(mounted.status).toBe(201);
    expect(mounted.headers.get('Location')).toBe(`/v2/team/copy/blobs/${digest}`);
  });
});
