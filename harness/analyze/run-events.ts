/**
 * The run-level events the runner writes around everything else: `run.started` (carrying the resolved
 * scenario, so a log is analysable on its own), `run.phase` and `run.finished`. They live here until
 * `harness/events/types.ts` carries them; `LogEvent` is what an event log holds.
 */
import type { RunEvent } from '../events/types.ts';
import type { Scenario } from '../scenario/resolved.ts';

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
}

/** A run-level event. */
export type RunLevelEvent = RunStarted | RunPhase | RunFinished;

/** Every event an event log may hold. */
export type LogEvent = RunEvent | RunLevelEvent;
