/**
 * `pullstorm run [scenario…]`: runs scenario files or built-in names (default: the `default` suite),
 * each into its own run directory, and exits with the worst code (0 pass, 1 an expectation failed,
 * 2 a scenario error, 3 the harness failed, 130 interrupted). Progress goes to stderr; summaries,
 * the final table (or `--json`) to stdout.
 */
import type { CommandModule } from 'yargs';
import { UsageError } from '../../../vocab/errors.ts';
import { KIND_NODE_IMAGE } from '../../backends/kind/config.ts';
import type { BackendOptions } from '../../run/backend.ts';
import { scenarioFiles, suiteFiles } from '../../run/builtin.ts';
import { writeComparisons } from '../../run/comparison.ts';
import { runSignal } from '../../run/signals.ts';
import { loadScenarios, runScenarios, type SuiteEntry, suiteTable, worstExitCode } from '../../run/suite.ts';
import type { BackendType } from '../../scenario/model.ts';

interface RunArgs {
  scenarios: string[];
  suite?: string;
  clock?: string;
  seed?: string;
  'time-scale'?: number;
  out?: string;
  retain: boolean;
  json: boolean;
  metrics?: string;
  backend?: BackendType;
  'node-image'?: string;
  kubeconfig?: string;
  context?: string;
  'stub-image'?: string;
  namespace?: string;
  'i-know-this-is-production': boolean;
}

/** The backend settings of the command line, for the runner. */
function backendOptions(argv: RunArgs): BackendOptions {
  return {
    ...(argv.backend ? { type: argv.backend } : {}),
    kind: argv['node-image'] ? { nodeImage: argv['node-image'] } : {},
    kubeconfig: {
      ...(argv.kubeconfig ? { kubeconfigPath: argv.kubeconfig } : {}),
      ...(argv.context ? { context: argv.context } : {}),
      ...(argv['stub-image'] ? { stubImage: argv['stub-image'] } : {}),
      ...(argv.namespace ? { namespace: argv.namespace } : {}),
      allowProduction: argv['i-know-this-is-production'],
    },
  };
}

/** The `--json` shape of one run. */
function jsonEntry(e: SuiteEntry) {
  const r = e.result;
  return {
    scenario: e.scenario,
    file: e.file,
    exitCode: e.exitCode,
    ...(e.error ? { error: e.error } : {}),
    ...(r
      ? {
          runId: r.runId,
          outDir: r.outDir,
          verdict: r.analysis.verdict,
          outcome: r.analysis.run.outcome,
          durationMs: r.analysis.run.durationMs,
          expectations: r.analysis.expectations.map((x) => ({
            description: x.description,
            passed: x.passed,
          })),
          reports: { events: r.eventsFile, ...r.reports },
          ...(r.teardownError ? { teardownError: r.teardownError } : {}),
        }
      : {}),
  };
}

/**
 * `--metrics FILE`, loaded only when asked. Kept out of the handler: tsc 5.9 leaves a `.ts`
 * specifier unrewritten in a dynamic import inside a `using` block (scripts/build.ts checks).
 */
async function writeMetrics(file: string, entries: readonly SuiteEntry[]): Promise<void> {
  const { writeRunMetrics } = await import('../../../reports/metrics-file.ts');
  await writeRunMetrics(file, entries);
}

