/** Running one scenario from a program, as `pullstorm run` does, without the terminal progress. */
import type { Analysis } from '../harness/analyze/types.ts';
import { createProgress, type Progress } from '../harness/run/progress.ts';
import { type RunScenarioOptions, runScenario as runResolved } from '../harness/run/runner.ts';
import { isLoadedScenario, type LoadedScenario, loadScenario, type ScenarioSource } from './scenario.ts';

// A library call prints nothing unless asked: the result carries everything the progress showed.
const SILENT: Progress = { phase() {}, started() {}, event() {}, note() {}, stop() {} };

/** Options of {@link runScenario}; all optional. */
export interface RunOptions {
  /** The run directory; default `<runsDir>/<run-id>`. */
  out?: string;
  /** Where run directories go when `out` is not given; default `./pullstorm-runs`. */
  runsDir?: string;
  /** Stops the run (its teardown still happens); default never. */
  signal?: AbortSignal;
  /** Print the live progress on stderr; default false (quiet, for test runners). */
  progress?: boolean;
  /** Run on the scenario's clock `warp` (idle time skipped) or `real`; default the scenario's. */
  clock?: 'warp' | 'real';
}

/** What a run produced: the typed analysis, the verdict, the report files and the exit code. */
export interface RunResult {
  runId: string;
  scenario: string;
  /** Everything the reports show, typed (`verdict`, `faults[].detection`, `pulls.latency`, …). */
  analysis: Analysis;
  /** `pass`, `fail`, `error` or `interrupted`. */
  verdict: Analysis['verdict'];
  /** 0 pass, 1 an expectation failed, 3 the harness failed, 130 interrupted (see `EXIT`). */
  exitCode: number;
  /** The run directory and its event log. */
  outDir: string;
  eventsFile: string;
  /** Path of each report: `html`, `json`, `markdown`, `junit`, `summary`. */
  reports: Record<string, string>;
}

/**
 * Runs one scenario end to end (registries, nodes, faults, observation, teardown, reports).
 *
 * @example
 * ```ts
 * const result = await runScenario('unknown-tag');
 * console.log(result.verdict, result.reports.html);
 * ```
 * @throws ScenarioError (2) for a bad scenario, EnvironmentError (3) when this machine cannot run it;
 *   an expectation that fails is not thrown: it is `verdict: 'fail'` and `exitCode: 1`.
 */
export async function runScenario(
  source: ScenarioSource | LoadedScenario,
  options: RunOptions = {},
): Promise<RunResult> {
  const { scenario, file } = isLoadedScenario(source) ? source : await loadScenario(source);
  if (options.clock !== undefined) scenario.backend.clock = options.clock;
  const runOptions: RunScenarioOptions = {
    ...(file !== undefined && { file }),
    ...(options.out !== undefined && { out: options.out }),
    ...(options.runsDir !== undefined && { runsDir: options.runsDir }),
    ...(options.signal !== undefined && { signal: options.signal }),
    progress: options.progress ? createProgress({ scenario: scenario.name }) : SILENT,
  };
  const result = await runResolved(scenario, runOptions);
  return {
    runId: result.runId,
    scenario: result.scenario,
    analysis: result.analysis,
    verdict: result.analysis.verdict,
    exitCode: result.exitCode,
    outDir: result.outDir,
    eventsFile: result.eventsFile,
    reports: { ...result.reports },
  };
}
