/**
 * The cluster's pure logic, on fake image services and a manual clock (no daemons): scheduling,
 * message texts, option validation, pod states through a pull backoff on a node that does not run
 * containers (as a virtual node), and a ramped scale-up in simulated time.
 */

import { describe, expect, it } from 'vitest';
import {
  backOffRestarting,
  crashLoopWaiting,
  createCluster,
  createdContainer,
  formatPod,
  pickNode,
  resolveClusterOptions,
  startedContainer,
} from '../../harness/cluster/index.ts';
import type { ClusterNode } from '../../harness/cluster/types.ts';
import { ManualClock } from '../../harness/kubelet/clock.ts';
import { FakeImageService, sink } from '../kubelet/fakes.ts';

const pod = { name: 'web-1', namespace: 'prod', uid: 'b50a7fa8-bb90-46f1-aba4-f17a2bb67161' };

function fakeNode(name: string, clock: ManualClock): ClusterNode & { svc: FakeImageService } {
  const svc = new FakeImageService(clock);
  return {
    name,
    svc,
    imageService: svc,
    platform: 'linux/amd64',
    capabilities: { runsContainers: false, diskFaults: false },
  };
}

describe('scheduler', () => {
  it.each([
    {
      nodes: [
        ['b', 0],
        ['a', 0],
      ],
      selector: undefined,
      want: 'a',
    },
    {
      nodes: [
        ['a', 2],
        ['b', 1],
        ['c', 1],
      ],
      selector: undefined,
      want: 'b',
    },
    {
      nodes: [
        ['a', 0],
        ['b', 5],
      ],
      selector: ['b'],
      want: 'b',
    },
  ] as const)('picks $want', ({ nodes, selector, want }) => {
    expect(
      pickNode(
        nodes.map(([name, pods]) => ({ name, pods })),
        selector,
      ),
    ).toBe(want);
  });

  it('says which nodes exist when none matches', () => {
    const err = pickNode([{ name: 'a', pods: 0 }], ['z']);
    expect(err).toBeInstanceOf(RangeError);
    expect(String(err)).toBe('RangeError: no node matches nodeSelector [z]; the cluster has: a');
  });
});

describe('container messages', () => {
  it('follow kubelet word for word, by version', () => {
    expect(formatPod(pod)).toBe('web-1_prod(b50a7fa8-bb90-46f1-aba4-f17a2bb67161)');
    expect(createdContainer('app', 31)).toBe('Created container app');
    expect(createdContainer('app', 32)).toBe('Created container: app');
    expect(startedContainer('app', 32)).toBe('Started container app');
    expect(createdContainer('app', 35)).toBe('Created container');
    expect(backOffRestarting('app', pod)).toBe(
      'Back-off restarting failed container app in pod web-1_prod(b50a7fa8-bb90-46f1-aba4-f17a2bb67161)',
    );
    expect(crashLoopWaiting(160_000, 'app', pod)).toBe(
      'back-off 2m40s restarting failed container=app pod=web-1_prod(b50a7fa8-bb90-46f1-aba4-f17a2bb67161)',
    );
    expect(crashLoopWaiting(10_000 / 30, 'app', pod)).toMatch(/^back-off 333\.333333ms /);
  });
});

describe('options', () => {
  it('reports every problem at once', () => {
    const bad = { runId: '', nodes: [], emit: 'no', imageGCLowThresholdPercent: 90 } as never;
    expect(() => resolveClusterOptions(bad)).toThrow(
      /runId must be[\s\S]*emit must be[\s\S]*at least one[\s\S]*GC thresholds/,
    );
  });
});

describe('a cluster of nodes without a container runtime', () => {
  it('goes Pending → ErrImagePull → ImagePullBackOff → Running as the pull recovers', async () => {
    const clock = new ManualClock();
    const node = fakeNode('v-0', clock);
    node.svc.failures.set('reg.example/app:1.0', ['boom', 'boom']);
    const out = sink();
    await using cluster = await createCluster({ runId: 'unit', nodes: [node], emit: out.emit, clock });
    cluster.createPod({ name: 'app', image: 'reg.example/app:1.0' });
    await clock.advance(120_000);
    const states = out.events.flatMap((e) => (e.kind === 'pod.state' ? [[e.phase, e.reason ?? '']] : []));
    expect(states).toEqual([
      ['Pending', 'ContainerCreating'],
      ['Pending', 'ErrImagePull'],
      // The first retry (10–15 s later) is already past the 10 s backoff and fails the same way: no
      // change to emit. Inside the next window (20 s) a sync sees ImagePullBackOff; then the pull works.
      ['Pending', 'ImagePullBackOff'],
      ['Running', ''],
    ]);
    expect(cluster.pods()[0]).toMatchObject({ phase: 'Running', imageDigest: `sha256:${'a'.repeat(64)}` });
    expect(out.lines()).toContain('BackOff Normal Back-off pulling image "reg.example/app:1.0"');
  });

  it("replays each pod's requeue jitter from the run's seed, whatever the pods are named", async () => {
    // Retry times of three deployment pods whose pulls fail four times in all, relative to the start.
    const retries = async (seed: number) => {
      const clock = new ManualClock();
      const t0 = clock.now();
      const node = fakeNode('v-0', clock);
      node.svc.failures.set('reg.example/app:1.0', ['boom', 'boom', 'boom', 'boom']);
      const out = sink();
      await using cluster = await createCluster({
        runId: 'unit',
        nodes: [node],
        emit: out.emit,
        clock,
        seed,
      });
      await cluster.createDeployment({ name: 'd', template: { image: 'reg.example/app:1.0' }, replicas: 3 });
      await clock.advance(180_000);
      expect(cluster.pods().every((p) => p.phase === 'Running')).toBe(true);
      const pulling = out.kube().filter((e) => e.reason === 'Pulling');
      return pulling.map((e) => Date.parse(e.time) - t0).sort((a, b) => a - b);
    };
    const first = await retries(7);
    expect(first.length).toBeGreaterThan(3); // retries happened: the jitter was drawn
    expect(await retries(7)).toEqual(first);
    expect(await retries(8)).not.toEqual(first);
  });

  it('refuses a seed that is not a 32-bit unsigned integer', () => {
    const node = fakeNode('v-0', new ManualClock());
    const bad = { runId: 'unit', nodes: [node], emit: () => {}, seed: -1 };
    expect(() => resolveClusterOptions(bad)).toThrow('seed must be an integer from 0 to 4294967295, got -1');
  });

  it('spreads a ramped scale-up evenly in time and over nodes', async () => {
    const clock = new ManualClock();
    const nodes = ['v-0', 'v-1', 'v-2'].map((n) => fakeNode(n, clock));
    const out = sink();
    await using cluster = await createCluster({ runId: 'unit', nodes, emit: out.emit, clock });
    await cluster.createDeployment({ name: 'd', template: { image: 'reg.example/app:1.0' } });
    const scaling = cluster.scale('d', 9, { rampMs: 9_000 });
    await clock.advance(9_000);
    await scaling;
    const times = out
      .kube()
      .filter((e) => e.reason === 'Scheduled')
      .map((e) => Date.parse(e.time));
    expect(times.map((t) => t - times[0]!)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8].map((i) => i * 1_000));
    await clock.advance(10_000);
    const pods = cluster.pods();
    expect(pods.every((p) => p.phase === 'Running')).toBe(true);
    expect(nodes.map((n) => pods.filter((p) => p.node === n.name).length)).toEqual([3, 3, 3]);
  });
});
