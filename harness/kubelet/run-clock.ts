/**
 * The run clock of the embedded backend. Scenario time passes 1:1 with wall time while real work is
 * in flight (a CRI call, a virtual pull, a stub request, a fault being applied, a container that has
 * just started) and jumps straight to the next due timer when nothing is: every actor is then blocked
 * on a timer, so skipping the idle time changes nothing but the wall time it costs. This is the idea
 * of Go's `testing/synctest` and of discrete-event simulation, applied to a harness whose data plane
 * is real. Nothing is ever multiplied by a scale factor: a 300 s backoff costs nothing, a 2 s pull
 * costs 2 s, and every duration read off this clock is what a real cluster would show.
 *
 * `real` runs 1:1 (calibration, or watching a run); it has the same interface, so code never asks
 * which clock it has.
 */
import { setImmediate } from 'node:timers';
import type { Clock } from './clock.ts';
import { TimerQueue } from './timer-queue.ts';

/** How a run's time passes: `warp` skips idle time, `real` is 1:1 with the wall clock. */
export type ClockMode = 'warp' | 'real';

/** The clock modes, for validation and help texts. */
export const CLOCK_MODES: readonly ClockMode[] = ['warp', 'real'];

/** Marks real work in flight: time may not jump while any is. */
export interface WorkTracker {
  /** Starts a piece of work; call the returned function (idempotent) when it ends. */
  begin(): () => void;
}

/** What a clock saw over a run, recorded in the report so a distorted run is visible. */
export interface ClockStats {
  mode: ClockMode;
  /** Scenario ms skipped by warping (0 for `real`). */
  skippedMs: number;
  /** How many times time jumped. */
  warps: number;
  /** Timers fired. */
  timersFired: number;
  /** Timers that fired on the wall clock later than due by more than {@link LATE_MS}. */
  lateTimers: number;
  /** The largest such delay, ms. */
  maxLateMs: number;
}

/** A timer firing this much later than due (a busy event loop) counts as late. */
export const LATE_MS = 250;

/** A clock a run reads everything from, that knows when real work is in flight. */
export interface RunClock extends Clock, WorkTracker {
  readonly mode: ClockMode;
  /** Marks `work` in flight until it settles; resolves or rejects as it does. */
  track<T>(work: Promise<T>): Promise<T>;
  /** Scenario time of a wall-clock instant (epoch ms) in the past, e.g. a container's finishedAt. */
  fromWall(wallMs: number): number;
  stats(): ClockStats;
  /** Clears the wall timer; pending sleeps never resolve after this. */
  close(): void;
}

/** A run clock of `mode`, starting at the wall clock's now. */
export function createRunClock(mode: ClockMode): RunClock {
  return new WarpClock(mode);
}

/** The clock of {@link createRunClock}; `real` is the same machinery with warping turned off. */
export class WarpClock implements RunClock {
  readonly mode: ClockMode;
  #offset = 0;
  /** Wall instants of warps and the offset from then on, for {@link fromWall}. */
  readonly #history: { wall: number; offset: number }[] = [];
  readonly #timers = new TimerQueue();
  #inflight = 0;
  #wallTimer: ReturnType<typeof setTimeout> | undefined;
  #wallDue = Number.POSITIVE_INFINITY;
  #idleCheck = false;
  #closed = false;
  readonly #stats: ClockStats;

  constructor(mode: ClockMode = 'warp') {
    this.mode = mode;
    this.#stats = { mode, skippedMs: 0, warps: 0, timersFired: 0, lateTimers: 0, maxLateMs: 0 };
  }

