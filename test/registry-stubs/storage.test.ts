import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { createRegistryApp } from '../../registry-stubs/app.ts';
import { RegistryError } from '../../registry-stubs/errors.ts';
import { seed } from '../../registry-stubs/seed.ts';
import { createStore } from '../../registry-stubs/storage/index.ts';
import { inside, PathEscapeError } from '../../registry-stubs/storage/paths.ts';
import type { BlobRead, Store } from '../../registry-stubs/storage/types.ts';
import { blob, describe as descriptorOf, errorCode, imageIndex, smallImage } from './helpers.ts';

const roots: string[] = [];
afterAll(async () => {
  for (const root of roots) await rm(root, { recursive: true, force: true });
});

async function tempRoot(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'pullstorm-store-'));
  roots.push(root);
  return root;
}

async function bytesOf(read: BlobRead | undefined): Promise<string> {
  if (read === undefined) return '<none>';
  if (read.body instanceof Uint8Array) return new TextDecoder().decode(read.body);
  return new Response(read.body).text();
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (err: unknown) => err,
  );
}

describe.each(['memory', 'disk'] as const)('%s store contract', (kind) => {
  async function make(): Promise<Store> {
    return kind === 'memory' ? createStore() : createStore({ kind: 'disk', root: await tempRoot() });
  }
  const content = blob('0123456789');

  test('blobs: put verifies the digest, reads whole and ranged, links per repository', async () => {
    const store = await make();
    expect(await rejection(store.putBlob('a', `sha256:${'0'.repeat(64)}`, content.bytes))).toMatchObject({
      code: 'DIGEST_INVALID',
    });
    await store.putBlob('a', content.digest, content.bytes);
    expect(await store.blobSize('a', content.digest)).toBe(10);
    expect(await bytesOf(await store.readBlob('a', content.digest))).toBe('0123456789');
    expect(await bytesOf(await store.readBlob('a', content.digest, { start: 2, end: 4 }))).toBe('234');
    expect(await store.blobSize('b', content.digest)).toBeUndefined();
    expect(await store.mountBlob('b', 'c', content.digest)).toBe(false);
    expect(await store.mountBlob('a', 'b', content.digest)).toBe(true);
    expect(await store.blobSize('b', content.digest)).toBe(10);
    expect(await store.deleteBlob('a', content.digest)).toBe(true);
    expect(await store.deleteBlob('a', content.digest)).toBe(false);
    expect(await store.blobSize('a', content.digest)).toBeUndefined();
    expect(await store.blobSize('b', content.digest)).toBe(10);
  });

  test('uploads: append in order, complete with the digest, sessions are per repository', async () => {
    const store = await make();
    const up = await store.createUpload('a');
    expect(await store.getUpload('b', up.id)).toBeUndefined();
    await store.appendUpload('a', up.id, content.bytes.subarray(0, 4), { offset: 0, length: 4 });
    expect(
      await rejection(store.appendUpload('a', up.id, content.bytes.subarray(6), { offset: 6 })),
    ).toMatchObject({
      code: 'RANGE_INVALID',
      status: 416,
    });
    expect(
      await rejection(store.appendUpload('a', up.id, content.bytes.subarray(4), { offset: 4, length: 3 })),
    ).toMatchObject({
      code: 'SIZE_INVALID',
    });
    const stream = new Response(content.bytes.subarray(4) as Uint8Array<ArrayBuffer>).body!;
    expect((await store.appendUpload('a', up.id, stream, { offset: 4 })).size).toBe(10);
    expect(await store.completeUpload('a', up.id, content.digest)).toBe(10);
    expect(await store.getUpload('a', up.id)).toBeUndefined();
    expect(await bytesOf(await store.readBlob('a', content.digest))).toBe('0123456789');
  });

  test('uploads: a digest mismatch ends the session and stores nothing', async () => {
    const store = await make();
    const up = await store.createUpload('a');
    await store.appendUpload('a', up.id, content.bytes);
    const wrong = `sha256:${'9'.repeat(64)}`;
    expect(await rejection(store.completeUpload('a', up.id, wrong))).toMatchObject({
      code: 'DIGEST_INVALID',
    });
    expect(await store.getUpload('a', up.id)).toBeUndefined();
    expect(await store.blobSize('a', wrong)).toBeUndefined();
    expect(await store.blobSize('a', content.digest)).toBeUndefined();
    expect(await store.cancelUpload('a', up.id)).toBe(false);
  });

  test('manifests, tags, repositories and referrers', async () => {
    const store = await make();
    const { config, layer, manifest } = smallImage();
    const index = imageIndex([{ content: manifest, architecture: 'amd64' }]);
    await seed(store, {
      repository: 'team/app',
      tag: 'multi',
      root: descriptorOf(index),
      manifests: [index, manifest],
      blobs: [config, layer],
      description: 'contract test',
    });
    await store.putManifest('team/app', { ...manifest, subject: index.digest, artifactType: 'x/y' }, 'v1');
    expect((await store.getManifest('team/app', 'multi'))?.digest).toBe(index.digest);
    expect((await store.getManifest('team/app', manifest.digest))?.bytes).toEqual(manifest.bytes);
    expect(await store.tags('team/app')).toEqual(['multi', 'v1']);
    expect(await store.tags('nope')).toBeUndefined();
    expect(await store.repositories()).toEqual(['team/app']);
    expect(await store.referrers('team/app', index.digest)).toEqual([
      {
        mediaType: manifest.mediaType,
        digest: manifest.digest,
        size: manifest.bytes.byteLength,
        artifactType: 'x/y',
      },
    ]);
    // A manifest is also readable through the blob API, as in distribution.
    expect(await store.blobSize('team/app', manifest.digest)).toBe(manifest.bytes.byteLength);
    expect(await store.deleteTag('team/app', 'v1')).toBe(true);
    expect(await store.deleteManifest('team/app', index.digest)).toBe(true);
    expect(await store.tags('team/app')).toEqual([]);
    expect(await store.getManifest('team/app', 'multi')).toBeUndefined();
  });

  test('invalid names are refused before any path is built', async () => {
    const store = await make();
    for (const name of ['../../etc', '/abs', 'a/../../b', 'UPPER', 'a//b']) {
      const err = await rejection(store.putBlob(name, content.digest, content.bytes));
      expect(err).toBeInstanceOf(RegistryError);
      expect(err).toMatchObject({ code: 'NAME_INVALID' });
    }
    const { manifest } = smallImage();
    expect(await rejection(store.putManifest('a', manifest, '../../x'))).toMatchObject({
      code: 'TAG_INVALID',
    });
    expect(await rejection(store.appendUpload('a', '../../x', content.bytes))).toMatchObject({
      code: 'BLOB_UPLOAD_UNKNOWN',
    });
    expect(await store.getUpload('a', '../uploads')).toBeUndefined();
  });
});

