import { describe, expect, it } from 'vitest';
import { ociError, stub, tiny, tokenAuth } from './helpers.ts';

describe('registry-down', () => {
  it('answers every request 503, the token endpoint and the base route included', async () => {
    await using s = await stub({ auth: tokenAuth });
    await s.registry.faults.apply({ fault: 'registry-down' });
    for (const path of ['/v2/', '/token?scope=repository:x:pull', `/v2/${tiny.repository}/manifests/1.0`]) {
      const { res, text } = await s.call(path);
      expect(res.status).toBe(503);
      expect(ociError(text)).toEqual({ code: 'UNKNOWN', message: 'service unavailable' });
    }
  });

  it('can be limited to clients, but not to routes', async () => {
    await using s = await stub();
    await s.registry.faults.apply({ fault: 'registry-down', scope: { clients: ['10.0.1.*'] } });
    expect((await s.call('/v2/', { client: '10.0.1.7' })).res.status).toBe(503);
    expect((await s.call('/v2/', { client: '10.0.2.7' })).res.status).toBe(200);
    await expect(
      s.registry.faults.apply({ fault: 'registry-down', scope: { route: 'blob' } }),
    ).rejects.toThrow('scope.route: registry-down cannot be limited by route; it honours nodes, clients');
  });
});
