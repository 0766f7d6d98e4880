/**
 * `pullstorm k6 <script> --target <registry url> [--control <url> --token <t>]`: runs one of the k6
 * scripts in scenarios/k6 (or the user's) with k6, passing the target and the fault control endpoint
 * through the environment (PULLSTORM_TARGET, PULLSTORM_CONTROL, PULLSTORM_TOKEN) so a script can
 * apply faults mid-load. The token goes through the environment, not argv, so `ps` does not show it.
 *
 * TypeScript: k6 v0.57 and later run `.ts` directly; v0.52–v0.56 need
 * `--compatibility-mode=experimental_enhanced` (added here); older ones cannot run these scripts.
 * Exit codes: k6's 0 → 0; 99 (thresholds crossed) → 1, a failed expectation; anything else → 3.
 */
import { access } from 'node:fs/promises';
import { execa } from 'execa';
import type { CommandModule } from 'yargs';
import { EXIT, UsageError } from '../../../vocab/errors.ts';

/** How to get k6 (printed when it is missing; k6 is not in Debian's archive). */
export const K6_INSTALL = `k6 is not installed (no 'k6' on PATH). Install it, then run this again:
  Debian/Ubuntu:
    curl -fsSL https://dl.k6.io/key.gpg | sudo gpg --dearmor -o /usr/share/keyrings/k6-archive-keyring.gpg
    echo "deb [signed-by=/usr/share/keyrings/k6-archive-keyring.gpg] https://dl.k6.io/deb stable main" | sudo tee /etc/apt/sources.list.d/k6.list
    sudo apt-get update && sudo apt-get install k6
  macOS: brew install k6
  any Linux: a release archive from https://github.com/grafana/k6/releases (k6 v0.57 or later runs .ts scripts as they are)`;

/** The oldest k6 that runs TypeScript: v0.52. */
const OLDEST_TS = [0, 52] as const;
/** From this version TypeScript needs no flag: v0.57. */
const NATIVE_TS = [0, 57] as const;

/** `[major, minor, patch]` from `k6 version` output (`k6 v0.57.0 (go1.24…)`, `k6 v1.3.0 …`); undefined if unreadable. */
export function parseK6Version(output: string): [number, number, number] | undefined {
  const m = /\bv(\d+)\.(\d+)\.(\d+)/.exec(output);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

const atLeast = (v: readonly number[], min: readonly number[]) =>
  v[0]! > min[0]! || (v[0] === min[0] && v[1]! >= min[1]!);

/** What `k6 run` needs for `script` at `version`; throws UsageError-like Error for a k6 too old. */
export function k6RunArgs(script: string, version: [number, number, number], extra: string[] = []): string[] {
  const ts = /\.[cm]?ts$/.test(script);
  if (ts && !atLeast(version, OLDEST_TS)) {
    throw Object.assign(
      new Error(
        `k6 v${version.join('.')} cannot run TypeScript; expected v0.52 or later (v0.57+ needs no flag)`,
      ),
      {
        exitCode: EXIT.harness,
      },
    );
  }
  const mode = ts && !atLeast(version, NATIVE_TS) ? ['--compatibility-mode=experimental_enhanced'] : [];
  return ['run', ...mode, ...extra, script];
}

/** The environment a script reads; only what was given is set. */
export function k6Env(o: { target: string; control?: string; token?: string }): Record<string, string> {
  return {
    PULLSTORM_TARGET: o.target.replace(/\/+$/, ''),
    ...(o.control ? { PULLSTORM_CONTROL: o.control.replace(/\/+$/, '') } : {}),
    ...(o.token ? { PULLSTORM_TOKEN: o.token } : {}),
  };
}

/** pullstorm's exit code for k6's: 0 → 0, 99 (thresholds) → 1, else 3. */
export function exitCodeFor(k6Exit: number): number {
  if (k6Exit === 0) return EXIT.ok;
  return k6Exit === 99 ? EXIT.failed : EXIT.harness;
}

/** Runs k6; resolves with pullstorm's exit code and what to tell the user (stderr). */
export async function runK6(o: {
  script: string;
  target: string;
  control?: string;
  token?: string;
  extra?: string[];
  /** The k6 binary; default `k6`. */
  bin?: string;
}): Promise<{ exitCode: number; message?: string }> {
  const bin = o.bin ?? 'k6';
  const probe = await execa(bin, ['version'], { reject: false });
  if ((probe as { code?: string }).code === 'ENOENT') return { exitCode: EXIT.harness, message: K6_INSTALL };
  const version = parseK6Version(String(probe.stdout));
  if (!version)
    return {
      exitCode: EXIT.harness,
      message: `could not read k6's version from: ${String(probe.stdout || probe.stderr).trim()}`,
    };
  let args: string[];
  try {
    args = k6RunArgs(o.script, version, o.extra);
  } catch (error) {
    return { exitCode: EXIT.harness, message: (error as Error).message };
  }
  const r = await execa(bin, args, { env: k6Env(o), stdio: 'inherit', reject: false });
  const code = r.exitCode ?? EXIT.harness;
  return code === 0
    ? { exitCode: 0 }
    : {
        exitCode: exitCodeFor(code),
        message: `k6 exited ${code}${code === 99 ? ' (thresholds crossed)' : ''}`,
      };
}

interface K6Args {
  script: string;
  target: string;
  control?: string;
  token?: string;
  '--'?: string[];
}

/** The `k6 <script>` command, for the CLI's command list. */
export const k6Command: CommandModule<object, K6Args> = {
  command: 'k6 <script>',
  describe: 'Run a k6 load script (scenarios/k6/*.ts) against a registry or mirror; extra k6 flags after --',
  builder: (y) =>
    y
      .parserConfiguration({ 'populate--': true })
      .positional('script', {
        type: 'string',
        demandOption: true,
        describe: 'the k6 script, e.g. scenarios/k6/pull-storm.ts',
      })
      .option('target', {
        type: 'string',
        demandOption: true,
        describe: 'registry base URL, e.g. http://127.0.0.1:5000 (PULLSTORM_TARGET)',
      })
      .option('control', {
        type: 'string',
        describe: "the stub's control endpoint, for faults mid-load (PULLSTORM_CONTROL)",
      })
      .option('token', { type: 'string', describe: 'bearer token of the control endpoint (PULLSTORM_TOKEN)' })
      .check((argv) => {
        for (const [flag, value] of [
          ['--target', argv.target],
          ['--control', argv.control],
        ] as const) {
          if (value !== undefined && !/^https?:\/\/[^/]/.test(value))
            throw new UsageError(`${flag}: expected an http(s):// URL, got '${value}'`);
        }
        if (argv.token && !argv.control) throw new UsageError('--token: given without --control');
        return true;
      }),
  handler: async (argv) => {
    await access(argv.script).catch(() => {
      throw new UsageError(`<script>: no such file '${argv.script}'`);
    });
    const result = await runK6({ ...argv, extra: argv['--'] ?? [] });
    if (result.message) process.stderr.write(`pullstorm k6: ${result.message}\n`);
    process.exitCode = result.exitCode;
  },
};
