/**
 * The `pullstorm` command line. Every command has `--help`; a usage error exits 2 with a message
 * that says what was expected and what was given.
 */
import type { Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { cleanCommand } from './commands/clean.ts';
import { diagnoseCommand } from './commands/diagnose.ts';
import { doctorCommand } from './commands/doctor.ts';
import { explainCommand } from './commands/explain.ts';
import { faultCommand } from './commands/fault.ts';
import { faultsCommand } from './commands/faults.ts';
import { imageCommand } from './commands/image.ts';
import { k6Command } from './commands/k6.ts';
import { listCommand } from './commands/list.ts';
import { rbacCommand } from './commands/rbac.ts';
import { reportCommand } from './commands/report.ts';
import { runCommand } from './commands/run.ts';
import { serveCommand } from './commands/serve.ts';
import { type AnyCommand, buildParser, runCli } from './parser.ts';

/** Every command, in the order `--help` lists them. */
export const COMMANDS: readonly AnyCommand[] = [
  runCommand,
  listCommand,
  reportCommand,
  cleanCommand,
  serveCommand,
  faultsCommand,
  faultCommand,
  k6Command,
  imageCommand,
  diagnoseCommand,
  explainCommand,
  doctorCommand,
  rbacCommand,
];

/** Builds the CLI parser for the given arguments (without the runtime and script). */
export function buildCli(args: string[]): Argv {
  return buildParser(args, COMMANDS);
}

/** Runs the CLI with the process arguments. */
export async function main(argv: string[] = hideBin(process.argv)): Promise<void> {
  await runCli(COMMANDS, argv);
}

if (import.meta.main) await main();
