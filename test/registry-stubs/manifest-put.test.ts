import { describe, expect, test } from 'vitest';
import { createRegistryApp } from '../../registry-stubs/app.ts';
import { digestOf } from '../../registry-stubs/digest.ts';
import { MediaType } from '../../registry-stubs/oci/types.ts';
import { maxManifestBytes } from '../../registry-stubs/routes/manifests.ts';
import {
  blob,
  errorCode,
  imageIndex,
  imageManifest,
  jsonContent,
  pushBlob,
  pushImage,
  pushManifest,
  smallImage,
} from './helpers.ts';

describe('manifest PUT', () => {
  test('201 with Location and Docker-Content-Digest; the tag then resolves', async () => {
    const app = createRegistryApp();
    const { config, layer, manifest } = smallImage();
    await pushBlob(app, 'a', config);
    await pushBlob(app, 'a', layer);
    const res = await pushManifest(app, 'a', 'v1', manifest);
    expect(res.status).toBe(201);
    expect(res.headers.get('Location')).toBe(`/v2/a/manifests/${manifest.digest}`);
    expect(res.headers.get('Docker-Content-Digest')).toBe(manifest.digest);
    expect(res.headers.get('OCI-Subject')).toBeNull();
  });

  test('by digest: accepted when the body matches, DIGEST_INVALID when it does not', async () => {
    const app = createRegistryApp();
    const { manifest } = await pushImage(app, 'a', 'v1');
    expect((await pushManifest(app, 'a', manifest.digest, manifest)).status).toBe(201);
    const wrong = `sha256:${'1'.repeat(64)}`;
    const res = await pushManifest(app, 'a', wrong, manifest);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      errors: [
        {
          code: 'DIGEST_INVALID',
          message: `manifest body has digest ${manifest.digest}; the URL says ${wrong}`,
        },
      ],
    });
  });

  test('a sha512 reference is verified with sha512', async () => {
    const app = createRegistryApp();
    const { manifest } = await pushImage(app, 'a', 'v1');
    const digest = digestOf(manifest.bytes, 'sha512');
    const res = await pushManifest(app, 'a', digest, manifest);
    expect(res.status).toBe(201);
    expect(res.headers.get('Docker-Content-Digest')).toBe(digest);
    expect((await app.request(`/v2/a/manifests/${digest}`)).status).toBe(200);
  });

  test('a subject is echoed in OCI-Subject', async () => {
    const app = createRegistryApp();
    const { manifest } = await pushImage(app, 'a', 'v1');
    const empty = blob('{}', MediaType.ociEmpty);
    await pushBlob(app, 'a', empty);
    const sbom = imageManifest(empty, [empty], {
      artifactType: 'application/spdx+json',
      subject: { mediaType: manifest.mediaType, digest: manifest.digest, size: manifest.bytes.byteLength },
    });
    const res = await pushManifest(app, 'a', sbom.digest, sbom);
    expect(res.status).toBe(201);
    expect(res.headers.get('OCI-Subject')).toBe(manifest.digest);
  });

  test('missing config or layers are MANIFEST_BLOB_UNKNOWN naming every missing digest', async () => {
    const app = createRegistryApp();
    const { config, layer, manifest } = smallImage();
    await pushBlob(app, 'a', config);
    await pushBlob(app, 'other', layer);
    const res = await pushManifest(app, 'a', 'v1', manifest);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      errors: [{ code: 'MANIFEST_BLOB_UNKNOWN', detail: { missing: [layer.digest] } }],
    });
  });

  test('an index whose child manifest is missing is MANIFEST_BLOB_UNKNOWN', async () => {
    const app = createRegistryApp();
    const { manifest } = smallImage('x');
    const index = imageIndex([{ content: manifest, architecture: 'arm64' }]);
    const res = await pushManifest(app, 'a', 'v1', index);
    expect(res.status).toBe(400);
    expect(await errorCode(res)).toBe('MANIFEST_BLOB_UNKNOWN');
  });

  test('foreign layers with urls are not required to exist', async () => {
    const app = createRegistryApp();
    const { config } = smallImage();
    await pushBlob(app, 'a', config);
    const foreign = {
      ...blob('windows base'),
      mediaType: 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',
    };
    const body = JSON.parse(new TextDecoder().decode(imageManifest(config, [foreign]).bytes));
    body.layers[0].urls = ['https://example.invalid/layer'];
    const res = await pushManifest(app, 'a', 'v1', jsonContent(body, MediaType.ociManifest));
    expect(res.status).toBe(201);
  });

  const invalid: [string, string, string | undefined, number, string][] = [
    ['not JSON', '{', MediaType.ociManifest, 400, 'MANIFEST_INVALID'],
    ['a JSON array', '[]', MediaType.ociManifest, 400, 'MANIFEST_INVALID'],
    [
      'schemaVersion 1',
      '{"schemaVersion":1,"config":{},"layers":[]}',
      MediaType.ociManifest,
      400,
      'MANIFEST_INVALID',
    ],
    [
      'a bad config digest',
      '{"schemaVersion":2,"config":{"mediaType":"x","digest":"sha256:zz","size":1},"layers":[]}',
      MediaType.ociManifest,
      400,
      'MANIFEST_INVALID',
    ],
    [
      'layers not an array',
      `{"schemaVersion":2,"config":{"mediaType":"x","digest":"sha256:${'a'.repeat(64)}","size":1},"layers":{}}`,
      MediaType.ociManifest,
      400,
      'MANIFEST_INVALID',
    ],
    [
      'mediaType contradicting Content-Type',
      `{"schemaVersion":2,"mediaType":"${MediaType.ociIndex}","manifests":[]}`,
      MediaType.ociManifest,
      400,
      'MANIFEST_INVALID',
    ],
    ['an unknown Content-Type', '{"schemaVersion":2}', 'text/plain', 415, 'UNSUPPORTED'],
    ['no type at all', '{"schemaVersion":2,"manifests":[]}', undefined, 400, 'MANIFEST_INVALID'],
  ];
  test.each(invalid)('%s is refused', async (_, body, contentType, status, code) => {
    const app = createRegistryApp();
    const res = await app.request('/v2/a/manifests/v1', {
      method: 'PUT',
      // Bytes, not a string: a string body would get an implicit text/plain Content-Type.
      body: new TextEncoder().encode(body),
      headers: contentType === undefined ? {} : { 'Content-Type': contentType },
    });
    expect(res.status).toBe(status);
    expect(await errorCode(res)).toBe(code);
  });

  test('the body mediaType decides when Content-Type is generic', async () => {
    const app = createRegistryApp();
    const index = jsonContent(
      { schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: [] },
      'application/json',
    );
    const res = await pushManifest(app, 'a', 'empty', index);
    expect(res.status).toBe(201);
    const got = await app.request('/v2/a/manifests/empty');
    expect(got.headers.get('Content-Type')).toBe(MediaType.ociIndex);
  });

  test('a manifest over 4 MiB is refused with 413 SIZE_INVALID', async () => {
    const app = createRegistryApp();
    const res = await app.request('/v2/a/manifests/big', {
      method: 'PUT',
      body: new Uint8Array(maxManifestBytes + 1),
      headers: { 'Content-Type': MediaType.ociManifest },
    });
    expect(res.status).toBe(413);
    expect(await errorCode(res)).toBe('SIZE_INVALID');
  });

  test.each(['GET', 'HEAD'])(
    '%s of a manifest by a reference that is not a valid tag is 404 MANIFEST_UNKNOWN (conformance)',
    async (method) => {
      const app = createRegistryApp();
      await pushImage(app, 'a', 'v1');
      const res = await app.request('/v2/a/manifests/.INVALID_MANIFEST_NAME', { method });
      expect(res.status).toBe(404);
      if (method === 'GET') expect(await errorCode(res)).toBe('MANIFEST_UNKNOWN');
    },
  );

  test('a malformed tag in the path is TAG_INVALID', async () => {
    const app = createRegistryApp();
    const res = await app.request('/v2/a/manifests/-bad', { method: 'PUT', body: '{}' });
    expect(res.status).toBe(400);
    expect(await errorCode(res)).toBe('TAG_INVALID');
  });
});
