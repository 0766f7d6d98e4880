import { describe, expect, it } from 'vitest';
import { images, ociError, stub, tiny } from './helpers.ts';

describe('unknown-tag', () => {
  it('answers manifest requests by a matching tag 404 MANIFEST_UNKNOWN; by digest they still work', async () => {
    await using s = await stub();
    await s.registry.faults.apply({ fault: 'unknown-tag', scope: { repository: tiny.repository } });
    const get = await s.call(`/v2/${tiny.repository}/manifests/1.0`);
    expect(get.res.status).toBe(404);
    expect(ociError(get.text)).toEqual({
      code: 'MANIFEST_UNKNOWN',
      message: `manifest '1.0' not found in repository '${tiny.repository}'`,
      detail: { repository: tiny.repository, reference: '1.0' },
    });
    const head = await s.call(`/v2/${tiny.repository}/manifests/1.0`, { method: 'HEAD' });
    expect([head.res.status, head.body.byteLength]).toEqual([404, 0]);
    expect((await s.call(`/v2/${tiny.repository}/manifests/${tiny.root.digest}`)).res.status).toBe(200);
    expect((await s.call(`/v2/${images[1]!.repository}/manifests/1.0`)).res.status).toBe(200);
  });

  it('matches tags by glob', async () => {
    await using s = await stub();
    await s.registry.faults.apply({ fault: 'unknown-tag', options: { tag: '2.*' } });
    expect((await s.call(`/v2/${tiny.repository}/manifests/1.0`)).res.status).toBe(200);
    expect((await s.call(`/v2/${tiny.repository}/manifests/2.1`)).res.status).toBe(404);
  });
});
