import { describe, expect, it } from 'vitest';
import { basic, ociError, stub, tiny, token, tokenAuth } from './helpers.ts';

const manifest = `/v2/${tiny.repository}/manifests/${tiny.tag}`;
const scope = `repository:${tiny.repository}:pull`;
const challenge = `Bearer realm="http://localhost/token",service="pullstorm",scope="${scope}"`;

describe('auth-no-credentials', () => {
  it('token auth: anonymous tokens grant nothing (401 insufficient_scope); user tokens still pull', async () => {
    await using s = await stub({ auth: tokenAuth });
    const before = await token(s, scope);
    expect((await s.call(manifest, { headers: { Authorization: `Bearer ${before}` } })).res.status).toBe(200);
    const fault = await s.registry.faults.apply({ fault: 'auth-no-credentials' });

    const anonymous = await token(s, scope);
    const refused = await s.call(manifest, { headers: { Authorization: `Bearer ${anonymous}` } });
    expect(refused.res.status).toBe(401);
    expect(refused.res.headers.get('www-authenticate')).toBe(`${challenge},error="insufficient_scope"`);
    expect(ociError(refused.text)?.code).toBe('UNAUTHORIZED');
    const bare = await s.call(manifest);
    expect([bare.res.status, bare.res.headers.get('www-authenticate')]).toEqual([401, challenge]);

    const user = await token(s, scope, basic('ci', 'pw'));
    expect((await s.call(manifest, { headers: { Authorization: `Bearer ${user}` } })).res.status).toBe(200);
    expect(s.requests.filter((r) => r.faults !== undefined).map((r) => r.status)).toEqual([401, 401]);

    await fault.clear();
    expect((await s.call(manifest, { headers: { Authorization: `Bearer ${anonymous}` } })).res.status).toBe(
      200,
    );
  });

  it('basic auth: anonymous rules stop applying, so anonymous requests get the Basic challenge', async () => {
    await using s = await stub({ auth: { ...tokenAuth, mode: 'basic' } });
    expect((await s.call(manifest)).res.status).toBe(200);
    await s.registry.faults.apply({ fault: 'auth-no-credentials' });
    const refused = await s.call(manifest);
    expect([refused.res.status, refused.res.headers.get('www-authenticate')]).toEqual([
      401,
      'Basic realm="pullstorm"',
    ]);
    expect((await s.call(manifest, { headers: { Authorization: basic('ci', 'pw') } })).res.status).toBe(200);
  });

  it('no auth: requests without credentials get 401 with a Basic challenge, HEAD without a body', async () => {
    await using s = await stub();
    await s.registry.faults.apply({ fault: 'auth-no-credentials' });
    const refused = await s.call(manifest);
    expect(refused.res.status).toBe(401);
    expect(refused.res.headers.get('www-authenticate')).toBe('Basic realm="pullstorm"');
    expect(ociError(refused.text)).toEqual({ code: 'UNAUTHORIZED', message: 'authentication required' });
    const head = await s.call(manifest, { method: 'HEAD' });
    expect([head.res.status, head.body.byteLength]).toEqual([401, 0]);
    expect((await s.call(manifest, { headers: { Authorization: basic('any', 'thing') } })).res.status).toBe(
      200,
    );
  });

  it('no auth: empty Basic credentials (`Og==`, what podman and skopeo send) are anonymous and refused', async () => {
    await using s = await stub();
    await s.registry.faults.apply({ fault: 'auth-no-credentials' });
    const empty = await s.call(manifest, { headers: { Authorization: 'Basic Og==' } });
    expect([empty.res.status, empty.res.headers.get('www-authenticate')]).toEqual([
      401,
      'Basic realm="pullstorm"',
    ]);
    expect((await s.call(manifest, { headers: { Authorization: basic('', 'x') } })).res.status).toBe(200);
  });

  it('takes no options', async () => {
    await using s = await stub();
    await expect(
      s.registry.faults.apply({ fault: 'auth-no-credentials', options: { realm: 'x' } }),
    ).rejects.toThrow('options.realm: unknown option; auth-no-credentials takes no options');
  });
});
