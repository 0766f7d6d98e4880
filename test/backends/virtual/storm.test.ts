import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { expect, test } from 'vitest';
import {
  createVirtualNode,
  loopbackAddress,
  type VirtualNode,
} from '../../../harness/backends/virtual/index.ts';
import { startRegistry } from '../../../registry-stubs/index.ts';
import { bundle, expected, recorder } from './helpers.ts';

test('a storm of 200 virtual nodes pulls pullstorm/large, each from its own address', async () => {
  const rec = recorder();
  await using registry = await startRegistry({ images: [bundle('large')], onRequest: rec.onRequest });
  const ref = `${registry.host}:${registry.port}/pullstorm/large:1.0`;
  const nodes = Array.from({ length: 200 }, (_, i) =>
    createVirtualNode({ name: `storm-${i}`, clientAddress: loopbackAddress(i) }),
  );
  const started = performance.now();
  const results = await Promise.allSettled(nodes.map((n) => n.pullImage(ref)));
  const seconds = (performance.now() - started) / 1000;
  await Promise.all(nodes.map((n) => n.close()));
  const failed = results.filter((r) => r.status === 'rejected');
  expect(failed).toEqual([]);
  const want = expected(bundle('large'));
  for (const r of results) expect(r).toMatchObject({ value: { imageRef: want.config, bytes: want.size } });
  expect(new Set(rec.events.map((e) => e.client)).size).toBe(200);
  // Origin amplification without a cache: every node fetched every blob once.
  expect(rec.events.filter((e) => e.route === 'blob').length).toBe(200 * (1 + want.layers.length));
  expect(seconds).toBeLessThan(30);
}, 60_000);

test('a virtual node holding an image costs a few kilobytes of heap', async () => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  await using registry = await startRegistry({ images: [bundle('tiny')] });
  const ref = `${registry.host}:${registry.port}/pullstorm/tiny:1.0`;
  const count = 1000;
  gc();
  const before = process.memoryUsage().heapUsed;
  const nodes: VirtualNode[] = [];
  for (let i = 0; i < count; i += 100) {
    const batch = Array.from({ length: 100 }, (_, j) => createVirtualNode({ name: `mem-${i + j}` }));
    await Promise.all(batch.map((n) => n.pullImage(ref)));
    nodes.push(...batch);
  }
  gc();
  const perNode = (process.memoryUsage().heapUsed - before) / count;
  expect(nodes.every((n) => n.stats().pulls === 1)).toBe(true);
  console.info(`virtual node heap: ${Math.round(perNode)} bytes each (${count} nodes, one image pulled)`);
  expect(perNode).toBeLessThan(16 * 1024);
}, 120_000);
