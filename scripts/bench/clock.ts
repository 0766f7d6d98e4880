/**
 * Fidelity of the run clock (`--only clock`): each built-in scenario run under `warp` (the default)
 * and under `--clock real` on the same machine in the same session, each run a separate
 * `pullstorm run` process. Compared per fault: detection (first, median) and recovery; per run: the
 * first failing pod state (for scenarios without a fault, such as exec-format) and the verdict.
 * The scenarios the issue names run three times in each mode and are compared by their medians.
 * Target: every difference within max(15 %, 500 ms), identical verdicts.
 *
 * Run i of a scenario gets the same `--seed` in both modes, so the kubelet model draws the same
 * requeue jitter under both clocks: the comparison measures the clock, not the dice.
 *
 * Real-clock runs are mostly idle (kubelet's backoff), so they run a few at a time; warp runs run
 * one at a time, since how fast they go depends on the machine being free.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { BUILTINS } from '../../harness/run/builtin.ts';

/** Scenarios compared by the median of three runs in each mode. */
export const TRIPLED = [
  'auth-bad-credentials',
  'rate-limit',
  'tls-unknown-ca',
  'refused',
  'blackhole',
  'disk-full',
  'exec-format',
  'storm-rate-limit',
];
/** Not run under the real clock, and why. */
export const REAL_SKIPPED: Record<string, string> = {
  'rate-limit-window': 'its window is 6 h of real time',
};
const REAL_CONCURRENCY = 3;
/** The seed of run i of every scenario, in both modes. */
export const SEEDS = [1_001, 2_002, 3_003];
const FAILING = /ErrImagePull|ImagePullBackOff|CrashLoopBackOff|ErrImageNeverPull|InvalidImageName|Error/;

type Mode = 'warp' | 'real';

/** What one run measured. */
interface RunMeasures {
  verdict: string;
  wallMs: number;
  /** `<fault id> detection first|median` and `<fault id> recovery`, ms (null: not measured). */
  measures: Record<string, number | null>;
}

interface ReportJson {
  verdict: string;
  faults: {
    id: string;
    detection: { first: { ms: number }; median: { ms: number } } | null;
    recovery: { ms: number } | null;
  }[];
}

async function runOnce(name: string, mode: Mode, seed: number): Promise<RunMeasures> {
  const dir = await mkdtemp(join(tmpdir(), `pullstorm-clock-${name}-`));
  const started = performance.now();
  try {
    const run = await execa(
      process.execPath,
      [
        'harness/cli/main.ts',
        'run',
        name,
        '--clock',
        mode,
        '--seed',
        String(seed),
        '--out',
        join(dir, 'run'),
      ],
      {
        reject: false,
        all: true,
        env: { PULLSTORM_STATE_DIR: join(dir, 'state') },
      },
    );
    const wallMs = performance.now() - started;
    const text = await readFile(join(dir, 'run', 'report.json'), 'utf8').catch(() => undefined);
    if (text === undefined) {
      const tail = (run.all ?? '').split('\n').slice(-8).join('\n');
      throw new Error(
        `clock: ${name} (${mode}, seed ${seed}) wrote no report, exit ${run.exitCode}:\n${tail}`,
      );
    }
    const report = JSON.parse(text) as ReportJson;
    const measures: Record<string, number | null> = {};
    for (const f of report.faults) {
      measures[`${f.id} detection first`] = f.detection?.first.ms ?? null;
      measures[`${f.id} detection median`] = f.detection?.median.ms ?? null;
      measures[`${f.id} recovery`] = f.recovery?.ms ?? null;
    }
    measures['first failing pod'] = await firstFailure(join(dir, 'run', 'events.jsonl'));
    return { verdict: report.verdict, wallMs, measures };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** ms from run.started to the first pod.state with a failure reason; null when none. */
async function firstFailure(file: string): Promise<number | null> {
  const events = (await readFile(file, 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { kind: string; time: string; reason?: string });
  const t0 = Date.parse(events[0]!.time);
  const failed = events.find((e) => e.kind === 'pod.state' && FAILING.test(e.reason ?? ''));
  return failed ? Date.parse(failed.time) - t0 : null;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? null : s[Math.floor((s.length - 1) / 2)]!;
};

/** Per measure, the median over runs (null when any run did not measure it). */
function combine(runs: RunMeasures[]): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const key of Object.keys(runs[0]?.measures ?? {})) {
    const values = runs.map((r) => r.measures[key]);
    out[key] = values.some((v) => v === null || v === undefined) ? null : median(values as number[]);
  }
  return out;
}

async function pool<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: Math.min(limit, queue.length) }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
    }),
  );
}

