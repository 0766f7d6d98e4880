/**
 * Chart: distribution of pull latency. The analysis keeps only percentiles, so the samples are
 * read back from each pod's `Pulled` events, whose message carries kubelet's own measurement
 * (`… in 1.2s (1.5s including waiting)`); the "including waiting" figure is Pulling → Pulled.
 */
import type { Analysis } from '../../harness/analyze/types.ts';
import { escapeHtml } from '../escape.ts';
import { formatCount, formatMs } from '../format.ts';
import { figure, linear, lineLabel, MARGIN, n, niceStep, valueAxis, WIDTH } from './svg.ts';

const goUnits: Readonly<Record<string, number>> = {
  h: 3_600_000,
  m: 60_000,
  s: 1000,
  ms: 1,
  µs: 1e-3,
  us: 1e-3,
  ns: 1e-6,
};

/** Milliseconds of a Go duration text (`1m2.5s`, `850ms`), or undefined when it is not one. */
export function parseGoDuration(text: string): number | undefined {
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s|µs|us|ns)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) return undefined;
  return parts.reduce((sum, p) => sum + Number(p[1]) * goUnits[p[2]!]!, 0);
}

// Go durations have no spaces or parentheses: `1.2s`, `2m3.5s`, `850ms`.
const pulled =
  /^Successfully pulled image "(?:[^"\\]|\\.)*" in ((?:[\d.]+(?:h|ms|m|s|µs|us|ns))+)(?: \(((?:[\d.]+(?:h|ms|m|s|µs|us|ns))+) including waiting\))?/;

/** Every successful pull's latency in ms, from the pods' `Pulled` events. */
export function latencySamples(a: Analysis): number[] {
  const out: number[] = [];
  for (const pod of a.pods) {
    for (const e of pod.events) {
      if (e.reason !== 'Pulled') continue;
      const m = pulled.exec(e.message);
      const ms = m ? parseGoDuration(m[2] ?? m[1]!) : undefined;
      if (ms !== undefined) out.push(ms);
    }
  }
  return out;
}

/** The histogram of pull latency with the analysis' percentiles marked. */
export function latencyChart(a: Analysis): string {
  const samples = latencySamples(a);
  if (samples.length === 0)
    return '<p class="empty">No successful pull to draw a latency distribution from.</p>';
  const height = 260;
  const top = MARGIN.top + 6;
  const bottom = height - MARGIN.bottom;
  // A loop, not Math.max(...samples): a storm has more samples than a call may take arguments.
  const max = samples.reduce((m, v) => Math.max(m, v), 0);
  const min = samples.reduce((m, v) => Math.min(m, v), max);
  const width = niceStep(max, 30) || 1;
  const bins = Array.from({ length: Math.floor(max / width) + 1 }, () => 0);
  for (const s of samples) bins[Math.floor(s / width)]!++;
  const peak = Math.max(...bins);
  const x = linear(0, bins.length * width, MARGIN.left, WIDTH - MARGIN.right);
  const y = linear(0, peak, bottom, top);
  const bars = bins.map((count, i) => {
    if (count === 0) return '';
    const tip = `${formatMs(i * width)} – ${formatMs((i + 1) * width)}: ${formatCount(count)} pulls`;
    return `<rect class="bar" x="${n(x(i * width) + 0.5)}" y="${n(y(count))}" width="${n(Math.max(1, x(width) - x(0) - 1))}" height="${n(bottom - y(count))}"><title>${escapeHtml(tip)}</title></rect>`;
  });
  const l = a.pulls.latency;
  const marks = (
    [
      ['p50', l.p50],
      ['p95', l.p95],
      ['p99', l.p99],
    ] as const
  ).map(([name, v], i) =>
    v === null
      ? ''
      : `<g class="pct"><line x1="${n(x(v))}" x2="${n(x(v))}" y1="${n(top)}" y2="${n(bottom)}"/>${lineLabel(x(v), top + 10 + i * 12, `${name} ${formatMs(v)}`)}</g>`,
  );
  const step = niceStep(bins.length * width, 8);
  const xTicks: string[] = [
    `<line class="axis" x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${n(bottom)}" y2="${n(bottom)}"/>`,
  ];
  for (let v = 0; v <= bins.length * width + 1e-6; v += step) {
    xTicks.push(
      `<text class="tick" x="${n(x(v))}" y="${n(bottom + 14)}" text-anchor="middle">${escapeHtml(formatMs(v))}</text>`,
    );
  }
  const body = [
    valueAxis(y, peak, MARGIN.left, WIDTH - MARGIN.right, (v) => formatCount(v), true),
    bars.join(''),
    marks.join(''),
    xTicks.join(''),
  ].join('');
  return figure({
    id: 'chart-latency',
    title: `Pull latency distribution (${formatCount(samples.length)} pulls)`,
    desc: `Histogram of Pulling to Pulled times in ${formatMs(width)} bins, from ${formatMs(min)} to ${formatMs(max)}; p50 ${l.p50 === null ? 'n/a' : formatMs(l.p50)}, p95 ${l.p95 === null ? 'n/a' : formatMs(l.p95)}.`,
    height,
    body,
    legend: [{ label: 'pulls per bin', colour: '#0072b2' }],
  });
}