  now(): number {
    return Date.now() + this.#offset;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (!(ms > 0) || this.#closed || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const onAbort = () => {
        if (this.#timers.cancel(id)) resolve();
      };
      const id = this.#timers.push(this.now() + ms, () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      });
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#arm();
    });
  }

  begin(): () => void {
    this.#inflight++;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.#inflight--;
      if (this.#inflight === 0) this.#scheduleIdleCheck();
    };
  }

  track<T>(work: Promise<T>): Promise<T> {
    const end = this.begin();
    return work.finally(end);
  }

  fromWall(wallMs: number): number {
    // The offset in force at that instant: the last warp at or before it.
    let offset = 0;
    for (let i = this.#history.length - 1; i >= 0; i--) {
      const h = this.#history[i]!;
      if (h.wall <= wallMs) {
        offset = h.offset;
        break;
      }
    }
    return wallMs + offset;
  }

  /** Work in flight now (for tests and diagnostics). */
  get inflight(): number {
    return this.#inflight;
  }

  /** Sleepers not yet woken. */
  get pending(): number {
    return this.#timers.size;
  }

  stats(): ClockStats {
    return { ...this.#stats };
  }

  close(): void {
    this.#closed = true;
    if (this.#wallTimer !== undefined) clearTimeout(this.#wallTimer);
    this.#wallTimer = undefined;
    this.#timers.clear();
  }

  /** Keeps one wall timer armed for the earliest due sleeper: time passing 1:1 fires it. */
  #arm(): void {
    const due = this.#timers.peekDue();
    if (due === undefined || this.#closed) return;
    if (this.#wallTimer !== undefined && this.#wallDue <= due) {
      this.#scheduleIdleCheck();
      return;
    }
    if (this.#wallTimer !== undefined) clearTimeout(this.#wallTimer);
    this.#wallDue = due;
    this.#wallTimer = setTimeout(
      () => {
        this.#wallTimer = undefined;
        this.#wallDue = Number.POSITIVE_INFINITY;
        this.#fire(true);
      },
      Math.max(0, due - this.now()),
    );
    this.#scheduleIdleCheck();
  }

  /**
   * Looks for idleness two macrotask turns later: by then every continuation of what just happened
   * has run and has either begun work (a CRI call) or gone back to sleep on this clock.
   */
  #scheduleIdleCheck(): void {
    if (this.mode !== 'warp' || this.#idleCheck || this.#inflight > 0 || this.#closed) return;
    if (this.#timers.size === 0) return;
    this.#idleCheck = true;
    setImmediate(() =>
      setImmediate(() => {
        this.#idleCheck = false;
        this.#warp();
      }),
    );
  }

  /** Nothing in flight: jump to the earliest due sleeper and wake it (and its ties). */
  #warp(): void {
    if (this.#inflight > 0 || this.#closed) return;
    const due = this.#timers.peekDue();
    if (due === undefined) return;
    const now = this.now();
    if (due > now) {
      this.#offset += due - now;
      this.#history.push({ wall: Date.now(), offset: this.#offset });
      this.#stats.skippedMs += due - now;
      this.#stats.warps++;
      // The armed wall timer counted its delay under the old offset: it would now fire late.
      if (this.#wallTimer !== undefined) clearTimeout(this.#wallTimer);
      this.#wallTimer = undefined;
      this.#wallDue = Number.POSITIVE_INFINITY;
    }
    this.#fire(false);
  }

  /** Wakes every sleeper due by now, in due order (ties in call order), then re-arms. */
  #fire(onWallTimer: boolean): void {
    const now = this.now();
    for (const timer of this.#timers.popDue(now)) {
      this.#stats.timersFired++;
      const late = now - timer.due;
      if (onWallTimer && late > LATE_MS) {
        this.#stats.lateTimers++;
        this.#stats.maxLateMs = Math.max(this.#stats.maxLateMs, late);
      }
      timer.resolve();
    }
    this.#arm();
    this.#scheduleIdleCheck();
  }
}

/**
 * Scenario time of a wall-clock instant reported by a real process (containerd's `finishedAt`), on any
 * clock: a run clock maps it across its warps; other clocks take it as it is.
 */
export function scenarioTimeOf(clock: Clock, wallMs: number): number {
  const run = clock as Partial<RunClock>;
  return typeof run.fromWall === 'function' ? run.fromWall(wallMs) : wallMs;
}
