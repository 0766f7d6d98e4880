/**
 * The embedded cluster on a real containerd node (time scale 20): a pod pulls and runs, a second pod
 * finds the image present, `Never` with an absent image, and an arm64-only image that starts, dies
 * with exec format error and goes to CrashLoopBackOff. Every message is compared word for word with
 * kubelet's (FACTS.md, harness/kubelet/messages.ts, harness/cluster/messages.ts).
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContainerdNode } from '../../harness/backends/containerd/node.ts';
import { fixtureImages } from '../../registry-stubs/fixtures/catalogue.ts';
import type { RunningRegistry } from '../../registry-stubs/index.ts';
import { containerdStatus, skipNote } from '../helpers/containerd-status.ts';
import {
  clusterOver,
  disposeAll,
  hostOf,
  startFixtureRegistry,
  startNode,
  type TestCluster,
} from './helpers.ts';

const containerd = await containerdStatus();

const images = fixtureImages({ include: ['tiny', 'arm64-only'] });
let registry: RunningRegistry | undefined;
let node: ContainerdNode | undefined;
let c: TestCluster | undefined;
let host = '';

beforeAll(async () => {
  registry = await startFixtureRegistry(images);
  host = hostOf(registry);
  node = await startNode(registry, 'basics-0');
  c = await clusterOver([node]);
});

afterAll(() => disposeAll(registry, node, c));

const tiny = () => `${host}/pullstorm/tiny:1.0`;
const running = (pod: string) => (pods: { name: string; phase: string; reason?: string }[]) =>
  pods.some((p) => p.name === pod && p.phase === 'Running' && p.reason === undefined);

describe.skipIf(!containerd.available)(`a pod on a real node${skipNote(containerd)}`, () => {
  it('pulls pullstorm/tiny and runs it: Scheduled, Pulling, Pulled, Created, Started', async () => {
    const pod = c!.cluster.createPod({ name: 'web', image: tiny() });
    await c!.cluster.waitFor(running('web'), 20_000);
    const events = c!.k8s('web');
    expect(events.map(([reason]) => reason)).toEqual([
      'Scheduled',
      'Pulling',
      'Pulled',
      'Created',
      'Started',
    ]);
    expect(events[0]![1]).toBe(`Successfully assigned default/web to basics-0`);
    expect(events[1]![1]).toBe(`Pulling image "${tiny()}"`);
    expect(events[2]![1]).toMatch(
      new RegExp(
        `^Successfully pulled image "${tiny()}" in \\d+(\\.\\d+)?m?s \\(\\d+(\\.\\d+)?m?s including waiting\\)\\. Image size: \\d+ bytes\\.$`,
      ),
    );
    expect(events.slice(3)).toEqual([
      ['Created', 'Created container: app'],
      ['Started', 'Started container app'],
    ]);
    const source = c!.k8sEvents('web')[1]!;
    expect(source).toMatchObject({
      source: { component: 'kubelet', host: 'basics-0' },
      involvedObject: {
        kind: 'Pod',
        name: 'web',
        namespace: 'default',
        uid: pod.uid,
        fieldPath: 'spec.containers{app}',
      },
    });
    const states = c!.states('web').map((s) => [s.phase, s.reason, s.imageDigest]);
    const digest = images.find((i) => i.repository === 'pullstorm/tiny')!.root.digest;
    expect(states).toEqual([
      ['Pending', 'ContainerCreating', undefined],
      ['Running', undefined, digest],
    ]);
  });

  it('a second pod with IfNotPresent finds the image already present', async () => {
    await c!.cluster.waitFor(running('web'), 20_000); // the image is on the node
    c!.cluster.createPod({ name: 'web-2', image: tiny() });
    await c!.cluster.waitFor(running('web-2'), 20_000);
    expect(c!.k8s('web-2').slice(1)).toEqual([
      ['Pulled', `Container image "${tiny()}" already present on machine`],
      ['Created', 'Created container: app'],
      ['Started', 'Started container app'],
    ]);
  });

  it('Never with an absent image: ErrImageNeverPull and its exact message', async () => {
    const image = `${host}/pullstorm/absent:1.0`;
    c!.cluster.createPod({ name: 'never', image, imagePullPolicy: 'Never' });
    const message = `Container image "${image}" is not present with pull policy of Never`;
    await c!.cluster.waitFor(
      (pods) => pods.some((p) => p.name === 'never' && p.reason === 'ErrImageNeverPull'),
      20_000,
    );
    expect(c!.k8s('never').slice(1, 3)).toEqual([
      ['ErrImageNeverPull', message],
      ['Failed', 'Error: ErrImageNeverPull'],
    ]);
    expect(c!.k8sEvents('never')[1]!.type).toBe('Warning');
    expect(c!.states('never').at(-1)).toMatchObject({
      phase: 'Pending',
      reason: 'ErrImageNeverPull',
      message,
    });
  });

  it('arm64-only: starts, exits with exec format error, then CrashLoopBackOff with the log as evidence', async () => {
    const image = `${host}/pullstorm/arm64-only:1.0`;
    const pod = c!.cluster.createPod({ name: 'arm', image });
    const [state] = (
      await c!.cluster.waitFor(
        (pods) => pods.some((p) => p.name === 'arm' && p.reason === 'CrashLoopBackOff'),
        20_000,
      )
    ).filter((p) => p.name === 'arm');
    const podDesc = `arm_default(${pod.uid})`;
    // First exit: restarted at once (no backoff entry yet); second exit: kubelet's 10 s backoff.
    expect(state!.restartCount).toBe(1);
    expect(state!.phase).toBe('Running');
    expect(state!.message).toMatch(
      new RegExp(
        `^back-off 10s restarting failed container=app pod=arm_default\\(${pod.uid}\\); last terminated: exit code 1, reason Error, log: exec /pullstorm: exec format error$`,
      ),
    );
    const events = c!.k8s('arm');
    expect(events.map(([r]) => r)).toEqual([
      'Scheduled',
      'Pulling',
      'Pulled',
      'Created',
      'Started',
      'Pulled', // kubelet re-runs the image step on every restart: `already present on machine`
      'Created',
      'Started',
      'BackOff',
    ]);
    expect(events[5]).toEqual(['Pulled', `Container image "${image}" already present on machine`]);
    expect(events.at(-1)).toEqual(['BackOff', `Back-off restarting failed container app in pod ${podDesc}`]);
    expect(c!.k8sEvents('arm').at(-1)!.type).toBe('Warning');
  });
});
