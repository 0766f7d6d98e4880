/**
 * comparison.html: one scenario's variants side by side — a table and one bar chart per measure
 * (time until all pods Running, pull latency p95, origin blob bytes, failed attempts), each
 * variant a bar, so the remedy that helps stands out. Self-contained, no scripts.
 */
import { escapeHtml } from './escape.ts';
import { formatAmplification, formatBytes, formatCount, formatPercentile } from './format.ts';
import { table } from './html/markup.ts';

/** One variant's numbers (see harness/run/comparison.ts). */
export interface ComparisonRow {
  variant: string;
  scenario: string;
  verdict: string;
  /** From the run's start to the last pod Running; null when some pod never ran. */
  allRunningMs: number | null;
  pullLatency: { p50: number | null; p95: number | null; max: number | null };
  /** Requests the origin (not a mirror) answered. */
  originRequests: number;
  originBlobBytes: number;
  /** This variant's origin blob bytes ÷ the baseline's. */
  originByteRatio: number | null;
  amplification: number | null;
  tooManyRequests: number;
  failedAttempts: number;
  report?: string;
}

/** The comparison of one scenario's variants. */
export interface Comparison {
  scenario: string;
  baseline: string;
  rows: ComparisonRow[];
}

const ratio = (v: number | null) => (v === null ? '—' : `${v.toFixed(2)}×`);

/** Horizontal bars, one per variant, for one measure. */
function bars(
  title: string,
  rows: readonly ComparisonRow[],
  value: (r: ComparisonRow) => number | null,
  label: (v: number) => string,
): string {
  const values = rows.map(value);
  const max = Math.max(1e-9, ...values.map((v) => v ?? 0));
  const height = 24 * rows.length + 30;
  const items = rows
    .map((r, i) => {
      const v = values[i] ?? null;
      const y = 24 + i * 24;
      const w = v === null ? 0 : Math.max(1, (v / max) * 300);
      const text = v === null ? 'never' : label(v);
      return `<text x="0" y="${y + 12}">${escapeHtml(r.variant)}</text><rect x="110" y="${y}" width="${w.toFixed(1)}" height="16" class="bar"/><text x="${(115 + w).toFixed(1)}" y="${y + 12}">${escapeHtml(text)}</text>`;
    })
    .join('');
  return `<figure><svg role="img" aria-label="${escapeHtml(title)}" width="520" height="${height}" viewBox="0 0 520 ${height}"><title>${escapeHtml(title)}</title><text x="0" y="12" class="t">${escapeHtml(title)}</text>${items}</svg></figure>`;
}

/** The whole page. */
export function renderComparisonHtml(c: Comparison): string {
  const rows = c.rows.map((r) => [
    r.variant,
    r.verdict,
    formatPercentile(r.allRunningMs),
    formatPercentile(r.pullLatency.p50),
    formatPercentile(r.pullLatency.p95),
    formatPercentile(r.pullLatency.max),
    formatCount(r.originRequests),
    formatBytes(r.originBlobBytes),
    ratio(r.originByteRatio),
    formatAmplification(r.amplification),
    formatCount(r.tooManyRequests),
    formatCount(r.failedAttempts),
  ]);
  const head = [
    'variant',
    'verdict',
    'all pods Running',
    'pull p50',
    'pull p95',
    'pull max',
    'origin requests',
    'origin blob bytes',
    `vs ${c.baseline}`,
    'amplification',
    '429s',
    'failed attempts',
  ];
  const charts = [
    bars('Time until all pods Running', c.rows, (r) => r.allRunningMs, formatPercentile),
    bars('Pull latency p95', c.rows, (r) => r.pullLatency.p95, formatPercentile),
    bars('Origin blob bytes', c.rows, (r) => r.originBlobBytes, formatBytes),
    bars('Failed pull attempts', c.rows, (r) => r.failedAttempts, formatCount),
  ].join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(c.scenario)}: variants compared</title>
<style>body{font:14px system-ui,sans-serif;margin:2rem;max-width:72rem}table{border-collapse:collapse}td,th{padding:.25rem .6rem;border-bottom:1px solid #ddd}.num{text-align:right}.bar{fill:#3b6ea5}svg text{font:12px system-ui,sans-serif}.t{font-weight:600}figure{display:inline-block;margin:1rem 1rem 0 0}</style>
</head><body>
<h1>${escapeHtml(c.scenario)}: variants compared</h1>
<p>Each variant ran on fresh nodes. Ratios are against <code>${escapeHtml(c.baseline)}</code>.</p>
${table(head, rows, { numeric: [2, 3, 4, 5, 6, 7, 8, 9, 10, 11] })}
<section>${charts}</section>
</body></html>
`;
}
