/**
 * The run's event log is one append-only JSONL file; every observer writes one of these typed events
 * and analysis and reports only read them. Every event has a `kind` (a tagged union, so a renderer
 * keyed by kind must handle each one) and an ISO `time`.
 */

/** Reference to the Kubernetes object an event is about, as in `kubectl get events -o json`. */
export interface InvolvedObject {
  /** ReplicaSet and Deployment events say why pods were never created (FailedCreate). */
  kind: 'Pod' | 'Node' | 'ReplicaSet' | 'Deployment';
  name: string;
  namespace?: string;
  uid?: string;
  /** e.g. `spec.containers{app}` */
  fieldPath?: string;
}

/** A Kubernetes-shaped event (reason, type, message, counts), as `kubectl describe pod` shows it. */
export interface KubeEvent {
  kind: 'k8s.event';
  time: string;
  involvedObject: InvolvedObject;
  reason: string;
  type: 'Normal' | 'Warning';
  message: string;
  /** Which component reported it, e.g. `kubelet`. */
  source: { component: string; host?: string };
  firstTimestamp: string;
  lastTimestamp: string;
  count: number;
}

/** Pod phase and waiting/terminated reason of its (single) container. */
export interface PodState {
  kind: 'pod.state';
  time: string;
  pod: string;
  namespace?: string;
  node: string;
  phase: 'Pending' | 'Running' | 'Succeeded' | 'Failed';
  /** Waiting reason (`ErrImagePull`, `ImagePullBackOff`, `CrashLoopBackOff`, …) or undefined when running. */
  reason?: string;
  message?: string;
  image: string;
  imageDigest?: string;
}

/** One PullImage attempt, successful or failed (one result shape for both). */
export interface PullAttempt {
  kind: 'pull.attempt';
  time: string;
  node: string;
  pod?: string;
  image: string;
  ok: boolean;
  durationMs: number;
  /** Image digest (repo digest) on success. */
  digest?: string;
  sizeBytes?: number;
  /** The full error text as kubelet would show it, on failure. */
  error?: string;
}

/** One request the registry stub answered. */
export interface RegistryRequest {
  kind: 'registry.request';
  time: string;
  registry?: string;
  method: string;
  path: string;
  route: string;
  repository?: string;
  reference?: string;
  status: number;
  bytes: number;
  client?: string;
  /** Endpoint (node) the request came in through, when the registry serves through front doors. */
  endpoint?: string;
  /** Names of the faults that touched this request. */
  faults?: string[];
  /** A real mirror's own cache verdict (nginx's `$upstream_cache_status`: HIT, MISS, …), when it says. */
  cache?: string;
}

import type { FaultChange, FaultHit } from '../../vocab/fault-events.ts';

export type { FaultChange, FaultHit };

/** Disk usage of a node's image filesystem (CRI ImageFsInfo). */
export interface NodeDisk {
  kind: 'node.disk';
  time: string;
  node: string;
  usedBytes: number;
  capacityBytes?: number;
}

/**
 * A real mirror's own log said it could not store what it fetched (distribution's `Error
 * committing to storage: …`, e.g. `no space left on device` on a full disk). The request may still
 * have been answered: distribution streams to the client while it stores.
 */
export interface MirrorStoreError {
  kind: 'mirror.store-error';
  time: string;
  /** The mirror's name in the scenario. */
  mirror: string;
  /** The error as the mirror logged it. */
  message: string;
}

/** Every event the log may hold. */
export type RunEvent =
  | KubeEvent
  | PodState
  | PullAttempt
  | RegistryRequest
  | FaultChange
  | FaultHit
  | NodeDisk
  | MirrorStoreError;
