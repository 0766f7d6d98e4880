/**
 * Shared set-up of the cluster's integration tests: a real stub registry with the fixture images
 * (plus `pullstorm/pause:3.9`, tiny under another name, as the sandbox image so a pod's own image is
 * never pre-pulled by its sandbox), real containerd nodes pointed at it, and an event log.
 */

import { fromContainerdNode } from '../../harness/backends/containerd/cluster-node.ts';
import { type ContainerdNode, startContainerdNode } from '../../harness/backends/containerd/node.ts';
import type { ContainerdNodeOptions } from '../../harness/backends/containerd/options.ts';
import {
  type Cluster,
  type ClusterNode,
  type ClusterOptions,
  createCluster,
} from '../../harness/cluster/index.ts';
import type { KubeEvent, PodState, RunEvent } from '../../harness/events/types.ts';
import { createRunClock, type RunClock } from '../../harness/kubelet/run-clock.ts';
import { fixtureImages } from '../../registry-stubs/fixtures/catalogue.ts';
import { type RunningRegistry, startRegistry } from '../../registry-stubs/index.ts';
import type { ImageBundle } from '../../registry-stubs/oci/types.ts';

/** The tiny fixture under another repository and tag (same digests). */
export function retagged(bundle: ImageBundle, repository: string, tag: string): ImageBundle {
  return { ...bundle, repository, tag };
}

/** A registry serving `images` plus the pause image. */
export async function startFixtureRegistry(images: ImageBundle[] = []): Promise<RunningRegistry> {
  const [tiny] = fixtureImages({ include: ['tiny'] });
  return startRegistry({ images: [...images, retagged(tiny!, 'pullstorm/pause', '3.9')] });
}

/** `host:port` of a registry. */
export const hostOf = (r: RunningRegistry): string => `${r.host}:${r.port}`;

/** Starts a node that pulls everything (sandbox image included) from `registry` over http. */
export function startNode(
  registry: RunningRegistry,
  name: string,
  options: Partial<ContainerdNodeOptions> = {},
): Promise<ContainerdNode> {
  const host = hostOf(registry);
  return startContainerdNode({
    name,
    sandboxImage: `${host}/pullstorm/pause:3.9`,
    registries: [{ host, server: `http://${host}` }],
    ...options,
  });
}

/** A cluster over real nodes with its event log. */
export interface TestCluster extends AsyncDisposable {
  cluster: Cluster;
  /** The run clock the cluster runs on (warp). */
  clock: RunClock;
  events: RunEvent[];
  /** `[reason, message]` of the k8s events about `pod`, in order. */
  k8s(pod: string): [string, string][];
  /** The k8s events about `pod` (full records). */
  k8sEvents(pod: string): KubeEvent[];
  /** pod.state records of `pod`. */
  states(pod: string): PodState[];
}

/** Creates a cluster over containerd `nodes` (plus `clusterNodes`); dispose stops the cluster, not the nodes. */
export async function clusterOver(
  nodes: ContainerdNode[],
  options: Omit<ClusterOptions, 'nodes' | 'emit' | 'runId'> & { clusterNodes?: ClusterNode[] } = {},
): Promise<TestCluster> {
  const events: RunEvent[] = [];
  const { clusterNodes = [], ...rest } = options;
  // The run clock the harness runs on: kubelet's real backoff, idle time skipped.
  const clock = createRunClock('warp');
  const cluster = await createCluster({
    runId: 'test',
    clock,
    ...rest,
    nodes: [...(await Promise.all(nodes.map((n) => fromContainerdNode(n)))), ...clusterNodes],
    emit: (e) => events.push(e),
  });
  const k8sEvents = (pod: string) =>
    events.filter((e): e is KubeEvent => e.kind === 'k8s.event' && e.involvedObject.name === pod);
  return {
    cluster,
    clock,
    events,
    k8sEvents,
    k8s: (pod) => k8sEvents(pod).map((e) => [e.reason, e.message]),
    states: (pod) => events.filter((e): e is PodState => e.kind === 'pod.state' && e.pod === pod),
    [Symbol.asyncDispose]: async () => {
      await cluster.stop();
      clock.close();
    },
  };
}

/** Stops everything given, in reverse order, and reports every failure together. */
export async function disposeAll(...items: (AsyncDisposable | undefined)[]): Promise<void> {
  const errors: unknown[] = [];
  for (const item of items.reverse()) {
    await Promise.resolve(item?.[Symbol.asyncDispose]()).catch((e: unknown) => errors.push(e));
  }
  if (errors.length) throw new AggregateError(errors, 'cleanup failed');
}