describe('disk store confinement', () => {
  test('inside() refuses segments that could leave the root', () => {
    for (const segment of ['..', '.', '../x', 'a/b', '', '/etc', '.hidden', 'a\0b', 'a\\b']) {
      expect(() => inside('/srv/store', segment)).toThrow(PathEscapeError);
    }
    expect(inside('/srv/store', 'blobs', 'sha256', 'ab')).toBe('/srv/store/blobs/sha256/ab');
  });

  test('traversal through the HTTP API is refused and nothing lands outside the root', async () => {
    const parent = await tempRoot();
    const root = join(parent, 'store');
    const app = createRegistryApp({ store: createStore({ kind: 'disk', root }) });
    const content = blob('payload');
    for (const path of [
      `/v2/..%2F..%2Fescape/blobs/uploads/?digest=${content.digest}`,
      `/v2/%2e%2e/%2e%2e/escape/blobs/uploads/?digest=${content.digest}`,
      `/v2/a/blobs/uploads/..%2F..%2Fescape`,
    ]) {
      const res = await app.request(path, { method: 'POST', body: content.bytes as Uint8Array<ArrayBuffer> });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(['NAME_INVALID', 'UNSUPPORTED', 'BLOB_UPLOAD_UNKNOWN']).toContain(await errorCode(res));
    }
    const tagged = await app.request('/v2/a/manifests/..%2F..%2Fescape', { method: 'PUT', body: '{}' });
    expect(tagged.status).toBe(400);
    expect(await readdir(parent)).toEqual([]);
  });
});

describe('createStore', () => {
  test('rejects unknown kinds and empty roots with a TypeError', () => {
    expect(() => createStore({ kind: 'disk', root: '' })).toThrow(TypeError);
    expect(() => createStore({ kind: 's3' } as never)).toThrow(
      /storage.kind must be 'memory' or 'disk'; got "s3"/,
    );
  });
});
