import { describe, expect, it } from 'vitest';
import { fixtureImages } from '../../../registry-stubs/fixtures/catalogue.ts';
import { stub, tiny } from './helpers.ts';

describe('wrong-platform', () => {
  it('serves the no-amd64 index under the tag, whose platforms leave amd64 out; clear restores it', async () => {
    await using s = await stub();
    const noAmd64 = fixtureImages({ include: ['no-amd64'] })[0]!;
    const fault = await s.registry.faults.apply({
      fault: 'wrong-platform',
      scope: { repository: tiny.repository },
    });
    const { res, text } = await s.call(`/v2/${tiny.repository}/manifests/1.0`);
    expect(res.headers.get('docker-content-digest')).toBe(noAmd64.root.digest);
    expect(res.headers.get('content-type')).toBe('application/vnd.oci.image.index.v1+json');
    const platforms = (
      JSON.parse(text) as { manifests: { platform: { architecture: string; variant?: string } }[] }
    ).manifests.map((m) => m.platform);
    expect(platforms.map((p) => p.architecture)).toEqual(['arm64', 'arm']);
    for (const child of noAmd64.manifests.slice(1)) {
      expect((await s.call(`/v2/${tiny.repository}/manifests/${child.digest}`)).res.status).toBe(200);
    }
    await fault.clear();
    expect(
      (await s.call(`/v2/${tiny.repository}/manifests/1.0`)).res.headers.get('docker-content-digest'),
    ).toBe(tiny.root.digest);
  });
});
