/**
 * Side by side of separate runs of one scenario, from their report.json files: for remedies that a
 * scenario's `variants:` cannot switch, because they live in the cluster rather than the scenario
 * (Spegel installed or not, in .github/workflows/p2p.yml). The first run is the baseline for the
 * origin-byte ratio. Prints a Markdown table (for $GITHUB_STEP_SUMMARY).
 *
 *   node scripts/compare-runs.ts none=runs/none/report.json spegel=runs/spegel/report.json
 */
import { readFile } from 'node:fs/promises';

/** The parts of report.json the table reads (reports/schema/report.schema.json). */
export interface ReportSummary {
  verdict: string;
  pulls: { failed: number; latency: { p50: number | null; p95: number | null; max: number | null } };
  registry: { requests: number; originBlobBytes: number; amplification: number | null };
}

const seconds = (ms: number | null) => (ms === null ? '—' : `${(ms / 1000).toFixed(1)} s`);
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

/** The Markdown table of `runs`, the first being the baseline (pure). */
export function compareReports(runs: readonly { name: string; report: ReportSummary }[]): string {
  if (runs.length === 0) throw new RangeError('expected at least one name=report.json, got none');
  const base = runs[0]!.report.registry.originBlobBytes;
  const lines = [
    `| run | verdict | pull p50 | pull p95 | pull max | failed pulls | origin requests | origin blob bytes | vs ${runs[0]!.name} | amplification |`,
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const { name, report: r } of runs) {
    const ratio = base > 0 ? `${(r.registry.originBlobBytes / base).toFixed(2)}×` : '—';
    const amp = r.registry.amplification === null ? '—' : r.registry.amplification.toFixed(2);
    lines.push(
      `| ${name} | ${r.verdict} | ${seconds(r.pulls.latency.p50)} | ${seconds(r.pulls.latency.p95)} | ${seconds(r.pulls.latency.max)} | ${r.pulls.failed} | ${r.registry.requests} | ${mib(r.registry.originBlobBytes)} | ${ratio} | ${amp} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** `name=path` arguments, each split; throws on one without `=`. */
export function parseRunArgs(args: readonly string[]): { name: string; path: string }[] {
  return args.map((arg) => {
    const at = arg.indexOf('=');
    if (at < 1) throw new TypeError(`expected name=path/to/report.json, got ${JSON.stringify(arg)}`);
    return { name: arg.slice(0, at), path: arg.slice(at + 1) };
  });
}

if (import.meta.main) {
  const runs = await Promise.all(
    parseRunArgs(process.argv.slice(2)).map(async ({ name, path }) => ({
      name,
      report: JSON.parse(await readFile(path, 'utf8')) as ReportSummary,
    })),
  );
  process.stdout.write(compareReports(runs));
}