/** One compared scenario. */
export interface ClockComparison {
  name: string;
  runs: number;
  warp: RunMeasures[];
  real: RunMeasures[];
  skipped?: string;
}

/** Runs every built-in (or those of `only`) in both modes. */
export async function clockBench(
  log: (line: string) => void = () => undefined,
  only: readonly string[] = [],
): Promise<ClockComparison[]> {
  const names = BUILTINS.map((b) => b.name).filter((n) => only.length === 0 || only.includes(n));
  const unknown = only.filter((n) => !BUILTINS.some((b) => b.name === n));
  if (unknown.length) throw new Error(`clock: unknown scenarios ${unknown.join(', ')}; see pullstorm list`);
  const rows = new Map<string, ClockComparison>(
    names.map((name) => [
      name,
      {
        name,
        runs: TRIPLED.includes(name) ? 3 : 1,
        warp: [],
        real: [],
        ...(REAL_SKIPPED[name] ? { skipped: REAL_SKIPPED[name] } : {}),
      },
    ]),
  );
  const jobs = (mode: Mode) =>
    [...rows.values()].flatMap((r) =>
      mode === 'real' && r.skipped ? [] : Array.from({ length: r.runs }, (_, i) => ({ name: r.name, i })),
    );
  for (const { name, i } of jobs('warp')) {
    const m = await runOnce(name, 'warp', SEEDS[i]!);
    rows.get(name)!.warp[i] = m;
    log(`clock: ${name} warp ${m.verdict} in ${(m.wallMs / 1000).toFixed(1)} s`);
  }
  await pool(jobs('real'), REAL_CONCURRENCY, async ({ name, i }) => {
    const m = await runOnce(name, 'real', SEEDS[i]!);
    rows.get(name)!.real[i] = m;
    log(`clock: ${name} real ${m.verdict} in ${(m.wallMs / 1000).toFixed(1)} s`);
  });
  return [...rows.values()];
}

const seconds = (ms: number | null) => (ms === null ? '—' : `${(ms / 1000).toFixed(2)} s`);

/** The comparison as Markdown, with the target's verdict per measure. */
export function clockMarkdown(rows: ClockComparison[], footer: string): string {
  const lines = [
    '### Run clock fidelity: warp against real, same machine, same session',
    '',
    '| scenario | runs | measure | warp | real | difference | within max(15 %, 500 ms) |',
    '|---|---:|---|---:|---:|---:|---|',
  ];
  let within = 0;
  let compared = 0;
  let sameVerdicts = 0;
  let verdicts = 0;
  for (const row of rows) {
    const warp = combine(row.warp);
    if (row.skipped) {
      lines.push(`| ${row.name} | ${row.runs} | (real not run: ${row.skipped}) | | | | |`);
      continue;
    }
    const real = combine(row.real);
    verdicts++;
    const verdictW = row.warp.map((r) => r.verdict).join('/');
    const verdictR = row.real.map((r) => r.verdict).join('/');
    if (verdictW === verdictR) sameVerdicts++;
    lines.push(
      `| ${row.name} | ${row.runs} | verdict | ${verdictW} | ${verdictR} | | ${verdictW === verdictR ? 'same' : '**differs**'} |`,
    );
    for (const key of Object.keys(warp)) {
      const w = warp[key] ?? null;
      const r = real[key] ?? null;
      if (w === null && r === null) continue;
      const diff = w !== null && r !== null ? w - r : null;
      const ok = diff !== null && Math.abs(diff) <= Math.max(0.15 * Math.abs(r!), 500);
      compared++;
      if (ok) within++;
      const sign = diff === null ? '—' : `${diff >= 0 ? '+' : ''}${(diff / 1000).toFixed(2)} s`;
      lines.push(
        `| ${row.name} | ${row.runs} | ${key} | ${seconds(w)} | ${seconds(r)} | ${sign} | ${ok ? 'yes' : '**no**'} |`,
      );
    }
  }
  const wall = (mode: Mode) =>
    rows.reduce((n, r) => n + (median(r[mode].map((m) => m.wallMs)) ?? 0), 0) / 1000;
  lines.push(
    '',
    `${within} of ${compared} measures within max(15 %, 500 ms); verdicts identical in ${sameVerdicts} of ${verdicts} scenarios.`,
    `Wall time of one run of each scenario (the median where tripled), provisioning included: warp ${wall('warp').toFixed(0)} s, real ${wall('real').toFixed(0)} s (real runs ${REAL_CONCURRENCY} at a time).`,
    '',
    footer,
  );
  return lines.join('\n');
}
