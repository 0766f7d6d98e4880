/**
 * One pod's worker, like kubelet's (pkg/kubelet/pod_workers.go over kuberuntime `SyncPod`): each sync
 * makes sure of the sandbox, looks at the container (crash-loop backoff when it exited), runs the image
 * step (`syncContainerImage`: events, backoff) and creates and starts the container. Between syncs it
 * waits as kubelet does: 10–15 s after a failed sync (so image backoff is re-checked that often), 60–90 s
 * after a clean one, cut short when the PLEG relist (every 1 s) sees the container exit.
 *
 * A sync that ends in backoff counts as failed, as in kubelet ≤ 1.34 (kubernetes issue #123602: the
 * suppression of backoff errors never works); from 1.35 (PR #133066) a crash-loop sync is requeued at
 * the backoff's expiry instead.
 */

import type { InvolvedObject } from '../events/types.ts';
import { Backoff } from '../kubelet/backoff.ts';
import type { PullCredential } from '../kubelet/credentials.ts';
import { type ContainerSpec, containerRef, type PodRef } from '../kubelet/manager.ts';
import { applyDefaultImageTag } from '../kubelet/policy.ts';
import { parseImageName } from '../kubelet/reference.ts';
import { jitter, podResyncIntervalMs, resyncRequeueMs, syncErrorRequeueMs } from '../kubelet/worker.ts';
import * as msg from './messages.ts';
import type { NodeAgent } from './node-agent.ts';
import type { ResolvedClusterOptions } from './options.ts';
import { createAndStartContainer, prepareContainer } from './run-container.ts';
import { containerBackOffInitialMs, containerBackOffMaxMs, plegRelistPeriodMs, Waker } from './timing.ts';
import type { PodSpec, PodStatus } from './types.ts';

/** Outcome of one sync: how long until the next. */
export type SyncOutcome = { ok: true } | { ok: false; retryAtMs?: number };

/** What a worker needs from its cluster. */
export interface PodWorkerContext {
  agent: NodeAgent;
  options: ResolvedClusterOptions;
  /** This pod's own stream of draws for kubelet's requeue jitter (seeded per run and pod). */
  random: () => number;
  credentials: PullCredential[];
  /** Called after every status change (already emitted as pod.state). */
  onChange: (status: PodStatus) => void;
}

/** The kubelet pod worker for one pod. */
export class PodWorker {
  readonly ref: PodRef;
  readonly container: ContainerSpec;
  readonly spec: PodSpec;
  readonly ctx: PodWorkerContext;
  /** Crash-loop backoff (kubelet keeps one per node, keyed per container; one pod here, same thing). */
  readonly crashBackoff: Backoff;
  readonly waker: Waker;
  status: PodStatus;
  sandboxId: string | undefined;
  /** The pod's current container and the image id it was created from. */
  current: { id: string; imageRef: string } | undefined;
  /** The container has started at least once (the pod's phase is Running from then on). */
  everStarted = false;
  #loop: Promise<void> | undefined;

  constructor(spec: PodSpec, ref: PodRef, status: PodStatus, ctx: PodWorkerContext) {
    this.spec = spec;
    this.ref = ref;
    this.status = status;
    this.ctx = ctx;
    this.container = {
      name: spec.containerName ?? 'app',
      image: spec.image,
      ...(spec.imagePullPolicy ? { imagePullPolicy: spec.imagePullPolicy } : {}),
    };
    const { clock } = ctx.options;
    this.crashBackoff = new Backoff({
      clock,
      initialMs: containerBackOffInitialMs,
      maxMs: containerBackOffMaxMs,
    });
    this.waker = new Waker(clock);
  }

  get node(): string {
    return this.status.node;
  }

  /** The container's event reference (`spec.containers{name}`). */
  get eventRef(): InvolvedObject {
    return containerRef(this.ref, this.container);
  }

  /** Image ids this pod's containers use (kubelet's imagesInUse counts exited containers too). */
  imagesInUse(): string[] {
    return this.current ? [this.current.imageRef] : [];
  }

  /** Starts the sync loop. */
  start(): void {
    this.#loop ??= this.#run();
  }

