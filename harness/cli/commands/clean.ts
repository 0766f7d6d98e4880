/** `pullstorm clean`: removes what killed runs left — containerd nodes, mounts, cgroups, containers. */
import type { CommandModule } from 'yargs';
import { cleanKindClusters } from '../../backends/kind/clean.ts';
import { assertRunId } from '../../containers/labels.ts';
import { cleanRuns } from '../../run/clean.ts';
import { stateRoot } from '../../run/names.ts';
import { UsageError } from '../exit.ts';

interface CleanArgs {
  'run-id'?: string;
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
      .option('json', { type: 'boolean', default: false, describe: 'print what was removed as JSON' }),
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
    if (argv.json) {
      process.stdout.write(`${JSON.stringify({ ...report, kind }, null, 2)}\n`);
      return;
    }
    const lines = [
      `state root ${stateRoot()}: ${report.runs.length} run(s), ${report.nodes.length} node(s) removed`,
      ...report.nodes.map((n) => `  node ${n}`),
      `docker: ${report.containers.length} container(s)${argv.images ? `, ${report.images.length} image(s)` : ''} removed`,
      `kind: ${kind.clusters.length} cluster(s) deleted`,
      ...[...report.notes, ...kind.notes].map((n) => `note: ${n}`),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  },
};
