/**
 * The command table `--help` prints, without importing any command: each command's module (and the
 * engine, registry and reports behind it) is imported only when that command runs. Importing every
 * command at start made `pullstorm --help` take 1.5–3 s on 2 cores; see README "CLI start-up".
 * `test/cli/command-index.test.ts` checks each entry against its module, so the two cannot drift.
 */
import type { AnyCommand } from './parser.ts';

/** One command as the top-level help lists it, and how to load the full module. */
export interface IndexedCommand {
  /** The first word of the command: what the user types. */
  name: string;
  /** The yargs command string of the module (positionals included), e.g. `run [scenarios..]`. */
  command: string;
  /** The one-line description of the module. */
  describe: string;
  /** Imports the command module. */
  load: () => Promise<AnyCommand>;
}

/** Every command, in the order `--help` lists them. */
export const COMMAND_INDEX: readonly IndexedCommand[] = [
  {
    name: 'run',
    command: 'run [scenarios..]',
    describe: 'Run scenario files or built-in scenarios (default: the default suite) and write their reports',
    load: async () => (await import('./commands/run.ts')).runCommand,
  },
  {
    name: 'list',
    command: 'list',
    describe: 'List the built-in scenarios: what each proves, its expected verdict and rough duration',
    load: async () => (await import('./commands/list.ts')).listCommand,
  },
  {
    name: 'report',
    command: 'report <events>',
    describe: "Re-render a past run's reports from its events.jsonl; exits with the run's exit code",
    load: async () => (await import('./commands/report.ts')).reportCommand,
  },
  {
    name: 'clean',
    command: 'clean',
    describe:
      'Remove what killed runs left: containerd nodes (processes, mounts, directories), containers, kind clusters',
    load: async () => (await import('./commands/clean.ts')).cleanCommand,
  },
  {
    name: 'serve',
    command: 'serve',
    describe: 'Run the stub OCI registry with the fixture images; prints one JSON line when ready',
    load: async () => (await import('./commands/serve.ts')).serveCommand,
  },
  {
    name: 'faults',
    command: 'faults',
    describe: 'List the fault catalogue: where each fault acts, its options and defaults, what a client sees',
    load: async () => (await import('./commands/faults.ts')).faultsCommand,
  },
  {
    name: 'fault',
    command: 'fault <command>',
    describe: 'Apply, clear and list faults on a running stub (pullstorm serve --control-token …)',
    load: async () => (await import('./commands/fault.ts')).faultCommand,
  },
  {
    name: 'k6',
    command: 'k6 <script>',
    describe:
      'Run a k6 load script (scenarios/k6/*.ts) against a registry or mirror; extra k6 flags after --',
    load: async () => (await import('./commands/k6.ts')).k6Command,
  },
  {
    name: 'image',
    command: 'image <command>',
    describe: 'Container images pullstorm uses (the registry stub)',
    load: async () => (await import('./commands/image.ts')).imageCommand,
  },
  {
    name: 'diagnose',
    command: 'diagnose [file]',
    describe: 'Classify image-pull failures from `kubectl get events -o json` (a file, or - for stdin)',
    load: async () => (await import('./commands/diagnose.ts')).diagnoseCommand,
  },
  {
    name: 'explain',
    command: 'explain [text..]',
    describe: 'Explain an image-pull error or a pasted log from any client: cause, rule, evidence, fix',
    load: async () => (await import('./commands/explain.ts')).explainCommand,
  },
  {
    name: 'doctor',
    command: 'doctor',
    describe:
      'Check the environment (containerd, runc, docker, kind, kubectl, k6, deno, root) and say how to fix it; with --context, an existing cluster too',
    load: async () => (await import('./commands/doctor.ts')).doctorCommand,
  },
  {
    name: 'rbac',
    command: 'rbac',
    describe:
      'Print the minimal ClusterRole/Role (YAML) a kubeconfig run needs — exactly what `doctor --context` checks',
    load: async () => (await import('./commands/rbac.ts')).rbacCommand,
  },
];

/** The command word in `argv`: the first argument that is not an option; undefined for none. */
export function commandWord(argv: readonly string[]): string | undefined {
  return argv.find((arg) => !arg.startsWith('-'));
}

/**
 * The commands to give the parser for `argv`: the invoked command's full module, and for every
 * other command a placeholder that only lists it (the parser still names them in `--help` and
 * still rejects or suggests for an unknown word).
 */
export async function commandsFor(argv: readonly string[]): Promise<AnyCommand[]> {
  const word = commandWord(argv);
  return Promise.all(
    COMMAND_INDEX.map(async (entry) =>
      entry.name === word
        ? entry.load()
        : { command: entry.command, describe: entry.describe, handler: () => {} },
    ),
  );
}
