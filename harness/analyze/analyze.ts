/**
 * `analyze(events)`: the whole analysis of one run as a pure function of its event log. The scenario
 * (fault timeline, expectations) and the clock come from `run.started`, the clock's timing from
 * `run.finished`, so any past log can be re-analysed; a log without them is still analysed, with
 * clock `real` and no expectations.
 */

import type { LogEvent } from '../events/run-events.ts';
import { indexEvents, type RunContext } from './context.ts';
import { digestDrift } from './drift.ts';
import { judgeExpectations } from './expectations.ts';
import { defaultExpectedCauses } from './expected-causes.ts';
import { groupFailures } from './failures.ts';
import { analyzeFaults } from './faults.ts';
import { mirrorMeasures } from './mirrors.ts';
import { podTimelines } from './pods.ts';
import { analyzePulls } from './pulls.ts';
import { registryLoad } from './registry.ts';
import { withTolerance } from './tolerance.ts';
import { ANALYSIS_SCHEMA_VERSION, type Analysis } from './types.ts';
import { reportedExpectations, verdictOf } from './verdict.ts';

/** Options of {@link analyze}. */
export interface AnalyzeOptions {
  /** Causes a client should show for a fault name; default `defaultExpectedCauses` (the catalogue table). */
  expectedCauses?: (fault: string) => string[];
  /** Slack after a fault's end in which its failures still count; default one initial backoff step (10 s). */
  graceMs?: number;
}

/** Analyses one run's events (any order). */
export function analyze(events: readonly LogEvent[], options: AnalyzeOptions = {}): Analysis {
  const ctx = indexEvents(events);
  const faults = withTolerance(
    ctx,
    analyzeFaults(ctx, {
      expectedCauses: options.expectedCauses ?? defaultExpectedCauses,
      ...(options.graceMs === undefined ? {} : { graceMs: options.graceMs }),
    }),
  );
  const parts = {
    faults,
    pulls: analyzePulls(ctx),
    failures: groupFailures(ctx),
    pods: podTimelines(ctx),
    registry: registryLoad(ctx),
    drift: digestDrift(ctx),
  };
  const mirrors = mirrorMeasures(ctx, parts.registry.uniqueBlobBytes);
  if (mirrors.length > 0) Object.assign(parts, { mirrors });
  const run = runInfo(ctx);
  const expectations = reportedExpectations(run.outcome, judgeExpectations(ctx, parts));
  const verdict = verdictOf(run.outcome, expectations);
  return { schemaVersion: ANALYSIS_SCHEMA_VERSION, run, ...parts, expectations, verdict };
}

function runInfo(ctx: RunContext): Analysis['run'] {
  const { started, finished, scenario } = ctx;
  const run: Analysis['run'] = {
    id: started?.runId ?? '',
    scenario: scenario?.name ?? '',
    description: scenario?.description ?? '',
    backend: scenario?.backend?.type ?? 'unknown',
    startedAt: new Date(ctx.t0).toISOString(),
    finishedAt: finished?.time ?? null,
    durationMs: ctx.endMs,
    clock: ctx.clock,
    ...(typeof scenario?.backend?.seed === 'number' ? { seed: scenario.backend.seed } : {}),
    ...(ctx.legacyTimeScale === undefined ? {} : { legacyTimeScale: ctx.legacyTimeScale }),
    timing: finished?.timing === undefined ? null : structuredClone(finished.timing),
    // No run.finished: the harness was killed, or the log is still being written.
    outcome: finished?.outcome ?? 'unknown',
    environment: { ...(started?.environment ?? {}) },
  };
  if (finished?.error !== undefined) run.error = finished.error;
  return run;
}
