/**
 * The embedded cluster over virtual nodes (protocol-faithful pullers, no daemon) and a real stub
 * registry: pods are Running once pulled, an unknown tag fails with containerd's NotFound text as
 * kubelet prints it, and a storm over many virtual nodes spreads evenly.
 */

import { afterAll, beforeAll, expect, it } from 'vitest';
import { fromVirtualNode } from '../../harness/backends/virtual/cluster-node.ts';
import {
  createVirtualNode,
  loopbackAddress,
  type VirtualNode,
} from '../../harness/backends/virtual/index.ts';
import { fixtureImages } from '../../registry-stubs/fixtures/catalogue.ts';
import { type RunningRegistry, startRegistry } from '../../registry-stubs/index.ts';
import { clusterOver, disposeAll, hostOf } from './helpers.ts';

const [tiny] = fixtureImages({ include: ['tiny'] });
let registry: RunningRegistry | undefined;
let nodes: VirtualNode[] = [];

beforeAll(async () => {
  registry = await startRegistry({ images: [tiny!] });
  nodes = Array.from({ length: 4 }, (_, i) =>
    createVirtualNode({ name: `v-${i}`, clientAddress: loopbackAddress(i) }),
  );
});

afterAll(() => disposeAll(registry, ...nodes));

it('runs a ramped storm of 12 pods on 4 virtual nodes, 3 each, with the resolved digest', async () => {
  await using c = await clusterOver([], { clusterNodes: nodes.map(fromVirtualNode) });
  const image = `${hostOf(registry!)}/pullstorm/tiny:1.0`;
  await c.cluster.createDeployment({ name: 'v', template: { image } });
  await c.cluster.scale('v', 12, { rampMs: 240 });
  const pods = await c.cluster.waitFor(
    (ps) => ps.length === 12 && ps.every((p) => p.phase === 'Running'),
    20_000,
  );
  expect(nodes.map((n) => pods.filter((p) => p.node === n.name).length)).toEqual([3, 3, 3, 3]);
  expect(new Set(pods.map((p) => p.imageDigest))).toEqual(new Set([tiny!.root.digest]));
  // No runtime: no Created / Started, only the image events.
  const reasons = new Set(c.events.flatMap((e) => (e.kind === 'k8s.event' ? [e.reason] : [])));
  expect(reasons).toEqual(new Set(['Scheduled', 'Pulling', 'Pulled']));
});

it('an unknown tag fails with the same text as on containerd', async () => {
  await using c = await clusterOver([], { clusterNodes: [fromVirtualNode(nodes[0]!)] });
  const image = `${hostOf(registry!)}/pullstorm/tiny:missing`;
  c.cluster.createPod({ name: 'missing', image });
  await c.cluster.waitFor((ps) => ps.some((p) => p.reason === 'ErrImagePull'), 10_000);
  const error = `rpc error: code = NotFound desc = failed to pull and unpack image "${image}": failed to resolve reference "${image}": ${image}: not found`;
  expect(c.k8s('missing')).toContainEqual(['Failed', `Failed to pull image "${image}": ${error}`]);
});

it('pulls with the pod imagePullSecrets; without them the registry refuses', async () => {
  await using authed = await startRegistry({
    images: [tiny!],
    auth: {
      mode: 'token',
      users: [{ username: 'alice', password: 's3cret', access: [{ repository: '*', actions: ['pull'] }] }],
    },
  });
  await using c = await clusterOver([], {
    clusterNodes: [fromVirtualNode(nodes[1]!)],
    pullSecrets: { regcred: { username: 'alice', password: 's3cret' } },
  });
  const image = `${hostOf(authed)}/pullstorm/tiny:1.0`;
  c.cluster.createPod({ name: 'with-secret', image, imagePullSecrets: ['regcred'] });
  c.cluster.createPod({
    name: 'anonymous',
    image: `${hostOf(authed)}/pullstorm/tiny:1.0`,
    imagePullPolicy: 'Always',
  });
  await c.cluster.waitFor(
    (ps) =>
      ps.some((p) => p.name === 'with-secret' && p.phase === 'Running') &&
      ps.some((p) => p.reason === 'ErrImagePull'),
    10_000,
  );
  const failed = c.k8s('anonymous').find(([r, m]) => r === 'Failed' && m.startsWith('Failed to pull image'))!;
  expect(failed[1]).toMatch(/authoriz|401/);
  expect(() => c.cluster.createPod({ name: 'x', image, imagePullSecrets: ['nope'] })).toThrow(
    'unknown imagePullSecrets: nope',
  );
});
