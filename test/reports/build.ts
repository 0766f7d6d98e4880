/**
 * Builders for deterministic `Analysis` objects in report tests: kubelet-shaped events and pod
 * timelines with offsets from a fixed start, so goldens never depend on the clock.
 */
import type { Analysis, PodTimeline } from '../../harness/analyze/types.ts';
import type { KubeEvent } from '../../harness/events/types.ts';
import { mulberry32 } from '../../harness/kubelet/seeded-random.ts';

/** The fixed start of every fixture run. */
export const START = Date.parse('2026-11-26T19:00:00.000Z');

/** ISO time `ms` after the fixture start. */
export function iso(ms: number): string {
  return new Date(START + ms).toISOString();
}

/** A kubelet event about `pod` at `atMs` (first) … `lastMs`, `count` times. */
export function event(
  pod: string,
  node: string,
  atMs: number,
  reason: string,
  message: string,
  opts: { warning?: boolean; count?: number; lastMs?: number } = {},
): KubeEvent {
  const last = opts.lastMs ?? atMs;
  return {
    kind: 'k8s.event',
    time: iso(last),
    involvedObject: { kind: 'Pod', name: pod, namespace: 'pullstorm', fieldPath: 'spec.containers{app}' },
    reason,
    type: opts.warning ? 'Warning' : 'Normal',
    message,
    source: { component: 'kubelet', host: node },
    firstTimestamp: iso(atMs),
    lastTimestamp: iso(last),
    count: opts.count ?? 1,
  };
}

/** `Failed to pull image …` as kubelet words it around a CRI error. */
export function failedToPull(image: string, error: string): string {
  return `Failed to pull image "${image}": ${error}`;
}

/** A pod that pulls `image` successfully at `pulledMs` after waiting `latencyMs`, then runs. */
export function healthyPod(
  pod: string,
  node: string,
  image: string,
  startMs: number,
  latencyMs: number,
  digest: string,
): PodTimeline {
  const pulled = startMs + latencyMs;
  const seconds = (latencyMs / 1000).toFixed(3).replace(/\.?0+$/, '');
  return {
    pod,
    node,
    image,
    states: [
      { atMs: startMs, phase: 'Pending', reason: 'ContainerCreating' },
      { atMs: pulled + 120, phase: 'Running' },
    ],
    events: [
      event(pod, node, startMs, 'Pulling', `Pulling image "${image}"`),
      event(
        pod,
        node,
        pulled,
        'Pulled',
        `Successfully pulled image "${image}" in ${seconds}s (${seconds}s including waiting). Image size: 4096 bytes.`,
      ),
      event(pod, node, pulled + 60, 'Created', 'Created container: app'),
      event(pod, node, pulled + 120, 'Started', 'Started container app'),
    ],
    final: { phase: 'Running' },
    digest,
  };
}

/** The registry load of a run with no traffic: fill in what a fixture needs. */
export function emptyRegistry(): Analysis['registry'] {
  return {
    requests: 0,
    byRoute: {},
    byStatus: {},
    byClient: {},
    bytesServed: 0,
    tooManyRequests: 0,
    perSecond: [],
    originBlobBytes: 0,
    uniqueBlobBytes: 0,
    amplification: null,
  };
}

/** Pull latency percentiles of `samples` (nearest rank), as the analysis computes them. */
export function percentiles(samples: readonly number[]): Analysis['pulls']['latency'] {
  const s = [...samples].sort((a, b) => a - b);
  const at = (p: number) =>
    s.length === 0 ? null : s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
  return { count: s.length, p50: at(50), p90: at(90), p95: at(95), p99: at(99), max: s.at(-1) ?? null };
}

/** A deterministic pseudo-random generator (mulberry32) for generated fixtures. */
export function random(seed: number): () => number {
  return mulberry32(seed);
}
