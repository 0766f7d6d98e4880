/**
 * Options of `createCluster`: kubelet settings (passed through to each node's image manager), GC
 * thresholds and the run's plumbing. Defaults are computed once and every problem is reported at
 * once; the kubelet part is validated by `resolveKubeletImageConfig`.
 */

import type { RunEvent } from '../events/types.ts';
import { type Clock, systemClock } from '../kubelet/clock.ts';
import { type KubeletImageOptions, resolveKubeletImageConfig } from '../kubelet/config.ts';
import { randomSeed } from '../kubelet/seeded-random.ts';
import type { ClusterNode } from './types.ts';

/** Registry credentials of an image pull secret. */
export interface PullSecret {
  username: string;
  password: string;
}

/** Options of `createCluster`. */
export interface ClusterOptions extends KubeletImageOptions {
  /** Run id, stamped on runtime labels so leftovers are findable. Required. */
  runId: string;
  /** Nodes to schedule onto; names must be unique. Required, at least one. */
  nodes: ClusterNode[];
  /** Receives every event (k8s.event, pod.state, pull.attempt, node.disk). Required. */
  emit: (event: RunEvent) => void;
  /**
   * Time source; default the system clock. A run clock (`harness/kubelet/run-clock.ts`) also gets
   * every node call marked as work in flight, so it skips only idle time.
   */
  clock?: Clock;
  /** Pull secrets by name, referenced by `PodSpec.imagePullSecrets`; default none. */
  pullSecrets?: Record<string, PullSecret>;
  /** imageGCHighThresholdPercent; default 85. */
  imageGCHighThresholdPercent?: number;
  /** imageGCLowThresholdPercent; default 80. */
  imageGCLowThresholdPercent?: number;
  /** imageMinimumGCAge in ms; default 120 000. */
  imageMinimumGCAgeMs?: number;
  /** Run image GC on each node every 5 min; default true. */
  imageGC?: boolean;
  /**
   * Seed of the pods' requeue jitter (`harness/kubelet/seeded-random.ts`); default a random one.
   * The same seed gives every pod the same draws, whatever the clock.
   */
  seed?: number;
}

/** Options after defaulting. */
export interface ResolvedClusterOptions extends Required<Omit<ClusterOptions, 'maxParallelImagePulls'>> {
  maxParallelImagePulls: number | undefined;
  /** Kubernetes minor version (from `kubernetesVersion`). */
  minor: number;
}

/** Checks and defaults `options`; throws one RangeError/TypeError naming every problem. */
export function resolveClusterOptions(options: ClusterOptions): ResolvedClusterOptions {
  const problems: string[] = [];
  let kubelet: ReturnType<typeof resolveKubeletImageConfig> | undefined;
  try {
    kubelet = resolveKubeletImageConfig(options);
  } catch (err) {
    problems.push((err as Error).message);
  }
  if (typeof options.runId !== 'string' || options.runId === '')
    problems.push('runId must be a non-empty string');
  if (typeof options.emit !== 'function') problems.push('emit must be a function receiving events');
  const nodes = Array.isArray(options.nodes) ? options.nodes : [];
  if (nodes.length === 0) problems.push('nodes must list at least one ClusterNode');
  const names = nodes.map((n) => n?.name);
  const dupes = names.filter((n, i) => names.indexOf(n) !== i);
  if (dupes.length > 0)
    problems.push(`node names must be unique, repeated: ${[...new Set(dupes)].join(', ')}`);
  for (const n of nodes) {
    if (n?.capabilities?.runsContainers && !n.runtime) {
      problems.push(`node ${n.name} says it runs containers but has no runtime`);
    }
  }
  const high = options.imageGCHighThresholdPercent ?? 85;
  const low = options.imageGCLowThresholdPercent ?? 80;
  if (!(low >= 0 && high <= 100 && low <= high)) {
    problems.push(`GC thresholds must satisfy 0 <= low <= high <= 100, got low ${low}, high ${high}`);
  }
  const minAge = options.imageMinimumGCAgeMs ?? 120_000;
  if (!(minAge >= 0)) problems.push(`imageMinimumGCAgeMs must be >= 0, got ${minAge}`);
  if (
    options.seed !== undefined &&
    !(Number.isInteger(options.seed) && options.seed >= 0 && options.seed < 2 ** 32)
  ) {
    problems.push(`seed must be an integer from 0 to 4294967295, got ${options.seed}`);
  }
  if (problems.length > 0 || !kubelet) {
    throw new RangeError(`invalid cluster options:\n- ${problems.join('\n- ')}`);
  }
  return {
    ...kubelet,
    runId: options.runId,
    nodes,
    emit: options.emit,
    clock: options.clock ?? systemClock,
    pullSecrets: options.pullSecrets ?? {},
    imageGCHighThresholdPercent: high,
    imageGCLowThresholdPercent: low,
    imageMinimumGCAgeMs: minAge,
    imageGC: options.imageGC ?? true,
    seed: options.seed ?? randomSeed(),
  };
}

/** The kubelet image-manager settings out of the cluster options. */
export function kubeletImageOptions(o: ResolvedClusterOptions): KubeletImageOptions {
  return {
    kubernetesVersion: o.kubernetesVersion,
    registryPullQPS: o.registryPullQPS,
    registryBurst: o.registryBurst,
    serializeImagePulls: o.serializeImagePulls,
    maxParallelImagePulls: o.maxParallelImagePulls,
    ensureSecretPulledImages: o.ensureSecretPulledImages,
    credentialVerificationPolicy: o.credentialVerificationPolicy,
    credentialVerificationAllowlist: o.credentialVerificationAllowlist,
    eventSpamFilter: o.eventSpamFilter,
  };
}
