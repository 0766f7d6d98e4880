/**
 * The command line inside the stub container: `pullstorm serve` only. Bundled on its own so the
 * image carries the registry and none of the harness (testcontainers, gRPC, native modules).
 */
import { hideBin } from 'yargs/helpers';
import { serveCommand } from './commands/serve.ts';
import { runCli } from './parser.ts';

if (import.meta.main) await runCli([serveCommand], hideBin(process.argv));
