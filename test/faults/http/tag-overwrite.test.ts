import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { REBUILD_LABEL } from '../../../registry-stubs/faults/index.ts';
import { fixtureImages } from '../../../registry-stubs/fixtures/catalogue.ts';
import { images, stub, tiny } from './helpers.ts';

const sha256 = (bytes: Uint8Array) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
const multiarch = images[1]!;

describe('tag-overwrite', () => {
  it('rebuilds the image with a changed config by default: new digest, same layers; clear restores the old digest', async () => {
    await using s = await stub();
    const fault = await s.registry.faults.apply({
      fault: 'tag-overwrite',
      scope: { repository: tiny.repository },
    });
    const after = await s.call(`/v2/${tiny.repository}/manifests/1.0`);
    const digest = after.res.headers.get('docker-content-digest')!;
    expect(digest).not.toBe(tiny.root.digest);
    expect(sha256(after.body)).toBe(digest);
    const manifest = JSON.parse(after.text) as { config: { digest: string }; layers: { digest: string }[] };
    const original = JSON.parse(new TextDecoder().decode(tiny.manifests[0]!.bytes)) as typeof manifest;
    expect(manifest.layers).toEqual(original.layers);
    const config = await s.call(`/v2/${tiny.repository}/blobs/${manifest.config.digest}`);
    expect(config.res.status).toBe(200);
    expect(JSON.parse(config.text).config.Labels[REBUILD_LABEL]).toBe(fault.id);
    // The other repositories keep their tag; requests for the new tag are marked.
    expect(
      (await s.call(`/v2/${multiarch.repository}/manifests/1.0`)).res.headers.get('docker-content-digest'),
    ).toBe(multiarch.root.digest);
    expect(s.requests[0]!.faults).toEqual(['tag-overwrite']);

    await fault.clear();
    const restored = await s.call(`/v2/${tiny.repository}/manifests/1.0`);
    expect(restored.res.headers.get('docker-content-digest')).toBe(tiny.root.digest);
    // The rebuilt image stays stored, as after a real push.
    expect((await s.call(`/v2/${tiny.repository}/manifests/${digest}`)).res.status).toBe(200);
  });

  it('rebuilds an index child by child', async () => {
    await using s = await stub();
    await s.registry.faults.apply({ fault: 'tag-overwrite', scope: { repository: multiarch.repository } });
    const index = JSON.parse((await s.call(`/v2/${multiarch.repository}/manifests/1.0`)).text) as {
      manifests: { digest: string; platform: { architecture: string } }[];
    };
    const before = JSON.parse(new TextDecoder().decode(multiarch.manifests[0]!.bytes)) as typeof index;
    expect(index.manifests.map((m) => m.platform.architecture)).toEqual(['amd64', 'arm64']);
    for (const [i, child] of index.manifests.entries()) {
      expect(child.digest).not.toBe(before.manifests[i]!.digest);
      expect((await s.call(`/v2/${multiarch.repository}/manifests/${child.digest}`)).res.status).toBe(200);
    }
  });

  it('points the tag at a fixture image', async () => {
    await using s = await stub();
    const arm64 = fixtureImages({ include: ['arm64-only'] })[0]!;
    await s.registry.faults.apply({
      fault: 'tag-overwrite',
      options: { image: 'arm64-only' },
      scope: { repository: tiny.repository },
    });
    const after = await s.call(`/v2/${tiny.repository}/manifests/1.0`);
    expect(after.res.headers.get('docker-content-digest')).toBe(arm64.root.digest);
    for (const blob of arm64.blobs) {
      expect((await s.call(`/v2/${tiny.repository}/blobs/${blob.digest}`)).res.status).toBe(200);
    }
  });

  it('says when no selected repository has the tag, and rejects image with rebuild', async () => {
    await using s = await stub();
    await expect(
      s.registry.faults.apply({
        fault: 'tag-overwrite',
        options: { tag: 'latest' },
        scope: { repository: 'pullstorm/t*' },
      }),
    ).rejects.toMatchObject({
      code: 'FAULT_NOT_APPLICABLE',
      message: "options.tag: expected a repository with tag 'latest', got none (selected: pullstorm/tiny)",
    });
    await expect(
      s.registry.faults.apply({ fault: 'tag-overwrite', options: { image: 'tiny', rebuild: true } }),
    ).rejects.toThrow('options.rebuild: expected image or rebuild, got both');
    await expect(
      s.registry.faults.apply({ fault: 'tag-overwrite', scope: { nodes: ['node-1'] } }),
    ).rejects.toThrow('scope.nodes: tag-overwrite cannot be limited by nodes; it honours repository');
    expect(s.registry.faults.list()).toEqual([]);
  });
});
