/**
 * Time for the kubelet model. Everything in harness/kubelet reads time through a {@link Clock}, so
 * tests and simulations drive it with a {@link ManualClock} instead of waiting for real seconds.
 */

/** A source of wall-clock time in milliseconds since the epoch, and a way to wait. */
export interface Clock {
  /** Milliseconds since the epoch (may be fractional). */
  now(): number;
  /**
   * Resolves after `ms` milliseconds of this clock's time, or as soon as `signal` aborts (never
   * rejects); an aborted sleep is forgotten, so it keeps nothing alive and no clock waits for it.
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The real clock: `Date.now()` and `setTimeout`. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      signal?.addEventListener('abort', done, { once: true });
    }),
};

interface Timer {
  due: number;
  seq: number;
  resolve: () => void;
}

/** Lets every pending promise continuation run (a real macrotask turn), so chained sleeps register. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * A clock that only moves when told to. `advance()` fires sleepers in due order (ties in call order)
 * and lets the continuations of each run before the next fires, like time passing in small steps.
 */
export class ManualClock implements Clock {
  #now: number;
  #seq = 0;
  #timers: Timer[] = [];

  /** Starts at `startMs` (default 2025-01-01T00:00:00Z, so ISO timestamps in tests are readable). */
  constructor(startMs = Date.UTC(2025, 0, 1)) {
    this.#now = startMs;
  }

  now(): number {
    return this.#now;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (!(ms > 0) || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const timer: Timer = { due: this.#now + ms, seq: this.#seq++, resolve };
      this.#timers.push(timer);
      signal?.addEventListener(
        'abort',
        () => {
          const i = this.#timers.indexOf(timer);
          if (i < 0) return;
          this.#timers.splice(i, 1);
          resolve();
        },
        { once: true },
      );
    });
  }

  /** Number of sleepers not yet woken. */
  get pending(): number {
    return this.#timers.length;
  }

  /** Moves time forward by `ms`, waking every sleeper due on the way. */
  async advance(ms: number): Promise<void> {
    if (!(ms >= 0)) throw new RangeError(`advance expects a non-negative number of ms, got ${ms}`);
    const target = this.#now + ms;
    for (;;) {
      await settle();
      const next = this.#earliest(target);
      if (next === undefined) break;
      this.#timers.splice(this.#timers.indexOf(next), 1);
      this.#now = next.due;
      next.resolve();
    }
    this.#now = target;
    await settle();
  }

  #earliest(limit: number): Timer | undefined {
    let best: Timer | undefined;
    for (const t of this.#timers) {
      if (t.due > limit) continue;
      if (!best || t.due < best.due || (t.due === best.due && t.seq < best.seq)) best = t;
    }
    return best;
  }
}
