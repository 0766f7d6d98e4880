import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CriError } from '../../../harness/backends/containerd/cri/errors.ts';
import { createVirtualNode, createVirtualNodePool } from '../../../harness/backends/virtual/index.ts';
import { type RunningRegistry, startRegistry } from '../../../registry-stubs/index.ts';
import { blobConcurrency, bundle, expected, images, recorder } from './helpers.ts';

const rec = recorder();
let registry: RunningRegistry;
const ref = (name: string) => `${registry.host}:${registry.port}/pullstorm/${name}:1.0`;

beforeAll(async () => {
  registry = await startRegistry({ images, onRequest: rec.onRequest });
});
afterAll(() => registry.close());

describe('virtual nodes in a pool of pull workers', () => {
  test('pull, status, list, fs info and remove answer as an in-process node does', async () => {
    await using pool = createVirtualNodePool({ threads: 2 });
    const nodes = [0, 1, 2].map((i) =>
      pool.createNode({ name: `pooled-${i}`, clientAddress: `127.0.0.${30 + i}` }),
    );
    await using local = createVirtualNode({ name: 'local' });
    const want = expected(bundle('large'));
    const pulled = await Promise.all(nodes.map((n) => n.pullImage(ref('large'))));
    expect(pulled).toEqual(
      nodes.map(() => expect.objectContaining({ imageRef: want.config, size: want.size })),
    );
    expect(await nodes[0]!.pullImage(ref('large'))).toEqual(
      await local.pullImage(ref('large')).then((p) => ({ ...p, bytes: 0 })),
    );
    expect(await nodes[1]!.imageStatus(ref('large'))).toEqual(await local.imageStatus(ref('large')));
    expect(await nodes[1]!.listImages()).toEqual(await local.listImages());
    expect(await nodes[2]!.imageFsInfo()).toEqual({ usedBytes: want.size });
    await nodes[2]!.removeImage(ref('large'));
    expect(await nodes[2]!.imageStatus(ref('large'))).toEqual({});
    // Each node pulled from its own address, so the pulls really ran in the workers.
    const clients = new Set(rec.events.filter((e) => e.route === 'blob').map((e) => e.client));
    for (const i of [0, 1, 2]) expect(clients.has(`127.0.0.${30 + i}`)).toBe(true);
    expect(nodes[0]!.stats()).toMatchObject({ pulls: 2, failures: 0, bytes: want.size });
    expect(pool.threadIds).toHaveLength(2);
  });

  test('a failed pull rejects with the CriError containerd would send, rebuilt on the main thread', async () => {
    await using pool = createVirtualNodePool({ threads: 1 });
    const node = pool.createNode({ name: 'pooled-missing' });
    await using local = createVirtualNode({ name: 'local-missing' });
    const missing = `${registry.host}:${registry.port}/pullstorm/nope:1.0`;
    const [a, b] = await Promise.all([
      node.pullImage(missing).catch((e: unknown) => e),
      local.pullImage(missing).catch((e: unknown) => e),
    ]);
    expect(a).toBeInstanceOf(CriError);
    expect(a).toMatchObject({ code: (b as CriError).code, details: (b as CriError).details });
    expect(node.stats()).toMatchObject({ pulls: 1, failures: 1 });
  });

  test('closing the pool cancels a pull in flight with context canceled', async () => {
    const pool = createVirtualNodePool({ threads: 1 });
    const node = pool.createNode({ name: 'pooled-closed' });
    // An address nothing listens on and that never answers: the dial is in flight when the pool closes.
    const pulling = node.pullImage('10.255.255.1:5000/pullstorm/tiny:1.0').catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 200));
    await pool.close();
    const error = (await pulling) as CriError;
    expect(error).toBeInstanceOf(CriError);
    expect(error.details).toMatch(/context canceled/);
  });

  test('maxPullsInFlight 1: two nodes in two workers never download at the same time', async () => {
    const count = blobConcurrency(50);
    await using stub = await startRegistry({ images, layers: [count.layer], onRequest: count.onRequest });
    await using pool = createVirtualNodePool({ threads: 2, maxPullsInFlight: 1 });
    const nodes = [0, 1].map((i) => pool.createNode({ name: `slot-${i}`, maxConcurrentDownloads: 1 }));
    await Promise.all(nodes.map((n) => n.pullImage(`${stub.host}:${stub.port}/pullstorm/large:1.0`)));
    expect(count.max()).toBe(1);
    expect(nodes.map((n) => n.stats().pulls)).toEqual([1, 1]);
  });

  test('bad options are refused on the main thread with the same TypeError, keepContent too', () => {
    const pool = createVirtualNodePool({ threads: 1 });
    try {
      expect(() => pool.createNode({ name: '' })).toThrow(/name must be a non-empty string/);
      expect(() => pool.createNode({ name: 'k', keepContent: true })).toThrow(
        /keepContent needs an in-process node/,
      );
      expect(() => createVirtualNodePool({ threads: 0 })).toThrow(/threads must be an integer ≥ 1; got 0/);
      expect(() => createVirtualNodePool({ maxPullsInFlight: 0 })).toThrow(
        /maxPullsInFlight must be ≥ 1; got 0/,
      );
    } finally {
      void pool.close();
    }
  });
});
