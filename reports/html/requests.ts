/**
 * Chart: registry requests per second, stacked by status class, so a rate-limit storm shows as a
 * wall of 429s. Long runs are bucketed (average requests per second per bucket) to bound the size.
 */
import type { Analysis } from '../../harness/analyze/types.ts';
import { escapeHtml } from '../escape.ts';
import { formatCount, formatMs, round } from '../format.ts';
import { faultWindows } from './overlay.ts';
import { figure, linear, MARGIN, n, timeAxis, valueAxis, WIDTH } from './svg.ts';

/** Status classes in stacking order; 429 has its own because it is what storms produce. */
export const STATUS_CLASSES = ['2xx', '3xx', '4xx', '429', '5xx', 'other'] as const;

/** One status class. */
export type StatusClass = (typeof STATUS_CLASSES)[number];

/** Label and colour of each status class. */
export const STATUS_STYLE: Readonly<Record<StatusClass, { label: string; colour: string }>> = {
  '2xx': { label: '2xx success', colour: '#009e73' },
  '3xx': { label: '3xx redirect', colour: '#56b4e9' },
  '4xx': { label: '4xx other than 429 (401, 404 …)', colour: '#f0e442' },
  '429': { label: '429 Too Many Requests', colour: '#d55e00' },
  '5xx': { label: '5xx server error', colour: '#882255' },
  other: { label: 'no HTTP status (connection faults)', colour: '#777777' },
};

/** The class of a status key, which may be a code (`429`) or already a class (`2xx`). */
export function statusClass(key: string): StatusClass {
  if (key === '429') return '429';
  const m = /^([1-5])(?:\d\d|xx)$/i.exec(key);
  const c = m ? (`${m[1]}xx` as const) : undefined;
  return c === '2xx' || c === '3xx' || c === '4xx' || c === '5xx' ? c : 'other';
}

/** The requests-per-second chart, at most `maxBuckets` bars wide. */
export function requestsChart(a: Analysis, maxBuckets = 240): string {
  const seconds = a.registry.perSecond;
  if (seconds.length === 0) return '<p class="empty">The registry recorded no requests.</p>';
  const lastSecond = seconds.reduce((m, s) => Math.max(m, s.second), 0);
  const span = Math.max(lastSecond + 1, Math.ceil(a.run.durationMs / 1000));
  const bucket = Math.max(1, Math.ceil(span / maxBuckets));
  const buckets = Array.from(
    { length: Math.ceil(span / bucket) },
    () => Object.fromEntries(STATUS_CLASSES.map((c) => [c, 0])) as Record<StatusClass, number>,
  );
  for (const s of seconds) {
    const b = buckets[Math.floor(s.second / bucket)]!;
    for (const [status, count] of Object.entries(s.byStatus)) b[statusClass(status)] += count / bucket;
  }
  const height = 280;
  const top = MARGIN.top + 6;
  const bottom = height - MARGIN.bottom;
  const peak = Math.max(1, ...buckets.map((b) => STATUS_CLASSES.reduce((sum, c) => sum + b[c], 0)));
  const x = linear(0, span * 1000, MARGIN.left, WIDTH - MARGIN.right);
  const y = linear(0, peak, bottom, top);
  const barWidth = Math.max(0.5, x(bucket * 1000) - x(0) - (bucket * 1000 > 0 ? 0.3 : 0));
  const bars: string[] = [];
  buckets.forEach((b, i) => {
    let base = 0;
    for (const c of STATUS_CLASSES) {
      if (b[c] === 0) continue;
      const tip = `${formatMs(i * bucket * 1000)}: ${round(b[c])} ${c} requests/s`;
      bars.push(
        `<rect x="${n(x(i * bucket * 1000))}" y="${n(y(base + b[c]))}" width="${n(barWidth)}" height="${n(y(base) - y(base + b[c]))}" fill="${STATUS_STYLE[c].colour}"><title>${escapeHtml(tip)}</title></rect>`,
      );
      base += b[c];
    }
  });
  const used = STATUS_CLASSES.filter((c) => buckets.some((b) => b[c] > 0));
  const body = [
    valueAxis(y, peak, MARGIN.left, WIDTH - MARGIN.right, (v) => round(v)),
    faultWindows(a, { x, top, bottom }),
    bars.join(''),
    timeAxis(x, span * 1000, bottom, top),
    `<text class="axis-label" x="14" y="${n((top + bottom) / 2)}" transform="rotate(-90 14 ${n((top + bottom) / 2)})" text-anchor="middle">requests/s</text>`,
  ].join('');
  return figure({
    id: 'chart-requests',
    title: `Registry requests per second by status (${formatCount(a.registry.tooManyRequests)} × 429)`,
    desc: `Stacked bars of ${formatCount(a.registry.requests)} registry requests over ${formatMs(span * 1000)}${bucket > 1 ? `, averaged over ${bucket}-second buckets` : ''}; peak ${round(peak)} requests per second.`,
    height,
    body,
    legend: used.map((c) => STATUS_STYLE[c]),
  });
}
