/**
 * Chart: pods by state over time as a stacked area. This is how a storm of thousands of pods is
 * drawn: its size depends on the number of time samples, not of pods.
 */
import type { Analysis } from '../../harness/analyze/types.ts';
import { formatCount, formatMs } from '../format.ts';
import { faultMarkers, faultWindows, overlayLegend } from './overlay.ts';
import { categorise, POD_STATE_STYLE, POD_STATES, type PodStateCategory } from './states.ts';
import { figure, linear, MARGIN, n, timeAxis, valueAxis, WIDTH } from './svg.ts';

const HEIGHT = 320;

/** Pods in each state at `samples + 1` evenly spaced instants from 0 to the run's end. */
export function stateCounts(
  a: Analysis,
  samples: number,
): { atMs: number[]; counts: Record<PodStateCategory, number[]> } {
  const end = Math.max(a.run.durationMs, 1);
  const atMs = Array.from({ length: samples + 1 }, (_, i) => (end * i) / samples);
  const counts = Object.fromEntries(POD_STATES.map((s) => [s, atMs.map(() => 0)])) as Record<
    PodStateCategory,
    number[]
  >;
  for (const pod of a.pods) {
    const states = [...pod.states].sort((p, q) => p.atMs - q.atMs);
    let j = -1;
    // One pass per pod: the state pointer only moves forward as the sample instant does.
    atMs.forEach((t, i) => {
      while (j + 1 < states.length && states[j + 1]!.atMs <= t) j++;
      const s = states[j];
      if (s !== undefined) counts[categorise(s.phase, s.reason)][i]!++;
    });
  }
  return { atMs, counts };
}

/** The stacked area of pods by state, with fault windows and markers. */
export function stormChart(a: Analysis, samples = 240): string {
  const end = Math.max(a.run.durationMs, 1);
  const { atMs, counts } = stateCounts(a, samples);
  const top = MARGIN.top + 6;
  const bottom = HEIGHT - MARGIN.bottom;
  const totals = atMs.map((_, i) => POD_STATES.reduce((sum, s) => sum + counts[s][i]!, 0));
  const max = Math.max(1, ...totals);
  const x = linear(0, end, MARGIN.left, WIDTH - MARGIN.right);
  const y = linear(0, max, bottom, top);
  const base = atMs.map(() => 0);
  const layers: string[] = [];
  for (const state of POD_STATES) {
    const values = counts[state];
    if (values.every((v) => v === 0)) continue;
    const upper = base.map((b, i) => b + values[i]!);
    const line = atMs.map((t, i) => `${n(x(t))} ${n(y(upper[i]!))}`);
    const back = atMs.map((t, i) => `${n(x(t))} ${n(y(base[i]!))}`).reverse();
    layers.push(
      `<path d="M${line.join('L')}L${back.join('L')}Z" fill="${POD_STATE_STYLE[state].colour}"><title>${POD_STATE_STYLE[state].label}: up to ${formatCount(Math.max(...values))} pods</title></path>`,
    );
    base.splice(0, base.length, ...upper);
  }
  const band = { x, top, bottom };
  const body = [
    valueAxis(y, max, MARGIN.left, WIDTH - MARGIN.right, (v) => formatCount(v), true),
    layers.join(''),
    faultWindows(a, band),
    faultMarkers(a, band),
    timeAxis(x, end, bottom, top),
    `<text class="axis-label" x="14" y="${n((top + bottom) / 2)}" transform="rotate(-90 14 ${n((top + bottom) / 2)})" text-anchor="middle">pods</text>`,
  ].join('');
  const used = POD_STATES.filter((s) => counts[s].some((v) => v > 0));
  return figure({
    id: 'chart-storm',
    title: `Pods by state over time (all ${formatCount(a.pods.length)} pods)`,
    desc: `Stacked area: how many pods were in each state at ${samples + 1} instants from the run start to ${formatMs(end)}; at most ${formatCount(max)} pods at once.`,
    height: HEIGHT,
    body,
    legend: [...used.map((s) => POD_STATE_STYLE[s]), ...overlayLegend(a)],
  });
}
