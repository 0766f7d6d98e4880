import { describe, expect, it } from 'vitest';
import { basic, ociError, stub, tiny, token, tokenAuth } from './helpers.ts';

const manifest = `/v2/${tiny.repository}/manifests/${tiny.tag}`;
const scope = `repository:${tiny.repository}:pull`;

describe('auth-bad-credentials', () => {
  it('token auth: the token endpoint rejects passwords (GET and OAuth POST) and user tokens are invalid', async () => {
    await using s = await stub({ auth: tokenAuth });
    const earlier = await token(s, scope, basic('ci', 'pw'));
    await s.registry.faults.apply({ fault: 'auth-bad-credentials' });

    const get = await s.call(`/token?service=pullstorm&scope=${scope}`, {
      headers: { Authorization: basic('ci', 'pw') },
    });
    expect(get.res.status).toBe(401);
    expect(get.res.headers.get('www-authenticate')).toBe('Basic realm="pullstorm"');
    expect(ociError(get.text)).toEqual({ code: 'UNAUTHORIZED', message: 'invalid username or password' });
    const post = await s.call('/token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `grant_type=password&username=ci&password=pw&service=pullstorm&scope=${scope}`,
    });
    expect(post.res.status).toBe(401);

    const used = await s.call(manifest, { headers: { Authorization: `Bearer ${earlier}` } });
    expect(used.res.status).toBe(401);
    expect(used.res.headers.get('www-authenticate')).toContain('error="invalid_token"');

    // No credential offered, nothing rejected.
    const anonymous = await token(s, scope);
    expect((await s.call(manifest, { headers: { Authorization: `Bearer ${anonymous}` } })).res.status).toBe(
      200,
    );
    expect(s.events.filter((e) => e.kind === 'fault.hit')).toHaveLength(3);
  });

  it('basic auth: a right password is answered like a wrong one', async () => {
    await using s = await stub({ auth: { ...tokenAuth, mode: 'basic' } });
    await s.registry.faults.apply({ fault: 'auth-bad-credentials' });
    const refused = await s.call(manifest, { headers: { Authorization: basic('ci', 'pw') } });
    expect(refused.res.status).toBe(401);
    expect(refused.res.headers.get('www-authenticate')).toBe('Basic realm="pullstorm"');
    expect(ociError(refused.text)?.message).toBe('invalid username or password');
    expect((await s.call(manifest)).res.status).toBe(200);
  });
});
