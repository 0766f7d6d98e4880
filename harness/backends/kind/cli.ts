/**
 * The `kind` commands pullstorm runs, through execa. A failed command throws KindCommandError with
 * the command line and kind's output (kind prints `ERROR: failed to create cluster: …` on stderr),
 * like kind's own `RunError{command, output}`. The runner is injectable so argument building is tested
 * without kind installed.
 */

import { execa } from 'execa';
import { PullstormError } from '../../../vocab/errors.ts';

/** Runs a program; resolves whatever its exit code (`exitCode` -1 when it could not start). */
export type RunProgram = (
  file: string,
  args: string[],
  options?: { signal?: AbortSignal },
) => Promise<{ exitCode: number; stdout: string; stderr: string; notFound?: boolean }>;

/** execa, non-throwing; `notFound` when the binary is not on PATH. */
export const execaRun: RunProgram = async (file, args, options = {}) => {
  const r = await execa(file, args, {
    reject: false,
    ...(options.signal ? { cancelSignal: options.signal } : {}),
    // The stubs join kind's network through Docker, so kind must use Docker too (not podman/nerdctl).
    env: { KIND_EXPERIMENTAL_PROVIDER: process.env.KIND_EXPERIMENTAL_PROVIDER ?? 'docker' },
  });
  const code = (r as { code?: string }).code;
  return {
    exitCode: r.exitCode ?? -1,
    stdout: String(r.stdout ?? ''),
    stderr: String(r.stderr ?? ''),
    notFound: code === 'ENOENT',
  };
};

/** A kind command that failed; stable `code`: `KIND_FAILED`. */
export class KindCommandError extends PullstormError {
  readonly code = 'KIND_FAILED';
  readonly command: string;
  readonly output: string;
  constructor(command: string, output: string, exitCode: number) {
    super(
      `'${command}' failed (exit ${exitCode}): ${output.trim().split('\n').slice(-5).join(' | ') || 'no output'}`,
    );
    this.name = 'KindCommandError';
    this.command = command;
    this.output = output;
  }
}

/** Options of `createCluster`. */
export interface CreateClusterOptions {
  name: string;
  /** The generated config file. */
  configPath: string;
  /** Node image (also in the config; the flag wins for every node). */
  image: string;
  /** Where kind writes the cluster's kubeconfig, so the user's ~/.kube/config is never touched. */
  kubeconfigPath: string;
  /** `--wait`: how long kind waits for the control-plane to be Ready; default 120 s. */
  waitSeconds?: number;
  signal?: AbortSignal;
}

/** `kind …` with a binary (default `kind`) and a runner (default execa). */
export function kindCli(options: { binary?: string; run?: RunProgram } = {}) {
  const bin = options.binary ?? 'kind';
  const run = options.run ?? execaRun;
  const must = async (args: string[], signal?: AbortSignal) => {
    const r = await run(bin, args, signal ? { signal } : {});
    if (r.exitCode !== 0)
      throw new KindCommandError(`${bin} ${args.join(' ')}`, r.stderr || r.stdout, r.exitCode);
    return r.stdout;
  };
  return {
    /** `kind version`'s line, or undefined when kind is not installed. */
    async version(): Promise<string | undefined> {
      const r = await run(bin, ['version']);
      if (r.notFound) return undefined;
      if (r.exitCode !== 0) throw new KindCommandError(`${bin} version`, r.stderr || r.stdout, r.exitCode);
      return r.stdout.trim();
    },
    /** `kind create cluster --name … --config … --image … --kubeconfig … --wait 120s`. */
    createCluster: (o: CreateClusterOptions) =>
      must(
        [
          'create',
          'cluster',
          '--name',
          o.name,
          '--config',
          o.configPath,
          '--image',
          o.image,
          '--kubeconfig',
          o.kubeconfigPath,
          '--wait',
          `${o.waitSeconds ?? 120}s`,
        ],
        o.signal,
      ).then(() => undefined),
    /** `kind delete cluster --name …` (kind succeeds when the cluster is already gone). */
    deleteCluster: (name: string, kubeconfigPath?: string) =>
      must([
        'delete',
        'cluster',
        '--name',
        name,
        ...(kubeconfigPath ? ['--kubeconfig', kubeconfigPath] : []),
      ]).then(() => undefined),
    /** `kind export logs <dir> --name …`: every node's journal, containerd and kubelet logs, for a failure. */
    exportLogs: (name: string, dir: string) =>
      must(['export', 'logs', dir, '--name', name]).then(() => undefined),
    /** `kind get clusters`: every cluster name (kind says "No kind clusters found." on stderr when none). */
    getClusters: async () =>
      (await must(['get', 'clusters']))
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean),
  };
}

/** What `kindCli()` returns. */
export type KindCli = ReturnType<typeof kindCli>;
