/**
 * The side-by-side of a scenario's variants (`variants:`): one row per variant from its analysis,
 * written beside the variants' run directories as `<scenario>-comparison.json` and
 * `<scenario>-comparison.html`. The baseline for ratios is the variant named `none`, else the first.
 */
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { type Comparison, type ComparisonRow, renderComparisonHtml } from '../../reports/comparison.ts';
import type { Analysis } from '../analyze/types.ts';
import type { SuiteEntry } from './suite.ts';

function allRunningMs(a: Analysis): number | null {
  let last = 0;
  for (const pod of a.pods) {
    const running = pod.states.find((s) => s.phase === 'Running');
    if (!running) return null;
    last = Math.max(last, running.atMs);
  }
  return a.pods.length > 0 ? last : null;
}

/** The comparisons of every variant group among `entries`. */
export function comparisons(entries: readonly SuiteEntry[]): Comparison[] {
  const groups = new Map<string, SuiteEntry[]>();
  for (const e of entries) if (e.variant) groups.set(e.variant.of, [...(groups.get(e.variant.of) ?? []), e]);
  return [...groups].map(([scenario, group]) => {
    const rows = group.map((e): ComparisonRow => {
      const a = e.result?.analysis;
      const mirrorRequests = (a?.mirrors ?? []).reduce((n, m) => n + m.requests, 0);
      return {
        variant: e.variant!.name,
        scenario: e.scenario,
        verdict: a?.verdict ?? 'not run',
        allRunningMs: a ? allRunningMs(a) : null,
        pullLatency: {
          p50: a?.pulls.latency.p50 ?? null,
          p95: a?.pulls.latency.p95 ?? null,
          max: a?.pulls.latency.max ?? null,
        },
        originRequests: a ? a.registry.requests - mirrorRequests : 0,
        originBlobBytes: a?.registry.originBlobBytes ?? 0,
        originByteRatio: null,
        amplification: a?.registry.amplification ?? null,
        tooManyRequests: a?.registry.tooManyRequests ?? 0,
        failedAttempts: a?.pulls.failed ?? 0,
        ...(e.result?.reports.html ? { report: e.result.reports.html } : {}),
      };
    });
    const base = rows.find((r) => r.variant === 'none') ?? rows[0]!;
    for (const r of rows)
      r.originByteRatio = base.originBlobBytes > 0 ? r.originBlobBytes / base.originBlobBytes : null;
    return { scenario, baseline: base.variant, rows };
  });
}

/** Writes each comparison beside its variants' run directories; returns the files written. */
export async function writeComparisons(entries: readonly SuiteEntry[]): Promise<string[]> {
  const written: string[] = [];
  for (const c of comparisons(entries)) {
    const first = entries.find((e) => e.variant?.of === c.scenario && e.result);
    if (!first?.result) continue;
    const dir = dirname(first.result.outDir);
    const json = join(dir, `${c.scenario}-comparison.json`);
    const html = join(dir, `${c.scenario}-comparison.html`);
    await writeFile(json, `${JSON.stringify(c, null, 2)}\n`);
    await writeFile(html, renderComparisonHtml(c));
    written.push(json, html);
  }
  return written;
}
