/**
 * Chart: one row per pod, coloured by its state over time, with fault windows shaded and each
 * pod's own detection moment ticked. Capped at `maxRows` rows; a storm is shown aggregated by
 * `storm.ts` and only its first rows here, so the file stays small.
 */
import type { Analysis, PodTimeline } from '../../harness/analyze/types.ts';
import { escapeHtml } from '../escape.ts';
import { formatCount, formatMs } from '../format.ts';
import { type Band, faultMarkers, faultWindows, overlayLegend } from './overlay.ts';
import { categorise, POD_STATE_STYLE, POD_STATES, type PodStateCategory } from './states.ts';
import { figure, linear, MARGIN, n, timeAxis, WIDTH } from './svg.ts';

const ROW = 14;
const BAR = 10;

interface Segment {
  from: number;
  to: number;
  category: PodStateCategory;
  label: string;
}

/** A pod's states as contiguous segments, neighbours of one category merged. */
export function segments(pod: PodTimeline, endMs: number): Segment[] {
  const out: Segment[] = [];
  pod.states.forEach((s, i) => {
    const to = pod.states[i + 1]?.atMs ?? endMs;
    const category = categorise(s.phase, s.reason);
    const label = s.reason ? `${s.phase} (${s.reason})` : s.phase;
    const last = out.at(-1);
    if (last && last.category === category && last.label === label) last.to = to;
    else if (to > s.atMs || i === pod.states.length - 1)
      out.push({ from: s.atMs, to: Math.max(to, s.atMs), category, label });
  });
  return out;
}

function shortName(name: string): string {
  return name.length > 24 ? `${name.slice(0, 11)}…${name.slice(-12)}` : name;
}

function podRow(pod: PodTimeline, y: number, x: (ms: number) => number, endMs: number): string {
  const bars = segments(pod, endMs).map((s) => {
    const w = Math.max(1, x(s.to) - x(s.from));
    const tip = `${pod.pod}: ${s.label} ${formatMs(s.from)} – ${formatMs(s.to)}`;
    return `<rect x="${n(x(s.from))}" y="${n(y)}" width="${n(w)}" height="${BAR}" fill="${POD_STATE_STYLE[s.category].colour}"><title>${escapeHtml(tip)}</title></rect>`;
  });
  const label = `<text class="pod" x="${MARGIN.left - 6}" y="${n(y + BAR / 2)}" dy="0.32em" text-anchor="end">${escapeHtml(shortName(pod.pod))}<title>${escapeHtml(`${pod.pod} on ${pod.node}`)}</title></text>`;
  return label + bars.join('');
}

function detectionTicks(a: Analysis, rows: Map<string, number>, x: (ms: number) => number): string {
  const ticks: string[] = [];
  for (const f of a.faults) {
    for (const { pod, ms } of f.detection?.perPod ?? []) {
      const y = rows.get(pod);
      if (y === undefined) continue;
      const px = n(x(f.window.startMs + ms));
      ticks.push(
        `<path class="pod-detect" d="M${px} ${n(y - 2)}v${BAR + 4}"><title>${escapeHtml(`${pod}: ${f.id} detected +${formatMs(ms)}`)}</title></path>`,
      );
    }
  }
  return ticks.join('');
}

/** The per-pod timeline of the first `maxRows` pods. */
export function podTimelineChart(a: Analysis, maxRows: number): string {
  const pods = a.pods.slice(0, maxRows);
  const end = Math.max(a.run.durationMs, 1);
  const top = MARGIN.top + 6;
  const bottom = top + Math.max(pods.length, 1) * ROW;
  const x = linear(0, end, MARGIN.left, WIDTH - MARGIN.right);
  const band: Band = { x, top, bottom };
  const rows = new Map(pods.map((p, i) => [p.pod, top + i * ROW + (ROW - BAR) / 2] as const));
  const body = [
    faultWindows(a, band),
    ...pods.map((p) => podRow(p, rows.get(p.pod)!, x, end)),
    detectionTicks(a, rows, x),
    faultMarkers(a, band),
    timeAxis(x, end, bottom, top),
  ].join('');
  const shown =
    pods.length < a.pods.length
      ? `first ${formatCount(pods.length)} of ${formatCount(a.pods.length)}`
      : `${formatCount(pods.length)}`;
  const used = new Set(pods.flatMap((p) => p.states.map((s) => categorise(s.phase, s.reason))));
  return figure({
    id: 'chart-pods',
    title: `Pod states over time (${shown} pods)`,
    desc: `One row per pod, coloured by state from the run start to ${formatMs(end)}; ${a.faults.length} fault windows shaded, with first detection and recovery marked.`,
    height: bottom + MARGIN.bottom,
    body,
    legend: [
      ...POD_STATES.filter((s) => used.has(s)).map((s) => POD_STATE_STYLE[s]),
      ...(a.faults.some((f) => f.detection)
        ? [{ label: 'pod detected the fault', swatchClass: 'swatch-tick' }]
        : []),
      ...overlayLegend(a),
    ],
  });
}
