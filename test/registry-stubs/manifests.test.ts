import { describe, expect, test } from 'vitest';
import { createRegistryApp } from '../../registry-stubs/app.ts';
import { MediaType } from '../../registry-stubs/oci/types.ts';
import { errorCode, imageIndex, pushImage, pushManifest } from './helpers.ts';

describe('manifest GET and HEAD', () => {
  test('by tag and by digest, with every header a client needs', async () => {
    const app = createRegistryApp();
    const { manifest } = await pushImage(app, 'team/app', 'v1');
    for (const reference of ['v1', manifest.digest]) {
      const res = await app.request(`/v2/team/app/manifests/${reference}`, {
        headers: { Accept: MediaType.ociManifest },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('Content-Type')).toBe(MediaType.ociManifest);
      expect(res.headers.get('Docker-Content-Digest')).toBe(manifest.digest);
      expect(res.headers.get('Content-Length')).toBe(String(manifest.bytes.byteLength));
      expect(res.headers.get('ETag')).toBe(`"${manifest.digest}"`);
      expect(res.headers.get('Docker-Distribution-API-Version')).toBe('registry/2.0');
      expect(new Uint8Array(await res.arrayBuffer())).toEqual(manifest.bytes);
    }
  });

  test('HEAD has the same headers and no body', async () => {
    const app = createRegistryApp();
    const { manifest } = await pushImage(app, 'a', 'v1');
    const res = await app.request('/v2/a/manifests/v1', { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Length')).toBe(String(manifest.bytes.byteLength));
    expect(res.headers.get('Docker-Content-Digest')).toBe(manifest.digest);
    expect(await res.text()).toBe('');
  });

  test('If-None-Match with the digest ETag gives 304', async () => {
    const app = createRegistryApp();
    const { manifest } = await pushImage(app, 'a', 'v1');
    const res = await app.request('/v2/a/manifests/v1', {
      headers: { 'If-None-Match': `"${manifest.digest}"` },
    });
    expect(res.status).toBe(304);
  });

  test('multi-component names that contain route words route correctly', async () => {
    const app = createRegistryApp();
    await pushImage(app, 'org/manifests/blobs/uploads', 'latest');
    const res = await app.request('/v2/org/manifests/blobs/uploads/manifests/latest');
    expect(res.status).toBe(200);
  });

  test('unknown tag and unknown digest are 404 MANIFEST_UNKNOWN; HEAD has no body', async () => {
    const app = createRegistryApp();
    await pushImage(app, 'a', 'v1');
    const res = await app.request('/v2/a/manifests/v2');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      errors: [
        {
          code: 'MANIFEST_UNKNOWN',
          message: "manifest 'v2' not found in repository 'a'",
          detail: { repository: 'a', reference: 'v2' },
        },
      ],
    });
    const head = await app.request(`/v2/a/manifests/sha256:${'0'.repeat(64)}`, { method: 'HEAD' });
    expect(head.status).toBe(404);
    expect(await head.text()).toBe('');
  });
});

describe('content negotiation', () => {
  const cases: [string, string | undefined, number][] = [
    ['no Accept header', undefined, 200],
    ['exact OCI index', MediaType.ociIndex, 200],
    ['wildcard', '*/*', 200],
    ['type wildcard', 'application/*', 200],
    ['Docker types only', `${MediaType.dockerManifest}, ${MediaType.dockerManifestList}`, 404],
    ['OCI index with q=0', `${MediaType.ociIndex};q=0, ${MediaType.dockerManifestList}`, 404],
    ['OCI index among others', `${MediaType.dockerManifest}, ${MediaType.ociIndex};q=0.5`, 200],
  ];
  test.each(cases)('an OCI index requested with %s → %i', async (_, accept, status) => {
    const app = createRegistryApp();
    const { manifest } = await pushImage(app, 'a', 'amd64');
    const index = imageIndex([{ content: manifest, architecture: 'amd64' }]);
    expect((await pushManifest(app, 'a', 'multi', index)).status).toBe(201);
    const res = await app.request('/v2/a/manifests/multi', { headers: accept ? { Accept: accept } : {} });
    expect(res.status).toBe(status);
    if (status === 200) expect(res.headers.get('Content-Type')).toBe(MediaType.ociIndex);
    else
      expect(await res.json()).toMatchObject({
        errors: [{ code: 'MANIFEST_UNKNOWN', message: expect.stringMatching(/does not allow/) }],
      });
  });
});

describe('manifest DELETE', () => {
  test('by digest removes the manifest and its tags (202)', async () => {
    const app = createRegistryApp();
    const { manifest } = await pushImage(app, 'a', 'v1');
    await pushManifest(app, 'a', 'v1-alias', manifest);
    expect((await app.request(`/v2/a/manifests/${manifest.digest}`, { method: 'DELETE' })).status).toBe(202);
    expect((await app.request('/v2/a/manifests/v1')).status).toBe(404);
    expect((await app.request('/v2/a/manifests/v1-alias')).status).toBe(404);
    expect(await (await app.request('/v2/a/tags/list')).json()).toEqual({ name: 'a', tags: [] });
  });

  test('by tag removes only the tag', async () => {
    const app = createRegistryApp();
    const { manifest } = await pushImage(app, 'a', 'v1');
    expect((await app.request('/v2/a/manifests/v1', { method: 'DELETE' })).status).toBe(202);
    expect((await app.request('/v2/a/manifests/v1')).status).toBe(404);
    expect((await app.request(`/v2/a/manifests/${manifest.digest}`)).status).toBe(200);
  });

  test('unknown is 404 MANIFEST_UNKNOWN', async () => {
    const app = createRegistryApp();
    const res = await app.request('/v2/a/manifests/v1', { method: 'DELETE' });
    expect(res.status).toBe(404);
    expect(await errorCode(res)).toBe('MANIFEST_UNKNOWN');
  });
});

describe('tag overwrite', () => {
  test('re-pointing a tag serves the new digest at once', async () => {
    const app = createRegistryApp();
    await pushImage(app, 'a', 'v1', 'one');
    const second = await pushImage(app, 'a', 'v1', 'two');
    const res = await app.request('/v2/a/manifests/v1', { method: 'HEAD' });
    expect(res.headers.get('Docker-Content-Digest')).toBe(second.manifest.digest);
  });
});
