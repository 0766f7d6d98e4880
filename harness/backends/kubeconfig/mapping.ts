/**
 * Kubernetes objects into pullstorm's events, so a kind or existing cluster writes the same
 * `k8s.event` and `pod.state` lines as the embedded cluster and the same analysis applies.
 *
 * Objects arrive two ways: typed API calls give `Date` timestamps, raw watch streams give strings;
 * both are accepted. Events written through the events.k8s.io API (the scheduler's) have no
 * `source`/`firstTimestamp`/`count` in their core/v1 view: `reportingComponent`, `eventTime` and
 * `series` stand in for them.
 */
import type { CoreV1Event, V1Pod } from '@kubernetes/client-node';
import type { PodStatus } from '../../cluster/types.ts';
import type { KubeEvent, PodState } from '../../events/types.ts';
import { LABEL_DEPLOYMENT } from './names.ts';

/** An ISO string from a Date, a string or nothing. */
function iso(value: unknown): string | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  if (typeof value === 'string' && value) return new Date(value).toISOString();
  return undefined;
}

/** Objects whose events are the run's: pods and nodes, and the controllers that create pods. */
const KINDS: ReadonlySet<string> = new Set(['Pod', 'Node', 'ReplicaSet', 'Deployment']);

/**
 * A core/v1 Event about a Pod, Node, ReplicaSet or Deployment as a `k8s.event`; undefined for
 * other objects. The controllers' events matter because a pod the API server refuses (PodSecurity,
 * quota) never exists: the only trace is the ReplicaSet's `FailedCreate`.
 */
export function toKubeEvent(event: CoreV1Event): KubeEvent | undefined {
  const o = event.involvedObject;
  if (!KINDS.has(o?.kind ?? '')) return undefined;
  const series = event.series as { count?: number; lastObservedTime?: unknown } | undefined;
  const last =
    iso(event.lastTimestamp) ??
    iso(series?.lastObservedTime) ??
    iso(event.eventTime) ??
    iso(event.metadata?.creationTimestamp);
  if (!last) return undefined;
  const first = iso(event.firstTimestamp) ?? iso(event.eventTime) ?? last;
  const component = event.source?.component || event.reportingComponent || 'unknown';
  const host = event.source?.host;
  return {
    kind: 'k8s.event',
    time: last,
    involvedObject: {
      kind: o.kind as KubeEvent['involvedObject']['kind'],
      name: o.name ?? '',
      ...(o.namespace ? { namespace: o.namespace } : {}),
      ...(o.uid ? { uid: o.uid } : {}),
      ...(o.fieldPath ? { fieldPath: o.fieldPath } : {}),
    },
    reason: event.reason ?? '',
    type: event.type === 'Warning' ? 'Warning' : 'Normal',
    message: event.message ?? '',
    source: { component, ...(host ? { host } : {}) },
    firstTimestamp: first,
    lastTimestamp: last,
    count: event.count ?? series?.count ?? 1,
  };
}

/** What makes an event a new occurrence: kubelet bumps `count` and `lastTimestamp` on a repeat. */
export function eventSignature(e: KubeEvent): string {
  return `${e.count}|${e.lastTimestamp}|${e.message}`;
}

/** `sha256:…` from a container status imageID (`docker.io/x@sha256:…` or `sha256:…`). */
export function digestOf(imageId: string | undefined): string | undefined {
  const m = imageId ? /(sha256:[0-9a-f]{64})$/.exec(imageId) : null;
  return m?.[1];
}

type Phase = PodStatus['phase'];
const PHASES: readonly string[] = ['Pending', 'Running', 'Succeeded', 'Failed'];

/** A pod's status as the embedded cluster summarises it (first container only, as pods are single-container). */
export function toPodStatus(pod: V1Pod): PodStatus {
  const status = pod.status ?? {};
  const container = status.containerStatuses?.[0];
  const phase = (PHASES.includes(status.phase ?? '') ? status.phase : 'Pending') as Phase;
  let reason: string | undefined;
  let message: string | undefined;
  const state = container?.state;
  if (state?.waiting) ({ reason, message } = state.waiting);
  else if (state?.terminated) ({ reason, message } = state.terminated);
  else if (!state?.running) {
    // No container status yet: unschedulable, being created, or not yet looked at.
    const scheduled = status.conditions?.find((c) => c.type === 'PodScheduled');
    if (scheduled?.status === 'False') ({ reason, message } = scheduled);
    else if (pod.spec?.nodeName) reason = 'ContainerCreating';
  }
  const digest = digestOf(container?.imageID);
  const deployment = pod.metadata?.labels?.[LABEL_DEPLOYMENT];
  return {
    name: pod.metadata?.name ?? '',
    namespace: pod.metadata?.namespace ?? 'default',
    uid: pod.metadata?.uid ?? '',
    node: pod.spec?.nodeName ?? '',
    image: pod.spec?.containers?.[0]?.image ?? '',
    ...(deployment ? { deployment } : {}),
    phase,
    ...(reason ? { reason } : {}),
    ...(message ? { message } : {}),
    ...(digest ? { imageDigest: digest } : {}),
    restartCount: container?.restartCount ?? 0,
    createdAt: iso(pod.metadata?.creationTimestamp) ?? new Date(0).toISOString(),
  };
}

/** The `pod.state` event of a status, stamped `time`. */
export function toPodState(status: PodStatus, time: string): PodState {
  return {
    kind: 'pod.state',
    time,
    pod: status.name,
    namespace: status.namespace,
    node: status.node,
    phase: status.phase,
    ...(status.reason ? { reason: status.reason } : {}),
    ...(status.message ? { message: status.message } : {}),
    image: status.image,
    ...(status.imageDigest ? { imageDigest: status.imageDigest } : {}),
  };
}

/** What a `pod.state` is emitted on a change of (the embedded pod worker emits on change only). */
export function podStateSignature(s: PodStatus): string {
  return [s.node, s.phase, s.reason ?? '', s.message ?? '', s.imageDigest ?? ''].join('|');
}
