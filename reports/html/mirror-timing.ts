/**
 * report.html's mirror timing: a chart of pull time per group — direct to the origin, through
 * the mirror cold and warm, and each fault that took the mirror down — as a p50 bar with a p95
 * whisker on one time axis, so "what the mirror adds" and "what a dead mirror costs" read at a
 * glance; then the same numbers as a table with n per group.
 */
import type { Analysis } from '../../harness/analyze/types.ts';
import { escapeHtml } from '../escape.ts';
import { formatMs } from '../format.ts';
import { mirrorTimingRows } from '../mirror-timing.ts';
import { table } from './markup.ts';
import { figure, linear, MARGIN, n, niceStep, WIDTH } from './svg.ts';

const ROW = 26;
/** The group column needs more room than a chart's usual value labels. */
const LEFT = 330;

interface Bar {
  label: string;
  n: number;
  p50: number;
  p95: number;
}

function bars(a: Analysis): Bar[] {
  const out: Bar[] = [];
  for (const m of a.mirrors ?? []) {
    const l = m.latency;
    const groups = [
      [`${m.name}: direct to the origin`, l.direct],
      [`${m.name}: through the mirror, cold`, l.cold],
      [`${m.name}: through the mirror, warm`, l.warm],
      ...m.fallback.map((f) => [`${m.name} down (${f.fault}): fallback`, f.down] as const),
    ] as const;
    for (const [label, g] of groups) {
      if (g.n > 0 && g.p50 !== null && g.p95 !== null) out.push({ label, n: g.n, p50: g.p50, p95: g.p95 });
    }
  }
  return out;
}

/** The chart and table, or nothing when no mirror had a pull to time. */
export function mirrorTimingSection(a: Analysis): string {
  const { header, rows } = mirrorTimingRows(a);
  if (rows.length === 0) return '';
  const list = bars(a);
  const tableHtml = table(header, rows, {
    caption:
      'Mirror timing: successful pull times in this run. Added = cold or warm minus direct; for a fallback, minus the pulls through the mirror while it was up.',
    numeric: [2, 3, 4, 5, 6, 7],
  });
  if (list.length === 0) return tableHtml;
  const height = MARGIN.top + list.length * ROW + MARGIN.bottom;
  const bottom = height - MARGIN.bottom;
  const max = list.reduce((m, b) => Math.max(m, b.p95), 0) || 1;
  const x = linear(0, max * 1.05, LEFT, WIDTH - MARGIN.right);
  const body = list.map((b, i) => {
    const y = MARGIN.top + i * ROW;
    const tip = `${b.label}: p50 ${formatMs(b.p50)}, p95 ${formatMs(b.p95)}, ${b.n} pulls`;
    return [
      `<text class="tick" x="${LEFT - 6}" y="${n(y + ROW / 2)}" dy="0.32em" text-anchor="end">${escapeHtml(`${b.label} (n ${b.n})`)}</text>`,
      `<rect class="bar" x="${LEFT}" y="${n(y + 5)}" width="${n(Math.max(1, x(b.p50) - LEFT))}" height="${ROW - 10}"><title>${escapeHtml(tip)}</title></rect>`,
      `<line class="axis" x1="${n(x(b.p50))}" x2="${n(x(b.p95))}" y1="${n(y + ROW / 2)}" y2="${n(y + ROW / 2)}"/>`,
      `<line class="axis" x1="${n(x(b.p95))}" x2="${n(x(b.p95))}" y1="${n(y + 7)}" y2="${n(y + ROW - 7)}"/>`,
    ].join('');
  });
  const step = niceStep(max * 1.05, 6) || 1;
  const axis = [
    `<line class="axis" x1="${LEFT}" x2="${WIDTH - MARGIN.right}" y1="${n(bottom)}" y2="${n(bottom)}"/>`,
  ];
  for (let v = 0; v <= max * 1.05 + 1e-6; v += step) {
    axis.push(
      `<text class="tick" x="${n(x(v))}" y="${n(bottom + 14)}" text-anchor="middle">${escapeHtml(formatMs(v))}</text>`,
    );
  }
  const chart = figure({
    id: 'chart-mirror-timing',
    title: 'Pull time through the mirror, direct, and while the mirror was down',
    desc: list
      .map((b) => `${b.label}: p50 ${formatMs(b.p50)}, p95 ${formatMs(b.p95)} over ${b.n} pulls`)
      .join('; '),
    height,
    body: body.join('') + axis.join(''),
    legend: [
      { label: 'p50 (bar)', colour: '#0072b2' },
      { label: 'p95 (whisker end)', colour: '#333333' },
    ],
  });
  return chart + tableHtml;
}
