/**
 * Builds event logs the way the harness writes them: kubelet's exact texts (from harness/kubelet),
 * containerd's error texts (FACTS.md), registry requests as the stub reports them. Times are offsets
 * in ms from a fixed start, so every number a test asserts is known in advance.
 */
import { createHash } from 'node:crypto';
import { DEFAULT_EXPECTED_CAUSES } from '../../harness/analyze/expected-causes.ts';
import { CAUSE_IDS } from '../../harness/classify/index.ts';
import type { LogEvent, RunTiming } from '../../harness/events/run-events.ts';
import type { KubeEvent, PodState, PullAttempt, RegistryRequest } from '../../harness/events/types.ts';
import * as kubelet from '../../harness/kubelet/messages.ts';
import { resolveScenario, type Scenario, type ScenarioInput } from '../../harness/scenario/index.ts';

/** Time zero of every built log. */
export const T0 = Date.parse('2026-03-02T09:00:00.000Z');

/** Resolves a scenario against the default fault table (every option accepted). */
export function scenario(input: ScenarioInput): Scenario {
  const names = [...Object.keys(DEFAULT_EXPECTED_CAUSES), 'auth-bad-credentials'];
  const faults = Object.fromEntries(names.map((n) => [n, { validate: () => [] }]));
  return resolveScenario(input, { faults, causes: CAUSE_IDS });
}

type Omitted<T> = T extends unknown ? Omit<T, 'kind' | 'time'> : never;

/** Collects events at offsets; `build()` returns them in time order (stable). */
export class LogBuilder {
  readonly #events: { atMs: number; seq: number; event: LogEvent }[] = [];

  /** The ISO time of an offset. */
  iso(atMs: number): string {
    return new Date(T0 + atMs).toISOString();
  }

  /** Adds one event of `kind` at `atMs`. */
  add<K extends LogEvent['kind']>(
    atMs: number,
    kind: K,
    fields: Omitted<Extract<LogEvent, { kind: K }>>,
  ): this {
    const event = { kind, time: this.iso(atMs), ...fields } as unknown as LogEvent;
    this.#events.push({ atMs, seq: this.#events.length, event });
    return this;
  }

