/**
 * The cluster's clocks and periods: kubelet's intervals (divided by the time scale) and a sleep that
 * ends early on stop, so deleting a pod or stopping the cluster never waits out a 90 s resync timer.
 */

import { type Clock, systemClock } from '../kubelet/clock.ts';

/** genericPlegRelistPeriod: kubelet relists containers every 1 s (pkg/kubelet/kubelet.go). */
export const plegRelistPeriodMs = 1_000;
/** evictionMonitoringPeriod, the cadence kubelet reads filesystem stats at: 10 s. */
export const nodeDiskPeriodMs = 10_000;
/** containerBackOffPeriod: crash-loop backoff starts at 10 s (pkg/kubelet/kubelet.go). */
export const containerBackOffInitialMs = 10_000;
/** MaxContainerBackOff (v1beta1.MaxContainerBackOff): 300 s. */
export const containerBackOffMaxMs = 300_000;
/**
 * Floor for scaled polling periods. At time scale 100 the PLEG relist would be 10 ms, i.e. a CRI
 * ContainerStatus per running pod every 10 ms; 50 ms keeps the daemons responsive and is still far
 * below every scaled backoff step.
 */
export const minPollMs = 50;

/** `periodMs / timeScale`, never below {@link minPollMs}. */
export const scaledPoll = (periodMs: number, timeScale: number): number =>
  Math.max(minPollMs, periodMs / timeScale);

/** Resolves after `ms` of `clock` time, or as soon as `signal` aborts (never rejects). */
export function sleepUnless(clock: Clock, ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const done = () => {
      signal.removeEventListener('abort', done);
      if (timer !== undefined) clearTimeout(timer);
      resolve();
    };
    signal.addEventListener('abort', done, { once: true });
    // The system clock's timers are cleared on abort, so nothing keeps the process alive after stop.
    if (clock === systemClock) timer = setTimeout(done, Math.max(0, ms));
    else void clock.sleep(ms).then(done);
  });
}

/** Resolves at `at` (epoch ms, wall clock), or at once when `signal` aborts (never rejects). */
export function sleepUntil(at: number, signal: AbortSignal): Promise<void> {
  return sleepUnless(systemClock, at - Date.now(), signal);
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
