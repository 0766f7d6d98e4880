/**
 * The container-lifecycle texts the cluster's pod workers produce, word for word from kubelet and the
 * scheduler (the image texts live in harness/kubelet/messages.ts):
 * - `Created container: X` / `Started container X` (kuberuntime_container.go `startContainer`); before
 *   1.32 `Created container X` (seen in `kubectl describe` of 1.31.0 and 1.32.0 control planes); from
 *   1.35 the name is dropped from both (kubernetes PR #134043: "Remove container name from messages
 *   for container created and started events");
 * - `Back-off restarting failed container X in pod P` and the waiting message
 *   `back-off 10s restarting failed container=X pod=P` (kuberuntime_manager.go `doBackOff`), where P
 *   is `format.Pod`: `name_namespace(uid)`;
 * - `Successfully assigned ns/name to node` (scheduler `schedule_one.go`);
 * - `Failed to create pod sandbox: ERR` (kuberuntime_manager.go `SyncPod`);
 * - `Stopping container X` (kuberuntime_container.go `killContainer`).
 */

import { goDuration } from '../kubelet/gofmt.ts';
import type { PodRef } from '../kubelet/manager.ts';

/** Event reasons of container lifecycle (pkg/kubelet/events/event.go) and scheduling. */
export const ContainerEventReason = {
  Created: 'Created',
  Started: 'Started',
  Failed: 'Failed',
  BackOff: 'BackOff',
  Killing: 'Killing',
  FailedCreatePodSandBox: 'FailedCreatePodSandBox',
  Scheduled: 'Scheduled',
} as const;

/** Waiting reasons of the container step (kuberuntime `ErrCreateContainer`, `ErrRunContainer`, …). */
export const ContainerWaitingReason = {
  ContainerCreating: 'ContainerCreating',
  CrashLoopBackOff: 'CrashLoopBackOff',
  CreateContainerError: 'CreateContainerError',
  RunContainerError: 'RunContainerError',
} as const;

/** kubelet's `format.Pod`: `name_namespace(uid)`. */
export const formatPod = (pod: PodRef): string => `${pod.name}_${pod.namespace}(${pod.uid})`;

/** The Created event message for kubelet minor `minor` (default 1.32). */
export function createdContainer(name: string, minor = 32): string {
  if (minor >= 35) return 'Created container';
  return minor >= 32 ? `Created container: ${name}` : `Created container ${name}`;
}

/** The Started event message for kubelet minor `minor` (default 1.32). */
export const startedContainer = (name: string, minor = 32): string =>
  minor >= 35 ? 'Started container' : `Started container ${name}`;

/** `Back-off restarting failed container X in pod P` (Warning, BackOff). */
export const backOffRestarting = (container: string, pod: PodRef): string =>
  `Back-off restarting failed container ${container} in pod ${formatPod(pod)}`;

/** The CrashLoopBackOff waiting message: `back-off 10s restarting failed container=X pod=P` (Go duration). */
export const crashLoopWaiting = (backoffMs: number, container: string, pod: PodRef): string =>
  `back-off ${goDuration(BigInt(Math.round(backoffMs * 1e6)))} restarting failed container=${container} pod=${formatPod(pod)}`;

/**
 * What pullstorm appends to the CrashLoopBackOff message as evidence: CRI reports an exec format error
 * with an empty message, so the last lines of the container's log say why it exited. Not kubelet text
 * (kubelet only shows the log as the terminated message under `terminationMessagePolicy:
 * FallbackToLogsOnError`).
 */
export function lastTerminationEvidence(exitCode: number, reason: string, log: string): string {
  const tail = log.trimEnd().split('\n').slice(-3).join(' | ');
  return `last terminated: exit code ${exitCode}, reason ${reason || 'Unknown'}${tail ? `, log: ${tail}` : ''}`;
}

/** `Successfully assigned ns/name to node` (Normal, Scheduled, from default-scheduler). */
export const successfullyAssigned = (pod: PodRef, node: string): string =>
  `Successfully assigned ${pod.namespace}/${pod.name} to ${node}`;

/** `Failed to create pod sandbox: ERR` (Warning, FailedCreatePodSandBox; ERR in gRPC status form). */
export const failedCreatePodSandbox = (error: string): string => `Failed to create pod sandbox: ${error}`;

/** `Stopping container X` (Normal, Killing). */
export const stoppingContainer = (name: string): string => `Stopping container ${name}`;
