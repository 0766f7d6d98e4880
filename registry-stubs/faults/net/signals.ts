/** Small waits on AbortSignals, so every stall and delay ends when its fault clears or its socket closes. */
import { setTimeout as delay } from 'node:timers/promises';

const aborted = new WeakMap<AbortSignal, Promise<void>>();

/** Resolves when `signal` aborts (one shared promise per signal, so waiting often costs nothing). */
export function whenAborted(signal: AbortSignal): Promise<void> {
  let promise = aborted.get(signal);
  if (promise === undefined) {
    promise = signal.aborted
      ? Promise.resolve()
      : new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    aborted.set(signal, promise);
  }
  return promise;
}

/** Waits `ms` (fractions allowed), rejecting with the signal's reason when `signal` aborts first. */
export async function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0) return signal.throwIfAborted();
  await delay(ms, undefined, { signal });
}

/** A signal that aborts `ms` after now, unless `until` aborts first (then its timer is dropped). */
export function deadline(ms: number, until: AbortSignal): AbortSignal {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`gave up after ${ms} ms`)), ms);
  timer.unref(); // a forgotten fault must not keep the process alive
  until.addEventListener('abort', () => clearTimeout(timer), { once: true });
  return controller.signal;
}
