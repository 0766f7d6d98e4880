/**
 * A pull storm in miniature on two real containerd nodes: a deployment scaled 0 → 6 over a ramp
 * creates its pods evenly over the ramp, the scheduler spreads them 3/3, and all of them run.
 * Scaling back down removes pods and their containers.
 */

import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ContainerdNode } from '../../harness/backends/containerd/node.ts';
import { fixtureImages } from '../../registry-stubs/fixtures/catalogue.ts';
import type { RunningRegistry } from '../../registry-stubs/index.ts';
import { containerdStatus, skipNote } from '../helpers/containerd-status.ts';
import { clusterOver, disposeAll, hostOf, startFixtureRegistry, startNode } from './helpers.ts';

const containerd = await containerdStatus();

let registry: RunningRegistry | undefined;
let nodes: ContainerdNode[] = [];

beforeAll(async () => {
  registry = await startFixtureRegistry(fixtureImages({ include: ['tiny'] }));
  nodes = await Promise.all([startNode(registry, 'storm-0'), startNode(registry, 'storm-1')]);
});

afterAll(() => disposeAll(registry, ...nodes));

it.skipIf(!containerd.available)(
  `scales a deployment 0 → 6 over a 600 ms ramp: 3 pods per node, all Running${skipNote(containerd)}`,
  async () => {
    await using c = await clusterOver(nodes);
    const image = `${hostOf(registry!)}/pullstorm/tiny:1.0`;
    await c.cluster.createDeployment({ name: 'storm', replicas: 0, template: { image } });
    expect(c.cluster.pods()).toEqual([]);
    await c.cluster.scale('storm', 6, { rampMs: 600 });
    const pods = await c.cluster.waitFor(
      (ps) => ps.length === 6 && ps.every((p) => p.phase === 'Running'),
      30_000,
    );
    expect(
      pods.every((p) => p.deployment === 'storm' && /^storm-[a-z0-9]{10}-[a-z0-9]{5}$/.test(p.name)),
    ).toBe(true);
    const onNode = (node: string) => pods.filter((p) => p.node === node).length;
    expect([onNode('storm-0'), onNode('storm-1')]).toEqual([3, 3]);
    const k8s = c.events.filter((e) => e.kind === 'k8s.event');
    // Pod i is due i × 600 / 6 ms into the ramp on the run clock, whatever the previous one's latency.
    const scheduled = k8s.filter((e) => e.reason === 'Scheduled').map((e) => Date.parse(e.time));
    const started = scheduled[0]!;
    scheduled.forEach((t, i) => {
      expect(t - started).toBeGreaterThanOrEqual(i * 100 - 5);
      expect(t - started).toBeLessThan(i * 100 + 150);
    });
    // Each node pulls for itself: a storm multiplies registry load by the node count.
    const nodesPulling = new Set(k8s.filter((e) => e.reason === 'Pulling').map((e) => e.source.host));
    expect(nodesPulling).toEqual(new Set(['storm-0', 'storm-1']));

    await c.cluster.scale('storm', 2);
    expect(c.cluster.pods()).toHaveLength(2);
    const containers = await Promise.all(nodes.map((n) => n.cri.listContainers()));
    expect(containers.flat()).toHaveLength(2);
  },
);