/** `pullstorm run [scenarios..] [--suite] [--clock] [--out] [--retain] [--json] [--metrics]`. */
export const runCommand: CommandModule<object, RunArgs> = {
  command: 'run [scenarios..]',
  describe: 'Run scenario files or built-in scenarios (default: the default suite) and write their reports',
  builder: (y) =>
    y
      .positional('scenarios', {
        type: 'string',
        array: true,
        default: [] as string[],
        describe: 'scenario files (.yaml, .json, .ts) or built-in names (see pullstorm list)',
      })
      .option('suite', {
        type: 'string',
        describe: 'run a built-in suite (default when no scenario is given)',
      })
      .option('clock', {
        type: 'string',
        describe:
          'how scenario time passes on the embedded backend: warp (default: 1:1 while real work is in flight, idle time skipped) or real (1:1 throughout, for calibration); kind and kubeconfig always run real',
      })
      .option('seed', {
        type: 'string',
        describe:
          "seed of the kubelet model's random draws (requeue jitter), 0-4294967295: replays a run's draws (its seed is in report.json); default the scenario's backend.seed, else a new one per run",
      })
      .option('time-scale', {
        type: 'number',
        hidden: true,
        describe: 'removed: replaced by the run clock (--clock)',
      })
      .option('out', {
        type: 'string',
        describe:
          'run directory (one scenario) or parent of the run directories (several); default ./pullstorm-runs',
      })
      .option('retain', {
        type: 'boolean',
        default: false,
        describe: 'keep registries and nodes up after the run until Ctrl-C, and print how to reach them',
      })
      .option('json', { type: 'boolean', default: false, describe: 'print the results as JSON on stdout' })
      .option('metrics', {
        type: 'string',
        describe:
          'also write the results (detection, recovery, pull latency, verdicts) to this file as OpenMetrics text',
      })
      .option('backend', {
        type: 'string',
        choices: ['containerd', 'kind', 'kubeconfig'] as const,
        describe: "run on this backend instead of each scenario's backend.type",
      })
      .option('node-image', {
        type: 'string',
        describe: `kind: the node image (default ${KIND_NODE_IMAGE.split('@')[0]}, pinned by digest)`,
      })
      .option('kubeconfig', {
        type: 'string',
        describe: 'kubeconfig: the kubeconfig file (default $KUBECONFIG or ~/.kube/config)',
      })
      .option('context', {
        type: 'string',
        describe: "kubeconfig: the context to use (default the kubeconfig's current context)",
      })
      .option('stub-image', {
        type: 'string',
        describe: 'kubeconfig: the registry stub image the nodes can pull (build it: pullstorm image build)',
      })
      .option('namespace', {
        type: 'string',
        describe:
          'kubeconfig: run in this existing namespace (objects deleted by run label) instead of creating pullstorm-<run id>; see pullstorm rbac',
      })
      .option('i-know-this-is-production', {
        type: 'boolean',
        default: false,
        describe: 'kubeconfig: run even when the context looks like production',
      })
      .group(
        [
          'backend',
          'node-image',
          'kubeconfig',
          'context',
          'stub-image',
          'namespace',
          'i-know-this-is-production',
        ],
        'Backends:',
      ),
  handler: async (argv) => {
    if (argv['time-scale'] !== undefined) {
      throw new UsageError(
        `--time-scale was removed, got --time-scale ${argv['time-scale']}: the run clock now skips idle time instead of scaling it, so runs are fast and every duration is what a real cluster would show; drop the flag (or use --clock real to run 1:1)`,
      );
    }
    const clock = argv.clock;
    if (clock !== undefined && clock !== 'warp' && clock !== 'real') {
      throw new UsageError(`--clock: expected warp or real, got '${clock}'`);
    }
    const seed = parseSeed(argv.seed);
    if (argv.suite !== undefined && argv.scenarios.length > 0) {
      throw new UsageError('expected scenarios or --suite, got both');
    }
    const files =
      argv.scenarios.length > 0 ? scenarioFiles(argv.scenarios) : suiteFiles(argv.suite ?? 'default');
    const loaded = await loadScenarios(files, {
      ...(clock !== undefined ? { clock } : {}),
      ...(seed !== undefined ? { seed } : {}),
      ...(argv.backend !== undefined ? { backend: argv.backend } : {}),
    });
    if (argv.retain && loaded.length > 1) {
      throw new UsageError(`--retain keeps one run up at a time, got ${loaded.length} scenarios`);
    }
    using signal = runSignal((reason) =>
      process.stderr.write(`pullstorm: ${reason.message}: tearing down (press Ctrl-C again to force)\n`),
    );
    const single = loaded.length === 1;
    const entries = await runScenarios(
      loaded,
      {
        ...(single && argv.out !== undefined ? { out: argv.out } : {}),
        ...(!single && argv.out !== undefined ? { runsDir: argv.out } : {}),
        retain: argv.retain,
        signal: signal.signal,
        backend: backendOptions(argv),
      },
      (entry) => {
        if (entry.error !== undefined) process.stderr.write(`pullstorm: ${entry.scenario}: ${entry.error}\n`);
        else if (!argv.json && entry.result) process.stdout.write(`\n${entry.result.summary}`);
      },
    );
    const exitCode = worstExitCode(entries.map((e) => e.exitCode));
    if (argv.metrics !== undefined) await writeMetrics(argv.metrics, entries);
    const compared = await writeComparisons(entries);
    if (!argv.json && compared.length > 0)
      process.stdout.write(`\ncomparison:\n${compared.map((f) => `  ${f}`).join('\n')}\n`);
    if (argv.json) {
      process.stdout.write(`${JSON.stringify({ exitCode, runs: entries.map(jsonEntry) }, null, 2)}\n`);
    } else if (!single) {
      process.stdout.write(`\n${suiteTable(entries)}`);
    }
    process.exitCode = exitCode;
  },
};

/** `--seed`: an integer from 0 to 4294967295, or absent. */
function parseSeed(given: string | undefined): number | undefined {
  if (given === undefined) return undefined;
  const seed = /^\d+$/.test(given) ? Number(given) : Number.NaN;
  if (!(Number.isInteger(seed) && seed <= 2 ** 32 - 1)) {
    throw new UsageError(`--seed: expected an integer from 0 to 4294967295, got '${given}'`);
  }
  return seed;
}
