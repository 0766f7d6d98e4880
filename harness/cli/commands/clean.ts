/**
 * `pullstorm clean`: removes what killed runs left — containerd nodes, mounts, cgroups, containers,
 * kind clusters; with `--context`/`--kubeconfig`, lists (and with `--run-id` deletes) a killed
 * kubeconfig run's namespace in that cluster.
 */
import type { CommandModule } from 'yargs';
import { describeError, EXIT, UsageError } from '../../../vocab/errors.ts';
import { cleanKindClusters } from '../../backends/kind/clean.ts';
import { clientNodeApi } from '../../backends/kubeconfig/api.ts';
import { cleanClusterRuns, formatClusterClean } from '../../backends/kubeconfig/clean.ts';
import { loadContext } from '../../backends/kubeconfig/context.ts';
import { stateRoot } from '../../backends/names.ts';
import { assertRunId } from '../../containers/labels.ts';
import { cleanRuns } from '../../run/clean.ts';

interface CleanArgs {
  'run-id'?: string;
  context?: string;
  kubeconfig?: string;
  images: boolean;
  json: boolean;
}

/** `pullstorm clean [--run-id ID] [--images] [--json]`; default: every run whose process is gone. */
export const cleanCommand: CommandModule<object, CleanArgs> = {
  command: 'clean',
  describe:
    'Remove what killed runs left: containerd nodes (processes, mounts, directories), containers, kind clusters',
  builder: (y) =>
    y
      .option('run-id', { type: 'string', describe: 'only this run (default: every run not still running)' })
      .option('images', {
        type: 'boolean',
        default: false,
        describe: "also remove pullstorm's built Docker images",
      })
      .option('json', { type: 'boolean', default: false, describe: 'print what was removed as JSON' })
      .option('context', {
        type: 'string',
        describe: "also this cluster: list pullstorm's run namespaces, delete --run-id's",
      })
      .option('kubeconfig', {
        type: 'string',
        describe: 'the kubeconfig for --context (default $KUBECONFIG)',
      }),
  handler: async (argv) => {
    const runId = argv['run-id'];
    if (runId !== undefined) {
      try {
        assertRunId(runId);
      } catch (error) {
        throw new UsageError(`--run-id: ${(error as Error).message.replace(/^runId: /, '')}`);
      }
    }
    const report = await cleanRuns({ ...(runId ? { runId } : {}), images: argv.images });
    const kind = await cleanKindClusters(runId ? { runId } : {});
    let cluster: { context: string; lines: string[]; found?: unknown; deleted?: string[] } | undefined;
    if (argv.context !== undefined || argv.kubeconfig !== undefined) {
      let loaded: ReturnType<typeof loadContext>;
      try {
        loaded = loadContext({
          ...(argv.context ? { context: argv.context } : {}),
          ...(argv.kubeconfig ? { kubeconfigPath: argv.kubeconfig } : {}),
        });
      } catch (error) {
        throw new UsageError((error as Error).message);
      }
      const context = loaded.id.context;
      try {
        const done = await cleanClusterRuns(clientNodeApi(loaded.kc), runId ? { runId } : {});
        cluster = { context, ...done, lines: formatClusterClean(context, done, runId) };
      } catch (error) {
        cluster = { context, lines: [`cluster ${context}: clean failed: ${describeError(error)}`] };
        process.exitCode = EXIT.harness;
      }
    }
    if (argv.json) {
      const { lines: _, ...clusterJson } = cluster ?? { lines: [] };
      process.stdout.write(
        `${JSON.stringify({ ...report, kind, ...(cluster ? { cluster: clusterJson } : {}) }, null, 2)}\n`,
      );
      return;
    }
    const lines = [
      `state root ${stateRoot()}: ${report.runs.length} run(s), ${report.nodes.length} node(s) removed`,
      ...report.nodes.map((n) => `  node ${n}`),
      ...(report.mirrors.length > 0 ? [`mirrors: ${report.mirrors.length} stopped and removed`] : []),
      ...report.mirrors.map((m) => `  mirror ${m}`),
      `docker: ${report.containers.length} container(s)${argv.images ? `, ${report.images.length} image(s)` : ''} removed`,
      `kind: ${kind.clusters.length} cluster(s) deleted`,
      ...(cluster?.lines ?? []),
      ...[...report.notes, ...kind.notes].map((n) => `note: ${n}`),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  },
};
