/**
 * `pullstorm explain [text..]`: classify an image-pull error as pasted — a kubelet event, a
 * `crictl`/`ctr`/`nerdctl` or containerd log line, `docker pull`, podman/skopeo/buildah/CRI-O,
 * BuildKit, an ECS stopped reason, or a whole log — with the rule that matched, the evidence and
 * the remedy. Arguments are joined into one message; `-` or no argument reads stdin.
 */
import type { CommandModule } from 'yargs';
import { UsageError } from '../../../vocab/errors.ts';
import { explain } from '../../classify/explain.ts';
import { formatExplanation } from '../../classify/format-explain.ts';

interface ExplainArgs {
  text: string[];
  json: boolean;
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) {
    throw new UsageError(
      'expected an error message as arguments (pullstorm explain "Failed to pull image …") or on stdin (kubectl describe pod x | pullstorm explain), got a terminal and no arguments',
    );
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export const explainCommand: CommandModule<object, ExplainArgs> = {
  command: 'explain [text..]',
  describe: 'Explain an image-pull error or a pasted log from any client: cause, rule, evidence, fix',
  builder: (y) =>
    y
      .positional('text', {
        type: 'string',
        array: true,
        default: [],
        describe: 'the error text (quote it); - or nothing reads stdin',
      })
      .option('json', { type: 'boolean', default: false, describe: 'print the diagnoses as JSON' })
      .example('$0 explain "Failed to pull image \\"x\\": … 429 Too Many Requests"', 'explain one message')
      .example('kubectl describe pod web-0 | $0 explain', 'explain every failure in a pasted output')
      .example('podman pull quay.io/org/app 2>&1 | $0 explain --json', 'as JSON'),
  handler: async (argv) => {
    const args = argv.text.map(String);
    const text =
      args.length === 0 || (args.length === 1 && args[0] === '-') ? await readStdin() : args.join(' ');
    if (text.trim() === '') throw new UsageError('expected an error message to explain, got empty text');
    const result = explain(text);
    process.stdout.write(
      argv.json ? `${JSON.stringify(result, null, 2)}\n` : `${formatExplanation(result)}\n`,
    );
  },
};