  /** The events in time order, ties in the order added. */
  build(): LogEvent[] {
    return [...this.#events].sort((a, b) => a.atMs - b.atMs || a.seq - b.seq).map((e) => e.event);
  }

  /** `run.started` at 0 with the resolved scenario (and the run clock, absent as in older logs). */
  started(
    s: Scenario,
    environment: Record<string, string> = { runtime: 'node 24.21.0', kubelet: '1.32' },
    clock?: 'warp' | 'real',
  ): this {
    return this.add(0, 'run.started', {
      runId: `${s.name}-20260302-090000`,
      scenario: s,
      environment,
      ...(clock === undefined ? {} : { clock }),
    });
  }

  /** `run.finished`; outcome default `completed`; `timing` as the run clock measured it. */
  finished(
    atMs: number,
    outcome: 'completed' | 'interrupted' | 'error' = 'completed',
    error?: string,
    timing?: RunTiming,
  ): this {
    return this.add(atMs, 'run.finished', {
      outcome,
      ...(error === undefined ? {} : { error }),
      ...(timing === undefined ? {} : { timing }),
    });
  }

  /** `fault.applied` / `fault.cleared`. */
  fault(atMs: number, kind: 'fault.applied' | 'fault.cleared', id: string, fault: string): this {
    return this.add(atMs, kind, { id, fault });
  }

  /** A Pod event from kubelet (the scheduler for `Scheduled`). */
  kube(
    atMs: number,
    pod: string,
    node: string,
    reason: string,
    type: KubeEvent['type'],
    message: string,
  ): this {
    const component = reason === 'Scheduled' ? 'default-scheduler' : 'kubelet';
    const time = this.iso(atMs);
    return this.add(atMs, 'k8s.event', {
      involvedObject: {
        kind: 'Pod',
        name: pod,
        namespace: 'default',
        uid: `uid-${pod}`,
        fieldPath: 'spec.containers{app}',
      },
      reason,
      type,
      message,
      source: component === 'kubelet' ? { component, host: node } : { component },
      firstTimestamp: time,
      lastTimestamp: time,
      count: 1,
    });
  }

  /** `pod.state` in namespace default. */
  state(atMs: number, fields: Omit<PodState, 'kind' | 'time'>): this {
    return this.add(atMs, 'pod.state', { namespace: 'default', ...fields });
  }

  /** `pull.attempt`. */
  attempt(atMs: number, fields: Omit<PullAttempt, 'kind' | 'time'>): this {
    return this.add(atMs, 'pull.attempt', fields);
  }

  /** `registry.request`. */
  request(atMs: number, fields: Omit<RegistryRequest, 'kind' | 'time'>): this {
    return this.add(atMs, 'registry.request', fields);
  }
}

/** An image as the registry serves it. */
export interface Image {
  ref: string;
  repository: string;
  tag: string;
  digest: string;
  manifestBytes: number;
  blobs: { digest: string; bytes: number }[];
}

/** A deterministic digest from a seed: the sha256 of the seed text. */
export function fakeDigest(seed: string): string {
  return `sha256:${createHash('sha256').update(seed).digest('hex')}`;
}

/** `pullstorm/<name>:1.0` on `host` with a manifest, a config and one layer per `layerBytes`. */
export function image(host: string, name: string, layerBytes: number[], tagDigestSeed = name): Image {
  const layers = layerBytes.map((bytes, i) => ({ digest: fakeDigest(`${name}-layer-${i}`), bytes }));
  const blobs = [{ digest: fakeDigest(`${name}-config`), bytes: 1_470 }, ...layers];
  const repository = `pullstorm/${name}`;
  return {
    ref: `${host}/${repository}:1.0`,
    repository,
    tag: '1.0',
    digest: fakeDigest(`${tagDigestSeed}-manifest`),
    manifestBytes: 528,
    blobs,
  };
}

/** Where a pod runs. */
export interface Placement {
  pod: string;
  node: string;
  image: Image;
  /** Client address the registry sees for the node. */
  client: string;
}

/** Scheduled and ContainerCreating. */
export function schedule(b: LogBuilder, atMs: number, p: Placement): void {
  b.kube(atMs, p.pod, p.node, 'Scheduled', 'Normal', `Successfully assigned default/${p.pod} to ${p.node}`);
  b.state(atMs, {
    pod: p.pod,
    node: p.node,
    phase: 'Pending',
    reason: 'ContainerCreating',
    image: p.image.ref,
  });
}

/**
 * A successful pull: Pulling at `atMs`, `waitMs` in kubelet's serial queue, then `pullMs` pulling
 * (blobs fetched unless `cached`); running 20 ms after Pulled.
 */
export function pullOk(
  b: LogBuilder,
  atMs: number,
  p: Placement,
  pullMs: number,
  options: { cached?: boolean; digest?: string; waitMs?: number; blobs?: Image['blobs'] } = {},
): void {
  const img = p.image;
  const digest = options.digest ?? img.digest;
  const blobs = options.blobs ?? img.blobs;
  const size = blobs.reduce((sum, blob) => sum + blob.bytes, 0);
  const base = { repository: img.repository, client: p.client, registry: 'registry' };
  const waitMs = options.waitMs ?? 0;
  b.kube(atMs, p.pod, p.node, 'Pulling', 'Normal', kubelet.pullingImage(img.ref));
  atMs += waitMs;
  b.request(atMs + 2, {
    ...base,
    method: 'HEAD',
    path: `/v2/${img.repository}/manifests/${img.tag}`,
    route: 'manifest',
    reference: img.tag,
    status: 200,
    bytes: 0,
  });
  // With the content already in its store containerd resolves (HEAD) and fetches nothing.
  if (!options.cached) {
    const path = `/v2/${img.repository}/manifests/${digest}`;
    b.request(atMs + 4, {
      ...base,
      method: 'GET',
      path,
      route: 'manifest',
      reference: digest,
      status: 200,
      bytes: img.manifestBytes,
    });
    blobs.forEach((blob, i) => {
      const path = `/v2/${img.repository}/blobs/${blob.digest}`;
      b.request(atMs + 6 + i, {
        ...base,
        method: 'GET',
        path,
        route: 'blob',
        reference: blob.digest,
        status: 200,
        bytes: blob.bytes,
      });
    });
  }
  const end = atMs + pullMs;
  b.attempt(end, {
    node: p.node,
    pod: p.pod,
    image: img.ref,
    ok: true,
    durationMs: pullMs,
    digest,
    sizeBytes: size,
  });
  b.kube(end, p.pod, p.node, 'Pulled', 'Normal', kubelet.pulledImage(img.ref, pullMs, pullMs + waitMs, size));
  b.kube(end + 10, p.pod, p.node, 'Created', 'Normal', 'Created container: app');
  b.kube(end + 20, p.pod, p.node, 'Started', 'Normal', 'Started container app');
  b.state(end + 20, { pod: p.pod, node: p.node, phase: 'Running', image: img.ref, imageDigest: digest });
}

/**
 * A failed pull: Pulling at `atMs`, then after `pullMs` the attempt, kubelet's two Failed events and
 * the ErrImagePull state; `requests` are what the registry saw meanwhile.
 */
export function pullFails(
  b: LogBuilder,
  atMs: number,
  p: Placement,
  pullMs: number,
  error: string,
  requests: Omit<RegistryRequest, 'kind' | 'time' | 'client'>[] = [],
): void {
  b.kube(atMs, p.pod, p.node, 'Pulling', 'Normal', kubelet.pullingImage(p.image.ref));
  for (const [i, r] of requests.entries()) b.request(atMs + 1 + i, { ...r, client: p.client });
  const end = atMs + pullMs;
  b.attempt(end, { node: p.node, pod: p.pod, image: p.image.ref, ok: false, durationMs: pullMs, error });
  b.kube(end, p.pod, p.node, 'Failed', 'Warning', kubelet.failedToPull(p.image.ref, error));
  b.kube(end, p.pod, p.node, 'Failed', 'Warning', kubelet.errorEvent('ErrImagePull'));
  b.state(end, {
    pod: p.pod,
    node: p.node,
    phase: 'Pending',
    reason: 'ErrImagePull',
    message: error,
    image: p.image.ref,
  });
}

/** A sync inside the backoff window: BackOff, `Error: ImagePullBackOff`, and the ≥ 1.32 status message. */
export function backOff(b: LogBuilder, atMs: number, p: Placement, lastError: string): void {
  b.kube(atMs, p.pod, p.node, 'BackOff', 'Normal', kubelet.backOffPulling(p.image.ref));
  b.kube(atMs, p.pod, p.node, 'Failed', 'Warning', kubelet.errorEvent('ImagePullBackOff'));
  const message = kubelet.backOffStatusMessage(p.image.ref, `ErrImagePull: ${lastError}`);
  b.state(atMs, {
    pod: p.pod,
    node: p.node,
    phase: 'Pending',
    reason: 'ImagePullBackOff',
    message,
    image: p.image.ref,
  });
}

/** containerd's 429 on the manifest HEAD (FACTS.md), as CRI returns it to kubelet ≥ 1.28. */
export function tooManyRequests(img: Image, host: string): string {
  const url = `http://${host}/v2/${img.repository}/manifests/${img.tag}`;
  return `failed to pull and unpack image "${img.ref}": failed to resolve reference "${img.ref}": unexpected status from HEAD request to ${url}: 429 Too Many Requests`;
}

/** The six HEAD requests containerd makes before giving up on a 429 (retried at once, 6 attempts). */
export function headRetries(img: Image, status = 429): Omit<RegistryRequest, 'kind' | 'time' | 'client'>[] {
  return Array.from({ length: 6 }, () => ({
    method: 'HEAD',
    path: `/v2/${img.repository}/manifests/${img.tag}`,
    route: 'manifest',
    repository: img.repository,
    reference: img.tag,
    registry: 'registry',
    status,
    bytes: 0,
  }));
}

/** Image already on the node (IfNotPresent): kubelet's Pulled `already present`, then running. */
export function alreadyPresent(b: LogBuilder, atMs: number, p: Placement, digest: string): void {
  b.kube(atMs, p.pod, p.node, 'Pulled', 'Normal', kubelet.alreadyPresent(p.image.ref));
  b.kube(atMs + 10, p.pod, p.node, 'Created', 'Normal', 'Created container: app');
  b.kube(atMs + 20, p.pod, p.node, 'Started', 'Normal', 'Started container app');
  b.state(atMs + 20, { pod: p.pod, node: p.node, phase: 'Running', image: p.image.ref, imageDigest: digest });
}
