/**
 * CLI start-up from the installed package: `pullstorm --help` and `pullstorm faults` run through
 * the bin npm links (`node_modules/.bin/pullstorm`, what `npx pullstorm` ends up executing) in a
 * project where the packed tarball is installed, against `node -e 0` in the same loop, so machine
 * load shifts all of them alike. `npx` itself (npm's own start-up) is measured apart.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { installInto, nodeEnv, packOnce, ROOT } from '../package/pack.ts';

/** One command's wall times over the rounds, in ms. */
export interface StartupRow {
  label: string;
  samples: number[];
}

const ROUNDS = 21;

function timeOnce(file: string, args: string[], cwd: string): number {
  const started = process.hrtime.bigint();
  const result = spawnSync(file, args, { cwd, env: nodeEnv(), stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0)
    throw new Error(`${file} ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return ms;
}

/** Installs the packed package into a fresh project and times the commands, interleaved. */
export async function cliStartup(): Promise<{ rows: StartupRow[]; load: number[] }> {
  // What is measured is what `npm pack` ships: build it from the current source first.
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.ts')], { stdio: 'inherit' });
  const app = await installInto('bench-app', [await packOnce('tarball-bench')]);
  const bin = join(app, 'node_modules', '.bin', 'pullstorm');
  const commands: [string, string, string[]][] = [
    ['node -e 0', process.execPath, ['-e', '0']],
    ['pullstorm --help', bin, ['--help']],
    ['pullstorm faults', bin, ['faults']],
    ['npx pullstorm --help', 'npx', ['--no-install', 'pullstorm', '--help']],
  ];
  // The first start fills Node's compile cache; a user pays it once.
  for (const [, file, args] of commands) timeOnce(file, args, app);
  const load = loadavg();
  const rows = commands.map(([label]) => ({ label, samples: [] as number[] }));
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, [, file, args]] of commands.entries()) rows[i]!.samples.push(timeOnce(file, args, app));
  }
  return { rows, load: [...load, ...loadavg()] };
}

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

/** The Markdown section of the results. */
export function cliStartupMarkdown(result: { rows: StartupRow[]; load: number[] }, footer: string): string {
  const lines = [
    `### CLI start-up from the installed package (${ROUNDS} rounds, interleaved)`,
    '',
    '| command | median | p90 | min |',
    '|---|---|---|---|',
  ];
  for (const { label, samples } of result.rows) {
    const s = [...samples].sort((a, b) => a - b);
    lines.push(
      `| \`${label}\` | ${Math.round(quantile(s, 0.5))} ms | ${Math.round(quantile(s, 0.9))} ms | ${Math.round(s[0]!)} ms |`,
    );
  }
  const [b1, , , a1] = result.load;
  lines.push('', `${footer}; 1-min load average ${b1!.toFixed(2)} before, ${a1!.toFixed(2)} after.`);
  return lines.join('\n');
}
