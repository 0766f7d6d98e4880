/**
 * `runScenario`: one scenario from provisioning to reports, as a short list of phases (run-phases.ts,
 * then the report here). The run is a list of actions (backends/actions.ts) undone in reverse on
 * success, failure, Ctrl-C or a crash — after the analysis and reports, unless `retain` keeps
 * everything up until the signal aborts. Scenario time zero, the
 * time of `run.started`, is when the timeline starts, so provisioning never counts against a
 * scenario's bounds; how long it took is recorded in the environment (`provisionMs`).
 *
 * Every time in the run comes from one run clock (harness/kubelet/run-clock.ts). It is held (1:1)
 * while provisioning and after observation, and may warp over idle time only while the scenario
 * plays; `run.finished` records how it kept time and how late the event loop fired timers.
 */

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatTerminalSummary } from '../../reports/terminal.ts';
import { type ReportPaths, writeReports } from '../../reports/write.ts';
import { EXIT } from '../../vocab/errors.ts';
import { analyze } from '../analyze/analyze.ts';
import { readEventLog } from '../analyze/log.ts';
import type { Analysis } from '../analyze/types.ts';
import { exitCodeOfAnalysis } from '../analyze/verdict.ts';
import { untilAborted } from '../backends/embedded/retain.ts';
import { expectedCausesOf } from '../backends/stub-engine.ts';
import type { LogEvent } from '../events/run-events.ts';
import type { Scenario } from '../scenario/resolved.ts';
import type { BackendOptions } from './backend.ts';
import type { ObserveEnd } from './observe.ts';
import type { Progress } from './progress.ts';
import {
  closeLog,
  endEarly,
  openRun,
  pickBackend,
  play,
  prepareRun,
  provision,
  type RunState,
  teardownRun,
} from './run-phases.ts';

/** Options of {@link runScenario}. */
export interface RunScenarioOptions {
  /** The scenario's file, for messages; default none. */
  file?: string;
  /** The run directory; default `<runsDir>/<run-id>`. */
  out?: string;
  /** Where run directories go when `out` is not given; default `./pullstorm-runs`. */
  runsDir?: string;
  /** Keep everything up after the run until `signal` aborts; default false. */
  retain?: boolean;
  /** Ctrl-C, SIGTERM or a crash; default never. */
  signal?: AbortSignal;
  /** Progress view; default one on stderr (live on a TTY). */
  progress?: Progress;
  /** The command line's backend settings (kind's node image, the kubeconfig context…); default none. */
  backend?: BackendOptions;
}

/** How a run ended. */
export interface RunResult {
  runId: string;
  scenario: string;
  outDir: string;
  eventsFile: string;
  analysis: Analysis;
  reports: ReportPaths & { summary: string };
  /** The terminal summary (also in `summary.txt`). */
  summary: string;
  /** 0 pass, 1 an expectation failed, 3 the harness failed, 130 interrupted. */
  exitCode: number;
  /** Why observation ended, when it ran. */
  observed?: ObserveEnd;
  /** What failed in teardown, when something did (the exit code is then 3). */
  teardownError?: string;
}

/** The analysis every command computes from a log, so `pullstorm report` reproduces a run's reports. */
export function analyzeEvents(events: readonly LogEvent[]): Analysis {
  return analyze(events, { expectedCauses: expectedCausesOf });
}

/** Renders every report of `analysis` into `dir`, plus the terminal summary as `summary.txt`. */
export async function renderRun(dir: string, analysis: Analysis) {
  const paths = await writeReports(dir, analysis);
  const summaryFile = join(dir, 'summary.txt');
  const reports = { ...paths, summary: summaryFile };
  const summary = formatTerminalSummary(analysis, reports);
  await writeFile(summaryFile, summary);
  return { reports, summary };
}

/** Runs one scenario; throws ScenarioError (2) or EnvironmentError (3) before provisioning anything. */
export async function runScenario(given: Scenario, options: RunScenarioOptions = {}): Promise<RunResult> {
  const prepared = await prepareRun(given, options);
  const backend = await pickBackend(prepared, options.backend);
  const run = await openRun(prepared, backend, options.signal);
  try {
    await play(run, await provision(run));
  } catch (thrown) {
    endEarly(run, thrown);
  }
  await closeLog(run);
  let reported: Awaited<ReturnType<typeof report>>;
  let teardownError: string | undefined;
  try {
    reported = await report(run, options.retain ?? false);
  } finally {
    // Teardown never depends on the analysis: a failing renderer must not leave daemons behind.
    teardownError = await teardownRun(run);
    run.clock.close();
  }
  const { analysis, rendered } = reported;
  const { reports, summary } = rendered;
  run.progress.stop();
  return {
    runId: run.runId,
    scenario: run.scenario.name,
    outDir: run.outDir,
    eventsFile: run.eventsFile,
    analysis,
    reports,
    summary,
    exitCode: exitCodeOf(analysis, run.outcome, teardownError),
    ...(run.observed ? { observed: run.observed } : {}),
    ...(teardownError ? { teardownError } : {}),
  };
}

/** Judges the closed log and renders every report; with `retain`, keeps the run up until the signal aborts. */
async function report(run: RunState, retain: boolean) {
  const { backend, outDir, progress } = run;
  run.phase('analyze');
  const analysis = analyzeEvents(await readEventLog(run.eventsFile));
  const rendered = await renderRun(outDir, analysis);
  // Nothing to keep when provisioning failed: the backend has already undone what it made.
  if (retain && run.outcome !== 'interrupted' && backend.cluster !== undefined) {
    // The verdict now, not after Ctrl-C: a retained run is kept to be looked at.
    const kept =
      backend.retained?.() ?? `retained (Ctrl-C tears everything down):\n  run directory  ${outDir}\n`;
    progress.note(`${rendered.summary}\n${kept.trimEnd()}`);
    await untilAborted(run.signal);
  }
  return { analysis, rendered };
}

/** 130 interrupted; 3 harness error or failed teardown; else 0 pass / 1 fail. */
function exitCodeOf(analysis: Analysis, outcome: string, teardownError: string | undefined): number {
  if (outcome !== 'interrupted' && teardownError) return EXIT.harness;
  return exitCodeOfAnalysis(analysis);
}
