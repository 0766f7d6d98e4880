/**
 * The shared shape of pullstorm's command lines: strict parsing, `--help` everywhere, exit 2 with a
 * clear message on a usage error, and the error's own exit code (default 3) when a command fails.
 */
import yargs, { type Argv, type CommandModule } from 'yargs';
import { EXIT, exitCodeOf } from '../../vocab/errors.ts';

/** A command module of any argument shape. */
// biome-ignore lint/suspicious/noExplicitAny: yargs command modules differ in their argument types.
export type AnyCommand = CommandModule<any, any>;

/** Builds a parser over `commands` for the given arguments (without the runtime and script). */
export function buildParser(args: string[], commands: readonly AnyCommand[]): Argv {
  let parser = yargs(args)
    .scriptName('pullstorm')
    .usage('$0 <command> [options]\n\nChaos and load harness for container image distribution.');
  for (const command of commands) parser = parser.command(command);
  return parser
    .demandCommand(1, 'expected a command; see the list above')
    .recommendCommands()
    .strict()
    .help()
    .alias('h', 'help')
    .version(false)
    .wrap(Math.min(110, process.stdout.columns ?? 110))
    .fail((message, error) => {
      if (error) throw error;
      process.stderr.write(`pullstorm: ${message}\nRun 'pullstorm --help' for usage.\n`);
      process.exit(EXIT.usage);
    });
}

/** Parses and runs; a thrown PullstormError exits with its `exitCode`, anything else with 3 (the harness failed). */
export async function runCli(commands: readonly AnyCommand[], argv: string[]): Promise<void> {
  try {
    await buildParser(argv, commands).parseAsync();
  } catch (error) {
    process.stderr.write(`pullstorm: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(exitCodeOf(error));
  }
}
