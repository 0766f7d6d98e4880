/**
 * The run-level events the runner writes around everything else: `run.started` (carrying the resolved
 * scenario, so a log is analysable on its own), `run.phase` and `run.finished`. They live here until
 * `harness/events/types.ts` carries them; `LogEvent` is what an event log holds.
 */

import type { Scenario } from '../scenario/resolved.ts';
import type { RunEvent } from './types.ts';

/** The first line of a run's log. */
export interface RunStarted {
  kind: 'run.started';
  time: string;
  /** Run id; every resource the run creates is labelled with it. */
  runId: string;
  /** The scenario after validation and defaulting (secrets redacted by the log writer). */
  scenario: Scenario;
  /** Where it ran: runtime, versions, host — free-form `name → value`. */
  environment?: Record<string, string>;
  /**
   * How scenario time passed: `warp` (the embedded backend's default: 1:1 while real work is in
   * flight, idle time skipped) or `real` (1:1 throughout; kind, kubeconfig, `--clock real`). Either
   * way every time in the log is scenario time, which is what a real cluster would show. Absent in
   * logs written before the run clock existed (their scenario may carry the old `timeScale`).
   */
  clock?: 'warp' | 'real';
}

/** How faithfully the run clock kept time, measured over the run (see harness/kubelet/run-clock.ts). */
export interface RunTiming {
  clock: 'warp' | 'real';
  /** Scenario ms skipped by warping (0 when real). */
  skippedMs: number;
  /** Number of jumps. */
  warps: number;
  /** Timers fired. */
  timersFired: number;
  /** Timers that fired more than 250 ms late on the wall clock (a busy event loop). */
  lateTimers: number;
  /** The latest of those, ms. */
  maxLateMs: number;
  /** The harness's event-loop delay while the scenario ran (perf_hooks), ms. */
  eventLoopDelay: { p50Ms: number; p99Ms: number; maxMs: number };
}

/** The runner entered a phase (`provision`, `seed`, `workload`, `observe`, `teardown` …). */
export interface RunPhase {
  kind: 'run.phase';
  time: string;
  phase: string;
}

/** The last line of a run's log; absent when the harness was killed. */
export interface RunFinished {
  kind: 'run.finished';
  time: string;
  /** `error`: the harness itself failed (never a product failure). */
  outcome: 'completed' | 'interrupted' | 'error';
  error?: string;
  /** The run clock's own measurements; absent in older logs. */
  timing?: RunTiming;
}

/** A run-level event. */
export type RunLevelEvent = RunStarted | RunPhase | RunFinished;

/** Every event an event log may hold. */
export type LogEvent = RunEvent | RunLevelEvent;
