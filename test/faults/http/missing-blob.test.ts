import { describe, expect, it } from 'vitest';
import { ociError, stub, tiny } from './helpers.ts';

describe('missing-blob', () => {
  it('answers blob GET and HEAD 404 BLOB_UNKNOWN; manifests still resolve', async () => {
    await using s = await stub();
    await s.registry.faults.apply({ fault: 'missing-blob' });
    const digest = tiny.blobs[1]!.digest;
    const get = await s.call(`/v2/${tiny.repository}/blobs/${digest}`);
    expect(get.res.status).toBe(404);
    expect(ociError(get.text)).toEqual({
      code: 'BLOB_UNKNOWN',
      message: `blob ${digest} not found in repository '${tiny.repository}'`,
      detail: { repository: tiny.repository, digest },
    });
    expect((await s.call(`/v2/${tiny.repository}/blobs/${digest}`, { method: 'HEAD' })).res.status).toBe(404);
    expect((await s.call(`/v2/${tiny.repository}/manifests/1.0`)).res.status).toBe(200);
  });

  it('can be limited to some digests', async () => {
    await using s = await stub();
    const [config, layer] = tiny.blobs.map((b) => b.digest);
    await s.registry.faults.apply({ fault: 'missing-blob', options: { digests: [layer!] } });
    expect((await s.call(`/v2/${tiny.repository}/blobs/${config}`)).res.status).toBe(200);
    expect((await s.call(`/v2/${tiny.repository}/blobs/${layer}`)).res.status).toBe(404);
    await expect(
      s.registry.faults.apply({ fault: 'missing-blob', options: { digests: ['abc'] } }),
    ).rejects.toThrow(
      'options.digests: expected a list of digests such as sha256:<64 hex digits>, got a list',
    );
  });
});
