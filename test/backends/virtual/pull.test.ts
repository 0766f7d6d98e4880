import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createVirtualNode } from '../../../harness/backends/virtual/index.ts';
import { largeImage } from '../../../registry-stubs/fixtures/catalogue.ts';
import { type RunningRegistry, startRegistry } from '../../../registry-stubs/index.ts';
import { blobConcurrency, bundle, expected, images, recorder } from './helpers.ts';

const rec = recorder();
let registry: RunningRegistry;
const ref = (name: string) => `${registry.host}:${registry.port}/pullstorm/${name}:1.0`;

beforeAll(async () => {
  registry = await startRegistry({ images, onRequest: rec.onRequest });
});
afterAll(() => registry.close());

describe('pulling the fixtures', () => {
  test.each(['tiny', 'arm64-only', 'multiarch', 'large'])(
    '%s: the digests the fixture declares',
    async (name) => {
      await using node = createVirtualNode({ name: `vn-${name}` });
      const want = expected(bundle(name));
      const pulled = await node.pullImage(ref(name));
      expect(pulled).toEqual({
        imageRef: want.config,
        digest: bundle(name).root.digest,
        manifestDigest: want.manifest,
        size: want.size,
        bytes: want.size,
      });
      const { image } = await node.imageStatus(ref(name));
      expect(image).toEqual({
        id: want.config,
        size: want.size,
        repoTags: [ref(name)],
        repoDigests: [`${registry.host}:${registry.port}/pullstorm/${name}@${bundle(name).root.digest}`],
        pinned: false,
      });
      expect((await node.imageFsInfo()).usedBytes).toBe(want.size);
    },
  );

  test('an arm64 node takes the arm64 manifest of the index', async () => {
    await using node = createVirtualNode({ name: 'vn-arm', platform: 'linux/arm64' });
    const pulled = await node.pullImage(ref('multiarch'));
    expect(pulled.manifestDigest).toBe(expected(bundle('multiarch'), 'arm64').manifest);
  });

  test('a second pull of the same image only resolves: no manifest or blob is fetched again', async () => {
    await using node = createVirtualNode({ name: 'vn-twice', clientAddress: '127.0.0.21' });
    await node.pullImage(ref('multiarch'));
    const before = rec.events.length;
    const again = await node.pullImage(ref('multiarch'));
    const second = rec.events.slice(before).filter((e) => e.client === '127.0.0.21');
    expect(second.map((e) => `${e.method} ${e.route} ${e.status}`)).toEqual(['HEAD manifest 200']);
    expect(again.bytes).toBe(0);
    expect(node.stats()).toMatchObject({ pulls: 2, failures: 0 });
  });

  test('pulling by digest and by a short name resolves to the same image', async () => {
    await using node = createVirtualNode({ name: 'vn-digest' });
    const byTag = await node.pullImage(ref('tiny'));
    const byDigest = await node.pullImage(`${registry.host}:${registry.port}/pullstorm/tiny@${byTag.digest}`);
    expect(byDigest.imageRef).toBe(byTag.imageRef);
    expect(await node.listImages()).toHaveLength(1);
    expect((await node.imageStatus(byTag.imageRef)).image?.repoTags).toEqual([ref('tiny')]);
  });

  test('content is hashed and dropped unless kept; kept bytes are the registry bytes', async () => {
    await using node = createVirtualNode({ name: 'vn-keep', keepContent: true });
    const pulled = await node.pullImage(ref('tiny'));
    const config = bundle('tiny').blobs.find((b) => b.digest === pulled.imageRef)!;
    expect(Buffer.from(node.content(pulled.imageRef)!)).toEqual(Buffer.from(config.bytes));
    await using lean = createVirtualNode({ name: 'vn-lean' });
    await lean.pullImage(ref('tiny'));
    expect(lean.content(pulled.imageRef)).toBeUndefined();
  });

  test('removing an image drops its references and its content', async () => {
    await using node = createVirtualNode({ name: 'vn-rm' });
    await node.pullImage(ref('tiny'));
    await node.pullImage(ref('large'));
    await node.removeImage(ref('large'));
    expect((await node.imageStatus(ref('large'))).image).toBeUndefined();
    expect((await node.listImages()).map((i) => i.repoTags)).toEqual([[ref('tiny')]]);
    expect((await node.imageFsInfo()).usedBytes).toBe(expected(bundle('tiny')).size);
    await node.removeImage(ref('large')); // absent: not an error, as in the CRI
  });

  test('the registry sees every node at its own client address', async () => {
    const addresses = ['127.0.0.31', '127.0.0.32', '127.0.0.33'];
    const nodes = addresses.map((clientAddress, i) =>
      createVirtualNode({ name: `vn-ip-${i}`, clientAddress }),
    );
    await Promise.all(nodes.map((n) => n.pullImage(ref('tiny'))));
    const seen = new Set(rec.events.map((e) => e.client).filter((c) => c?.startsWith('127.0.0.3')));
    expect([...seen].sort()).toEqual(addresses);
    await Promise.all(nodes.map((n) => n.close()));
  });
});

describe('download concurrency', () => {
  const eight = largeImage({ sizeBytes: 64 * 1024, layers: 8, repository: 'pullstorm/eight', tag: '1.0' });

  test.each([
    [3, 3],
    [1, 1],
  ])(
    'maxConcurrentDownloads %i: never more blob downloads at once, and that many are used',
    async (limit, seen) => {
      const count = blobConcurrency(100);
      await using stub = await startRegistry({
        images: [eight],
        layers: [count.layer],
        onRequest: count.onRequest,
      });
      await using node = createVirtualNode({
        name: 'vn-cc',
        ...(limit !== 3 && { maxConcurrentDownloads: limit }),
      });
      await node.pullImage(`${stub.host}:${stub.port}/pullstorm/eight:1.0`);
      expect(count.max()).toBe(seen);
    },
  );
});
