/** `pullstorm diagnose`: classify the image-pull failures of a real cluster from its events. */
import { readFile } from 'node:fs/promises';
import type { CommandModule } from 'yargs';
import { UsageError } from '../../../vocab/errors.ts';
import { diagnoseEvents } from '../../classify/diagnose.ts';
import { formatDiagnosis } from '../../classify/format.ts';

interface DiagnoseArgs {
  file: string;
  json: boolean;
}

async function readInput(file: string): Promise<string> {
  if (file !== '-') {
    return readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new UsageError(
        `cannot read ${file}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`,
      );
    });
  }
  if (process.stdin.isTTY) {
    throw new UsageError(
      'expected events on stdin (kubectl get events -A -o json | pullstorm diagnose) or a file, got a terminal',
    );
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export const diagnoseCommand: CommandModule<object, DiagnoseArgs> = {
  command: 'diagnose [file]',
  describe: 'Classify image-pull failures from `kubectl get events -o json` (a file, or - for stdin)',
  builder: (y) =>
    y
      .positional('file', { type: 'string', default: '-', describe: 'events JSON file; - reads stdin' })
      .option('json', { type: 'boolean', default: false, describe: 'print the diagnosis as JSON' })
      .example('kubectl get events -A -o json | $0 diagnose', 'diagnose every namespace'),
  handler: async (argv) => {
    const text = await readInput(argv.file);
    let result: ReturnType<typeof diagnoseEvents>;
    try {
      result = diagnoseEvents(text);
    } catch (error) {
      throw new UsageError(`${argv.file === '-' ? 'stdin' : argv.file}: ${(error as Error).message}`);
    }
    process.stdout.write(argv.json ? `${JSON.stringify(result, null, 2)}\n` : formatDiagnosis(result));
  },
};
