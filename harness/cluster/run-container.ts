/**
 * The runtime half of a pod sync on a node that runs containers (kuberuntime `SyncPod`): the sandbox
 * first (so the pause image is pulled before the pod's own, as on a real node), then, for an exited
 * container, kubelet's crash-loop decision (`doBackOff`: restart at once after the first exit, then
 * 10 s doubling to 300 s since the last exit), and after the image step CreateContainer and
 * StartContainer with the `Created` / `Started` / `Failed` events.
 */

import { errorText } from '../kubelet/image-service.ts';
import { scenarioTimeOf } from '../kubelet/run-clock.ts';
import * as msg from './messages.ts';
import type { PodWorker, SyncOutcome } from './pod-worker.ts';
import type { ContainerRuntime } from './types.ts';

/** The runtime's own text of a failed call: a CriError's `details`, else the message. */
export function runtimeErrorText(err: unknown): string {
  if (err && typeof err === 'object' && 'details' in err && typeof err.details === 'string')
    return err.details;
  return errorText(err);
}

/**
 * Before the image step: the sandbox, and for an exited container kubelet's `doBackOff` (CrashLoopBackOff
 * inside the window, else remove it and go on to a restart). Returns an outcome that ends the sync, or
 * undefined to go on.
 */
export async function prepareContainer(
  w: PodWorker,
  runtime: ContainerRuntime,
): Promise<SyncOutcome | undefined> {
  if (w.sandboxId === undefined) {
    let id: string;
    try {
      id = await runtime.runPodSandbox(w.ref);
    } catch (err) {
      const { name, namespace, uid } = w.ref;
      const pod = { kind: 'Pod' as const, name, namespace, uid };
      // `%v` of the CRI error: the gRPC status form, `rpc error: code = … desc = …`.
      const text = msg.failedCreatePodSandbox(errorText(err));
      w.event('Warning', msg.ContainerEventReason.FailedCreatePodSandBox, text, pod);
      w.setState({ phase: w.waitingPhase(), reason: msg.ContainerWaitingReason.ContainerCreating });
      return { ok: false };
    }
    if (w.waker.stopped) {
      await runtime.removePodSandbox(id).catch(() => undefined); // deleted while it was being created
      return { ok: true };
    }
    w.sandboxId = id;
  }
  const current = w.current;
  if (!current) return undefined;
  const status = await runtime.containerStatus(current.id);
  if (status.state === 'running' || status.state === 'created') return { ok: true };
  const { clock } = w.ctx.options;
  // containerd reports wall time; the run clock may be ahead of it by the idle time it skipped.
  const finishedAt =
    status.finishedAtMs === undefined ? clock.now() : scenarioTimeOf(clock, status.finishedAtMs);
  const log = await runtime.containerLog(current.id).catch(() => '');
  const evidence = msg.lastTerminationEvidence(status.exitCode, status.reason, log);
  const name = w.container.name;
  const key = `${w.ref.name}_${w.ref.namespace}_${w.ref.uid}_${name}`;
  if (w.crashBackoff.isInBackOffSince(key, finishedAt)) {
    const backoffMs = w.crashBackoff.get(key);
    w.event('Warning', msg.ContainerEventReason.BackOff, msg.backOffRestarting(name, w.ref));
    w.setState({
      phase: w.waitingPhase(),
      reason: msg.ContainerWaitingReason.CrashLoopBackOff,
      message: `${msg.crashLoopWaiting(backoffMs, name, w.ref)}; ${evidence}`,
    });
    return { ok: false, retryAtMs: finishedAt + backoffMs };
  }
  w.crashBackoff.next(key, finishedAt);
  // kubelet leaves the dead container to container GC; removing it now keeps the node as clean.
  await runtime.removeContainer(current.id).catch(() => undefined);
  w.current = undefined;
  w.status = { ...w.status, restartCount: w.status.restartCount + 1 };
  return undefined;
}

/** After the image step: CreateContainer and StartContainer with their events; undefined on success. */
export async function createAndStartContainer(
  w: PodWorker,
  runtime: ContainerRuntime,
  imageRef: string,
  imageDigest: string | undefined,
): Promise<SyncOutcome | undefined> {
  const { minor } = w.ctx.options;
  const name = w.container.name;
  const fail = (reason: string, err: unknown): SyncOutcome => {
    const text = runtimeErrorText(err);
    w.event('Warning', msg.ContainerEventReason.Failed, `Error: ${text}`);
    w.setState({ phase: w.waitingPhase(), reason, message: text });
    return { ok: false };
  };
  let id: string;
  try {
    id = await runtime.createContainer({
      pod: w.ref,
      sandboxId: w.sandboxId!,
      name,
      imageRef,
      userImage: w.spec.image,
      attempt: w.status.restartCount,
      ...(w.spec.command ? { command: w.spec.command } : {}),
      ...(w.spec.args ? { args: w.spec.args } : {}),
    });
  } catch (err) {
    return fail(msg.ContainerWaitingReason.CreateContainerError, err);
  }
  if (w.waker.stopped) {
    await runtime.removeContainer(id).catch(() => undefined);
    return { ok: true };
  }
  w.current = { id, imageRef };
  w.event('Normal', msg.ContainerEventReason.Created, msg.createdContainer(name, minor));
  try {
    await runtime.startContainer(id);
  } catch (err) {
    return fail(msg.ContainerWaitingReason.RunContainerError, err);
  }
  w.event('Normal', msg.ContainerEventReason.Started, msg.startedContainer(name, minor));
  w.everStarted = true;
  w.setState({ phase: 'Running', ...(imageDigest ? { imageDigest } : {}) });
  return undefined;
}
