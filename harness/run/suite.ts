/**
 * Running several scenarios: every file is loaded and checked first, so one invalid scenario stops
 * the suite before anything is provisioned (exit 2, every problem of every file listed); then each
 * runs in turn and the suite exits with the worst code. An interrupt or a broken environment ends
 * the suite early: the remaining scenarios would only fail the same way.
 */
import { textTable } from '../../reports/terminal.ts';
import { EXIT, UsageError } from '../../vocab/errors.ts';
import { ScenarioError } from '../../vocab/problem.ts';
import { human } from '../analyze/time.ts';
import { scenarioContext } from '../backends/stub-engine.ts';
import { randomSeed } from '../kubelet/seeded-random.ts';
import { loadScenarioVariants } from '../scenario/load-variants.ts';
import type { BackendType } from '../scenario/model.ts';
import type { Scenario } from '../scenario/resolved.ts';
import { checkRunnable, EnvironmentError } from './preflight.ts';
import { type RunResult, type RunScenarioOptions, runScenario } from './runner.ts';

/** A scenario ready to run, with the file it came from. */
export interface LoadedScenario {
  file: string;
  scenario: Scenario;
  /** The scenario's own name and the variant's, when the file declares `variants:`. */
  variant?: { of: string; name: string };
}

/** What the command line overrides in every scenario it loads. */
export interface ScenarioOverrides {
  /** `--clock`; default the scenario's `backend.clock`. */
  clock?: 'warp' | 'real';
  /** `--backend`; default the scenario's `backend.type`. */
  backend?: BackendType;
  /** `--seed`; default the scenario's `backend.seed`, else a new one per run. */
  seed?: number;
}

/** Loads and checks every file; throws one UsageError listing every problem of every file. */
export async function loadScenarios(
  files: readonly string[],
  overrides: ScenarioOverrides = {},
): Promise<LoadedScenario[]> {
  const { clock, backend, seed } = overrides;
  const context = scenarioContext();
  const loaded: LoadedScenario[] = [];
  const errors: string[] = [];
  for (const file of files) {
    try {
      const variants = await loadScenarioVariants(file, context);
      // Variants are compared side by side: they draw the same kubelet jitter (one seed for the file)
      // unless the command line or a variant sets its own.
      const shared = seed ?? (variants.length > 1 ? randomSeed() : undefined);
      for (const { scenario, variant } of variants) {
        // The command line wins, and run.started records the clock that ran.
        if (backend !== undefined) scenario.backend.type = backend;
        if (clock !== undefined) scenario.backend.clock = clock;
        else if (backend !== undefined) scenario.backend.clock = backend === 'containerd' ? 'warp' : 'real';
        if (seed !== undefined || (shared !== undefined && scenario.backend.seed === undefined)) {
          scenario.backend.seed = shared;
        }
        checkRunnable(scenario, file);
        loaded.push({ file, scenario, ...(variant ? { variant } : {}) });
      }
    } catch (error) {
      if (!(error instanceof ScenarioError)) throw error;
      errors.push(error.message);
    }
  }
  if (errors.length === 1) throw new UsageError(errors[0]);
  if (errors.length > 1)
    throw new UsageError(`${errors.length} scenarios are invalid:\n\n${errors.join('\n\n')}`);
  return loaded;
}

/** One scenario's outcome in a suite. */
export interface SuiteEntry {
  scenario: string;
  file: string;
  exitCode: number;
  result?: RunResult;
  /** Why it did not run (environment) when it did not. */
  error?: string;
  /** The scenario's own name and the variant's, for a variant. */
  variant?: { of: string; name: string };
}

/** The worst exit code: interrupted above harness failure above usage above failed above pass. */
export function worstExitCode(codes: readonly number[]): number {
  return codes.reduce((worst, code) => (rank(code) > rank(worst) ? code : worst), EXIT.ok);
}

function rank(code: number): number {
  return code === EXIT.interrupted ? 10 : code;
}

/** Runs `loaded` in order; `each` sees every result as it comes (to print its summary). */
export async function runScenarios(
  loaded: readonly LoadedScenario[],
  options: Omit<RunScenarioOptions, 'file'>,
  each: (entry: SuiteEntry) => void = () => {},
): Promise<SuiteEntry[]> {
  const entries: SuiteEntry[] = [];
  for (const { file, scenario, variant } of loaded) {
    if (options.signal?.aborted) break;
    let entry: SuiteEntry;
    try {
      const result = await runScenario(scenario, { ...options, file });
      entry = {
        scenario: scenario.name,
        file,
        exitCode: result.exitCode,
        result,
        ...(variant ? { variant } : {}),
      };
    } catch (error) {
      if (!(error instanceof EnvironmentError) && !(error instanceof UsageError)) throw error;
      entry = { scenario: scenario.name, file, exitCode: error.exitCode, error: error.message };
    }
    entries.push(entry);
    each(entry);
    if (entry.exitCode === EXIT.interrupted || entry.error !== undefined) break;
  }
  return entries;
}

/** The table that ends a multi-scenario run: one row per scenario, then where its reports are. */
export function suiteTable(entries: readonly SuiteEntry[]): string {
  const rows = entries.map((e) => {
    const a = e.result?.analysis;
    const passed = a?.expectations.filter((x) => x.passed).length ?? 0;
    return [
      e.scenario,
      a ? a.verdict : 'not run',
      a ? `${passed}/${a.expectations.length}` : '—',
      a ? human(a.run.durationMs) : '—',
      String(e.exitCode),
      e.result?.reports.html ?? e.error ?? '',
    ];
  });
  const header = ['scenario', 'verdict', 'expectations', 'duration', 'exit', 'report'];
  const worst = worstExitCode(entries.map((e) => e.exitCode));
  return `${textTable([header, ...rows])}\n\n${entries.length} scenario(s), exit ${worst}\n`;
}
