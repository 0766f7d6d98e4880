/**
 * The cluster's periods (kubelet's own, never scaled: the run clock skips idle time instead) and a
 * sleep that ends early on stop, so deleting a pod or stopping the cluster never waits out a 90 s
 * resync timer.
 */

import type { Clock } from '../kubelet/clock.ts';

/** genericPlegRelistPeriod: kubelet relists containers every 1 s (pkg/kubelet/kubelet.go). */
export const plegRelistPeriodMs = 1_000;
/** evictionMonitoringPeriod, the cadence kubelet reads filesystem stats at: 10 s. */
export const nodeDiskPeriodMs = 10_000;
/** containerBackOffPeriod: crash-loop backoff starts at 10 s (pkg/kubelet/kubelet.go). */
export const containerBackOffInitialMs = 10_000;
/** MaxContainerBackOff (v1beta1.MaxContainerBackOff): 300 s. */
export const containerBackOffMaxMs = 300_000;
/** Resolves after `ms` of `clock` time, or as soon as `signal` aborts (never rejects). */
export function sleepUnless(clock: Clock, ms: number, signal: AbortSignal): Promise<void> {
  return clock.sleep(ms, signal);
}

/** Resolves at `at` (epoch ms of `clock`), or at once when `signal` aborts (never rejects). */
export function sleepUntil(clock: Clock, at: number, signal: AbortSignal): Promise<void> {
  return clock.sleep(at - clock.now(), signal);
}

/** Sleeps on a clock that `stop` ends for good (a pod deleted, the cluster stopped). */
export class Waker {
  readonly #clock: Clock;
  readonly #stopped = new AbortController();

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** True once {@link stop} was called. */
  get stopped(): boolean {
    return this.#stopped.signal.aborted;
  }

  /** Sleeps up to `ms`; returns at once when stopped. */
  wait(ms: number): Promise<void> {
    return sleepUnless(this.#clock, ms, this.#stopped.signal);
  }

  /** Ends every wait, now and later. */
  stop(): void {
    this.#stopped.abort();
  }
}
