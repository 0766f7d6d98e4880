import { describe, expect, it } from 'vitest';
import { stub, tiny, token, tokenAuth } from './helpers.ts';

const manifest = `/v2/${tiny.repository}/manifests/${tiny.tag}`;
const scope = `repository:${tiny.repository}:pull`;

describe('auth-token-expiry', () => {
  it('issues tokens with the short expires_in, and they really expire then', async () => {
    await using s = await stub({ auth: tokenAuth });
    const before = await token(s, scope);
    await s.registry.faults.apply({ fault: 'auth-token-expiry', options: { expiresInSeconds: 5 } });
    const issued = await s.call(`/token?service=pullstorm&scope=${scope}`);
    const body = JSON.parse(issued.text) as { token: string; access_token: string; expires_in: number };
    expect(body.expires_in).toBe(5);
    expect(body.access_token).toBe(body.token);
    const use = () => s.call(manifest, { headers: { Authorization: `Bearer ${body.token}` } });

    s.clock.now += 4_999;
    expect((await use()).res.status).toBe(200);
    s.clock.now += 1;
    const expired = await use();
    expect(expired.res.status).toBe(401);
    expect(expired.res.headers.get('www-authenticate')).toBe(
      `Bearer realm="http://localhost/token",service="pullstorm",scope="${scope}",error="invalid_token"`,
    );
    // A fresh token works; one issued before the fault keeps the registry's lifetime (300 s).
    const fresh = await token(s, scope);
    expect((await s.call(manifest, { headers: { Authorization: `Bearer ${fresh}` } })).res.status).toBe(200);
    expect((await s.call(manifest, { headers: { Authorization: `Bearer ${before}` } })).res.status).toBe(200);
  });

  it('defaults to 5 s and rejects a lifetime below 1 s', async () => {
    await using s = await stub({ auth: tokenAuth });
    await expect(
      s.registry.faults.apply({ fault: 'auth-token-expiry', options: { expiresInSeconds: 0 } }),
    ).rejects.toThrow('options.expiresInSeconds: expected an integer from 1 to 86400, got 0');
    const { id } = await s.registry.faults.apply({ fault: 'auth-token-expiry' });
    expect(s.registry.faults.list()).toMatchObject([{ id, options: { expiresInSeconds: 5 } }]);
  });
});
