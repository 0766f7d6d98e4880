import { describe, expect, it } from 'vitest';
import { basic, images, ociError, stub, tiny, token, tokenAuth } from './helpers.ts';

const multiarch = images[1]!;
const path = (repository: string) => `/v2/${repository}/manifests/1.0`;
const scope = (repository: string) => `repository:${repository}:pull`;

describe('auth-insufficient-scope', () => {
  it('tokens stop granting the repositories in scope: 401 with error="insufficient_scope" and the scope needed', async () => {
    await using s = await stub({ auth: tokenAuth });
    const fault = await s.registry.faults.apply({
      fault: 'auth-insufficient-scope',
      scope: { repository: tiny.repository },
    });
    const forTiny = await token(s, scope(tiny.repository), basic('ci', 'pw'));
    const refused = await s.call(path(tiny.repository), { headers: { Authorization: `Bearer ${forTiny}` } });
    expect(refused.res.status).toBe(401);
    expect(refused.res.headers.get('www-authenticate')).toBe(
      `Bearer realm="http://localhost/token",service="pullstorm",scope="${scope(tiny.repository)}",error="insufficient_scope"`,
    );
    expect(ociError(refused.text)?.code).toBe('UNAUTHORIZED');

    const forOther = await token(s, scope(multiarch.repository), basic('ci', 'pw'));
    const other = await s.call(path(multiarch.repository), {
      headers: { Authorization: `Bearer ${forOther}` },
    });
    expect(other.res.status).toBe(200);

    await fault.clear();
    expect(
      (await s.call(path(tiny.repository), { headers: { Authorization: `Bearer ${forTiny}` } })).res.status,
    ).toBe(200);
  });
});
