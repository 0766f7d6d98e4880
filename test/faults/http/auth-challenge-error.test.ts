import { describe, expect, it } from 'vitest';
import { ociError, stub, tiny, token, tokenAuth } from './helpers.ts';

const manifest = `/v2/${tiny.repository}/manifests/${tiny.tag}`;
const scope = `repository:${tiny.repository}:pull`;
const challenge = `Bearer realm="http://localhost/token",service="pullstorm",scope="${scope}"`;

describe('auth-challenge-error', () => {
  it('answers token-bearing requests 401 with error= (default invalid_token); others get the plain challenge', async () => {
    await using s = await stub({ auth: tokenAuth });
    await s.registry.faults.apply({ fault: 'auth-challenge-error' });
    const bearer = await token(s, scope);
    const refused = await s.call(manifest, { headers: { Authorization: `Bearer ${bearer}` } });
    expect(refused.res.status).toBe(401);
    expect(refused.res.headers.get('www-authenticate')).toBe(`${challenge},error="invalid_token"`);
    expect(ociError(refused.text)).toEqual({
      code: 'UNAUTHORIZED',
      message: 'bearer token is invalid or expired',
    });
    const bare = await s.call(manifest);
    expect([bare.res.status, bare.res.headers.get('www-authenticate')]).toEqual([401, challenge]);
  });

  it('takes the error value as an option', async () => {
    await using s = await stub({ auth: tokenAuth });
    await expect(
      s.registry.faults.apply({ fault: 'auth-challenge-error', options: { error: 'expired' } }),
    ).rejects.toThrow(
      "options.error: expected one of 'invalid_token', 'insufficient_scope', 'invalid_request', got 'expired'",
    );
    await s.registry.faults.apply({ fault: 'auth-challenge-error', options: { error: 'invalid_request' } });
    const bearer = await token(s, scope);
    const refused = await s.call(manifest, { headers: { Authorization: `Bearer ${bearer}` } });
    expect(refused.res.headers.get('www-authenticate')).toBe(`${challenge},error="invalid_request"`);
  });
});