  /**
   * Deletes the pod from its node: `Killing` for a running container, the loop stopped (waiting at most
   * `boundMs` for a sync in flight, e.g. a pull with no deadline), then container and sandbox removed.
   * A sync that finishes later changes nothing visible and removes what it created.
   */
  async terminate(boundMs: number): Promise<void> {
    if (this.waker.stopped) return;
    const runtime = this.ctx.agent.node.runtime;
    if (runtime && this.current && this.status.phase === 'Running' && !this.status.reason) {
      this.event('Normal', msg.ContainerEventReason.Killing, msg.stoppingContainer(this.container.name));
    }
    this.waker.stop();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const bound = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, boundMs);
    });
    await Promise.race([this.#loop, bound]);
    clearTimeout(timer);
    if (!runtime) return;
    const { current, sandboxId } = this;
    if (current) await runtime.removeContainer(current.id).catch(() => undefined);
    if (sandboxId) await runtime.removePodSandbox(sandboxId).catch(() => undefined);
  }

  /**
   * Records a status change and emits it as pod.state when anything visible changed. The image digest
   * stays that of the last container run until a new one is known, as a container status' imageID does.
   */
  setState(next: Pick<PodStatus, 'phase' | 'reason' | 'message' | 'imageDigest'>): void {
    if (this.waker.stopped) return;
    const prev = this.status;
    const digest = next.imageDigest ?? prev.imageDigest;
    const same =
      prev.phase === next.phase &&
      prev.reason === next.reason &&
      prev.message === next.message &&
      prev.imageDigest === digest;
    const { reason: _r, message: _m, imageDigest: _d, ...rest } = prev;
    this.status = {
      ...rest,
      phase: next.phase,
      ...(next.reason !== undefined ? { reason: next.reason } : {}),
      ...(next.message !== undefined ? { message: next.message } : {}),
      ...(digest !== undefined ? { imageDigest: digest } : {}),
    };
    if (same) return;
    const { name: pod, namespace, node, phase, reason, message, image, imageDigest } = this.status;
    this.ctx.options.emit({
      kind: 'pod.state',
      time: new Date(this.ctx.options.clock.now()).toISOString(),
      pod,
      namespace,
      node,
      phase,
      image,
      ...(reason !== undefined ? { reason } : {}),
      ...(message !== undefined ? { message } : {}),
      ...(imageDigest !== undefined ? { imageDigest } : {}),
    });
    this.ctx.onChange(this.status);
  }

  /** A kubelet event about this pod's container. */
  event(type: 'Normal' | 'Warning', reason: string, message: string, object = this.eventRef): void {
    if (!this.waker.stopped) this.ctx.agent.manager.recorder.event(object, type, reason, message);
  }

  /** The phase a waiting container gives the pod: Running once it has ever run (restartPolicy Always). */
  waitingPhase(): PodStatus['phase'] {
    return this.everStarted ? 'Running' : 'Pending';
  }

  async #run(): Promise<void> {
    this.setState({ phase: 'Pending', reason: msg.ContainerWaitingReason.ContainerCreating });
    while (!this.waker.stopped) {
      let outcome: SyncOutcome;
      try {
        outcome = await this.sync();
      } catch {
        outcome = { ok: false }; // a runtime call failed outright: retry like any failed sync
      }
      if (this.waker.stopped) break;
      await this.#waitWatching(this.#requeueMs(outcome));
    }
  }

  #requeueMs(outcome: SyncOutcome): number {
    const { minor, clock } = this.ctx.options;
    const { random } = this.ctx;
    if (outcome.ok) return resyncRequeueMs(random);
    if (outcome.retryAtMs !== undefined && minor >= 35) {
      const until = Math.min(Math.max(0, outcome.retryAtMs - clock.now()), podResyncIntervalMs);
      return jitter(until, 0.5, random);
    }
    return syncErrorRequeueMs(random);
  }

  /** Waits until the requeue, polling the container like PLEG so an exit triggers a sync at once. */
  async #waitWatching(ms: number): Promise<void> {
    const { clock } = this.ctx.options;
    const runtime = this.ctx.agent.node.runtime;
    const until = clock.now() + ms;
    while (!this.waker.stopped && clock.now() < until) {
      const watched = runtime && this.current && this.status.phase === 'Running' && !this.status.reason;
      if (!watched) return this.waker.wait(until - clock.now());
      await this.waker.wait(Math.min(plegRelistPeriodMs, until - clock.now()));
      const id = this.current?.id;
      const state = id ? (await runtime.containerStatus(id).catch(() => undefined))?.state : undefined;
      if (state === 'exited') return;
    }
  }

  /** One sync of the pod. */
  async sync(): Promise<SyncOutcome> {
    const { agent, credentials } = this.ctx;
    const runtime = agent.node.runtime;
    // Without a runtime nothing can exit: once running, a resync has nothing to do (no image step).
    if (!runtime && this.everStarted) return { ok: true };
    if (runtime) {
      const step = await prepareContainer(this, runtime);
      if (step) return step;
    }
    const result = await agent.manager.syncContainerImage(this.ref, this.container, credentials);
    if (this.waker.stopped) return { ok: true };
    if (!result.ok) {
      this.setState({ phase: this.waitingPhase(), reason: result.reason, message: result.message });
      return { ok: false };
    }
    const imageDigest = await this.#digest();
    if (!runtime) {
      this.everStarted = true;
      this.current = { id: '', imageRef: result.imageRef };
      this.setState({ phase: 'Running', ...(imageDigest ? { imageDigest } : {}) });
      return { ok: true };
    }
    return (await createAndStartContainer(this, runtime, result.imageRef, imageDigest)) ?? { ok: true };
  }

  /** The repo digest of the pod's image on the node (the one matching its repository). */
  async #digest(): Promise<string | undefined> {
    const tagged = applyDefaultImageTag(this.spec.image);
    if (!tagged.ok) return undefined;
    const info = (
      await this.ctx.agent.node.imageService.imageStatus(tagged.image).catch(() => ({ image: undefined }))
    ).image;
    const parsed = parseImageName(this.spec.image);
    const repo = 'repository' in parsed ? parsed.repository : undefined;
    const digests = info?.repoDigests ?? [];
    const match = digests.find((d) => d.split('@')[0] === repo) ?? digests[0];
    return match?.split('@')[1];
  }
}
