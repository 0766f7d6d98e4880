/**
 * Image pull failures through the embedded cluster on a real containerd node: an unknown tag backs
 * off 10 s doubling (10, 20, 40 s of scenario time on the run clock) with kubelet's waiting reasons and texts; the
 * same failure recovers once the tag is pushed; and a burst of pods past registryBurst meets
 * kubelet's QPS limiter (`pull QPS exceeded`) and still ends Running.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContainerdNode } from '../../harness/backends/containerd/node.ts';
import { fixtureImages } from '../../registry-stubs/fixtures/catalogue.ts';
import { type RunningRegistry, seed } from '../../registry-stubs/index.ts';
import { containerdStatus, skipNote } from '../helpers/containerd-status.ts';
import { clusterOver, disposeAll, hostOf, retagged, startFixtureRegistry, startNode } from './helpers.ts';

const containerd = await containerdStatus();

const [tinyBundle] = fixtureImages({ include: ['tiny'] });
let registry: RunningRegistry | undefined;
let node: ContainerdNode | undefined;
let host = '';

beforeAll(async () => {
  registry = await startFixtureRegistry([tinyBundle!]);
  host = hostOf(registry);
  node = await startNode(registry, 'pulls-0');
});

afterAll(() => disposeAll(registry, node));

const timeOf = (e: { time: string }) => Date.parse(e.time);

describe.skipIf(!containerd.available)(`pull failures${skipNote(containerd)}`, () => {
  it('unknown tag: Failed / BackOff cycles with growing backoff and kubelet waiting reasons', async () => {
    await using c = await clusterOver([node!]);
    const image = `${host}/pullstorm/tiny:no-such-tag`;
    c.cluster.createPod({ name: 'unknown', image });
    const pullings = () => c.k8sEvents('unknown').filter((e) => e.reason === 'Pulling');
    await c.cluster.waitFor(() => pullings().length >= 4, 20_000);
    const details = `failed to pull and unpack image "${image}": failed to resolve reference "${image}": ${image}: not found`;
    const error = `rpc error: code = NotFound desc = ${details}`;
    const events = c.k8s('unknown');
    expect(events).toContainEqual(['Failed', `Failed to pull image "${image}": ${error}`]);
    expect(events).toContainEqual(['Failed', 'Error: ErrImagePull']);
    expect(events).toContainEqual(['BackOff', `Back-off pulling image "${image}"`]);
    expect(events).toContainEqual(['Failed', 'Error: ImagePullBackOff']);
    const backOff = c.k8sEvents('unknown').find((e) => e.reason === 'BackOff')!;
    expect(backOff.type).toBe('Normal');
    // Gaps between pulls in scenario time: at least kubelet's backoff (10 s, 20 s, 40 s), at most the
    // backoff plus one pod worker requeue (10–15 s) and a second of slack for a loaded machine.
    const times = pullings().map(timeOf);
    const gaps = times.slice(1, 4).map((t, i) => t - times[i]!);
    [10_000, 20_000, 40_000].forEach((backoff, i) => {
      expect(gaps[i]).toBeGreaterThanOrEqual(backoff);
      expect(gaps[i]).toBeLessThan(backoff + 15_000 + 1_000);
    });
    const reasons = c.states('unknown').map((s) => s.reason);
    expect(reasons.slice(0, 4)).toEqual([
      'ContainerCreating',
      'ErrImagePull',
      'ImagePullBackOff',
      'ErrImagePull',
    ]);
    const waiting = c.states('unknown').find((s) => s.reason === 'ImagePullBackOff')!;
    expect(waiting.message).toBe(`Back-off pulling image "${image}": ErrImagePull: ${error}`);
    expect(c.states('unknown').find((s) => s.reason === 'ErrImagePull')!.message).toBe(error);
  });

  it('recovers once the missing tag is pushed, and runs', async () => {
    await using c = await clusterOver([node!]);
    const image = `${host}/pullstorm/tiny:late`;
    c.cluster.createPod({ name: 'late', image });
    await c.cluster.waitFor(() => c.k8s('late').filter(([r]) => r === 'Pulling').length >= 2, 20_000);
    const pushedAt = c.clock.now();
    await seed(registry!.store, retagged(tinyBundle!, 'pullstorm/tiny', 'late'));
    const [pod] = (
      await c.cluster.waitFor((pods) => pods.some((p) => p.name === 'late' && p.phase === 'Running'), 20_000)
    ).filter((p) => p.name === 'late');
    // Bounded by the backoff in force when the tag appeared (at most 40 s) plus one requeue (15 s).
    const running = c.states('late').find((s) => s.phase === 'Running')!;
    expect(Date.parse(running.time) - pushedAt).toBeLessThan(40_000 + 15_000 + 1_000);
    expect(pod!.imageDigest).toBe(tinyBundle!.root.digest);
    const pulled = c.k8s('late').filter(([r]) => r === 'Pulled');
    expect(pulled[0]![1]).toMatch(new RegExp(`^Successfully pulled image "${image}" in `));
    expect(c.states('late').at(-1)).toMatchObject({ phase: 'Running', image });
  });

  it('a burst past registryBurst: some pods fail with "pull QPS exceeded", then all run', async () => {
    // 0.1 pulls/s × 20 = 2 tokens a second after a burst of 2; every pod pulls (Always), in parallel.
    await using c = await clusterOver([node!], {
      registryPullQPS: 0.1,
      registryBurst: 2,
      serializeImagePulls: false,
    });
    const image = `${host}/pullstorm/tiny:1.0`;
    const names = Array.from({ length: 6 }, (_, i) => `burst-${i}`);
    for (const name of names) c.cluster.createPod({ name, image, imagePullPolicy: 'Always' });
    await c.cluster.waitFor((pods) => pods.every((p) => p.phase === 'Running' && !p.reason), 30_000);
    const limited = names.filter((n) =>
      c.k8s(n).some(([r, m]) => r === 'Failed' && m.endsWith(': pull QPS exceeded')),
    );
    expect(limited.length).toBeGreaterThan(0);
    const pod = limited[0]!;
    expect(c.k8s(pod)).toContainEqual(['Failed', `Failed to pull image "${image}": pull QPS exceeded`]);
    expect(c.states(pod).map((s) => [s.reason, s.message])).toContainEqual([
      'ErrImagePull',
      'pull QPS exceeded',
    ]);
    const failures = c.events.filter(
      (e) => e.kind === 'pull.attempt' && !e.ok && e.error === 'pull QPS exceeded',
    );
    expect(failures.length).toBeGreaterThanOrEqual(limited.length);
  });
});
