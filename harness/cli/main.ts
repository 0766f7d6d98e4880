/**
 * The `pullstorm` command line. Every command has `--help`; a usage error exits 2 with a message
 * that says what was expected and what was given.
 */
import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { cleanCommand } from './commands/clean.ts';
import { diagnoseCommand } from './commands/diagnose.ts';
import { doctorCommand } from './commands/doctor.ts';
import { faultCommand } from './commands/fault.ts';
import { faultsCommand } from './commands/faults.ts';
import { listCommand } from './commands/list.ts';
import { reportCommand } from './commands/report.ts';
import { runCommand } from './commands/run.ts';
import { serveCommand } from './commands/serve.ts';
import { EXIT } from './exit.ts';

/** Builds the CLI parser for the given arguments (without the runtime and script). */
export function buildCli(args: string[]): Argv {
  return yargs(args)
    .scriptName('pullstorm')
    .usage('$0 <command> [options]\n\nChaos and load harness for container image distribution.')
    .command(runCommand)
    .command(listCommand)
    .command(reportCommand)
    .command(cleanCommand)
    .command(serveCommand)
    .command(diagnoseCommand)
    .command(doctorCommand)
    .command(faultsCommand)
    .command(faultCommand)
    .demandCommand(1, 'expected a command; see the list above')
    .recommendCommands()
    .strict()
    .help()
    .alias('h', 'help')
    .version(false)
    .wrap(Math.min(110, process.stdout.columns ?? 110))
    .fail((message, error, parser) => {
      if (error) throw error;
      process.stderr.write(
        `${parser.help() ? '' : ''}pullstorm: ${message}\nRun 'pullstorm --help' for usage.\n`,
      );
      process.exit(EXIT.usage);
    });
}

/** Runs the CLI with the process arguments. */
export async function main(argv: string[] = hideBin(process.argv)): Promise<void> {
  try {
    await buildCli(argv).parseAsync();
  } catch (error) {
    const code = (error as { exitCode?: number }).exitCode ?? EXIT.harness;
    process.stderr.write(`pullstorm: ${(error as Error).message}\n`);
    process.exit(code);
  }
}

if (import.meta.main) await main();
