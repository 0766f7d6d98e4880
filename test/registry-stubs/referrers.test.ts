import { describe, expect, test } from 'vitest';
import { createRegistryApp } from '../../registry-stubs/app.ts';
import { MediaType } from '../../registry-stubs/oci/types.ts';
import {
  blob,
  describe as descriptorOf,
  errorCode,
  imageManifest,
  pushBlob,
  pushImage,
  pushManifest,
} from './helpers.ts';

async function appWithReferrers() {
  const app = createRegistryApp();
  const { manifest } = await pushImage(app, 'a', 'v1');
  const empty = blob('{}', MediaType.ociEmpty);
  const config = blob('{"signed":true}', 'application/vnd.example.signature.config+json');
  for (const c of [empty, config]) await pushBlob(app, 'a', c);
  const subject = descriptorOf(manifest);
  const sbom = imageManifest(empty, [empty], {
    artifactType: 'application/spdx+json',
    subject,
    annotations: { 'org.example.kind': 'sbom' },
  });
  // No artifactType: the config media type stands in for it.
  const signature = imageManifest(config, [empty], { subject });
  for (const m of [sbom, signature]) expect((await pushManifest(app, 'a', m.digest, m)).status).toBe(201);
  return { app, manifest, sbom, signature };
}

describe('referrers API', () => {
  test('an OCI index of the manifests whose subject is the digest', async () => {
    const { app, manifest, sbom, signature } = await appWithReferrers();
    const res = await app.request(`/v2/a/referrers/${manifest.digest}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe(MediaType.ociIndex);
    expect(res.headers.get('OCI-Filters-Applied')).toBeNull();
    const index = (await res.json()) as { schemaVersion: number; mediaType: string; manifests: unknown[] };
    expect(index.schemaVersion).toBe(2);
    expect(index.mediaType).toBe(MediaType.ociIndex);
    expect(index.manifests).toHaveLength(2);
    expect(index.manifests).toContainEqual({
      ...descriptorOf(sbom),
      artifactType: 'application/spdx+json',
      annotations: { 'org.example.kind': 'sbom' },
    });
    expect(index.manifests).toContainEqual({
      ...descriptorOf(signature),
      artifactType: 'application/vnd.example.signature.config+json',
    });
  });

  test('artifactType filters and is announced in OCI-Filters-Applied', async () => {
    const { app, manifest, sbom } = await appWithReferrers();
    const res = await app.request(
      `/v2/a/referrers/${manifest.digest}?artifactType=${encodeURIComponent('application/spdx+json')}`,
    );
    expect(res.headers.get('OCI-Filters-Applied')).toBe('artifactType');
    const index = (await res.json()) as { manifests: { digest: string }[] };
    expect(index.manifests.map((m) => m.digest)).toEqual([sbom.digest]);
  });

  test('deleting a referrer removes it from the index', async () => {
    const { app, manifest, sbom } = await appWithReferrers();
    await app.request(`/v2/a/manifests/${sbom.digest}`, { method: 'DELETE' });
    const index = (await (await app.request(`/v2/a/referrers/${manifest.digest}`)).json()) as {
      manifests: unknown[];
    };
    expect(index.manifests).toHaveLength(1);
  });

  test('an unknown subject or repository gives an empty index; a bad digest is DIGEST_INVALID', async () => {
    const { app } = await appWithReferrers();
    for (const path of [
      `/v2/a/referrers/sha256:${'0'.repeat(64)}`,
      `/v2/none/referrers/sha256:${'0'.repeat(64)}`,
    ]) {
      const res = await app.request(path);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: [] });
    }
    const bad = await app.request('/v2/a/referrers/latest');
    expect(bad.status).toBe(400);
    expect(await errorCode(bad)).toBe('DIGEST_INVALID');
  });
});
