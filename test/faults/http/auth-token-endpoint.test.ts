import { describe, expect, it } from 'vitest';
import { unresolvableHost } from '../../../registry-stubs/faults/net/dns.ts';
import { basic, ociError, stub, tiny, token, tokenAuth } from './helpers.ts';

const manifest = `/v2/${tiny.repository}/manifests/${tiny.tag}`;
const scope = `repository:${tiny.repository}:pull`;

describe('auth-token-endpoint', () => {
  it('answers token requests with the status (default 503); the registry itself keeps serving', async () => {
    await using s = await stub({ auth: tokenAuth });
    const earlier = await token(s, scope);
    await s.registry.faults.apply({ fault: 'auth-token-endpoint' });
    const failed = await s.call(`/token?service=pullstorm&scope=${scope}`);
    expect(failed.res.status).toBe(503);
    expect(ociError(failed.text)).toEqual({ code: 'UNKNOWN', message: 'token service unavailable' });
    const post = await s.call('/token', {
      method: 'POST',
      body: 'grant_type=password&username=ci&password=pw',
    });
    expect(post.res.status).toBe(503);
    expect((await s.call(manifest, { headers: { Authorization: `Bearer ${earlier}` } })).res.status).toBe(
      200,
    );
  });

  it('takes any 5xx status', async () => {
    await using s = await stub({ auth: tokenAuth });
    await s.registry.faults.apply({ fault: 'auth-token-endpoint', options: { status: 502 } });
    await expect(token(s, scope, basic('ci', 'pw'))).rejects.toThrow('token endpoint answered 502');
  });

  it("'refused' points challenges at port 2 of the same host; answered requests are not touched", async () => {
    await using s = await stub({ auth: tokenAuth });
    const earlier = await token(s, scope);
    await s.registry.faults.apply({ fault: 'auth-token-endpoint', options: { status: 'refused' } });
    const challenged = await s.call(manifest);
    expect(challenged.res.status).toBe(401);
    expect(challenged.res.headers.get('www-authenticate')).toBe(
      `Bearer realm="http://localhost:2/token",service="pullstorm",scope="${scope}"`,
    );
    expect((await s.call(manifest, { headers: { Authorization: `Bearer ${earlier}` } })).res.status).toBe(
      200,
    );
    expect((await s.call(`/token?scope=${scope}`)).res.status).toBe(200);
    expect(s.requests.map((r) => r.faults)).toEqual([
      undefined,
      ['auth-token-endpoint'],
      undefined,
      undefined,
    ]);
  });

  it("'dns' points challenges at a host under .invalid", async () => {
    await using s = await stub({ auth: tokenAuth });
    await s.registry.faults.apply({ fault: 'auth-token-endpoint', options: { status: 'dns' } });
    expect((await s.call(manifest)).res.headers.get('www-authenticate')).toMatch(
      new RegExp(`^Bearer realm="http://${unresolvableHost('auth')}/token",service="pullstorm"`),
    );
  });

  it('needs token auth and a 5xx or refused/dns', async () => {
    await using s = await stub();
    await expect(s.registry.faults.apply({ fault: 'auth-token-endpoint' })).rejects.toMatchObject({
      code: 'FAULT_NOT_APPLICABLE',
      message: "fault: auth-token-endpoint needs a registry with auth mode 'token'; this one has 'none'",
    });
    await expect(
      s.registry.faults.apply({ fault: 'auth-token-endpoint', options: { status: 404 } }),
    ).rejects.toThrow("options.status: expected a status from 500 to 599, 'refused' or 'dns', got 404");
  });
});
