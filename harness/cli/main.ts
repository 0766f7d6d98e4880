/**
 * The `pullstorm` command line. Every command has `--help`; a usage error exits 2 with a message
 * that says what was expected and what was given. Only the invoked command's module is imported
 * (see command-index.ts), so `--help` and light commands start fast.
 */
import type { Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { commandsFor } from './command-index.ts';
import { buildParser, runCli } from './parser.ts';

/** Builds the CLI parser for the given arguments (without the runtime and script). */
export async function buildCli(args: string[]): Promise<Argv> {
  return buildParser(args, await commandsFor(args));
}

/** Runs the CLI with the process arguments. */
export async function main(argv: string[] = hideBin(process.argv)): Promise<void> {
  await runCli(await commandsFor(argv), argv);
}

if (import.meta.main) await main();
