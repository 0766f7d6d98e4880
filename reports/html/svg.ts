/**
 * Small SVG building blocks for the report's charts: scales, ticks, axes and an accessible figure
 * wrapper. Charts are drawn server-side as strings, so the report needs no script or library and
 * opens the same from file://, in a CI artefact viewer or printed.
 */
import { escapeHtml } from '../escape.ts';
import { formatMs } from '../format.ts';

/** Chart width in SVG user units; figures scale to the page width through viewBox. */
export const WIDTH = 1000;

/** Plot margins shared by the charts, so their time axes line up when stacked. */
export const MARGIN = { top: 24, right: 16, bottom: 36, left: 150 } as const;

/** A coordinate with at most one decimal: keeps 10,000-pod charts small. */
export function n(v: number): string {
  return String(Math.round(v * 10) / 10);
}

/** A linear map from [d0, d1] to [r0, r1]; a zero-width domain maps to r0. */
export function linear(d0: number, d1: number, r0: number, r1: number): (v: number) => number {
  const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0);
  return (v) => r0 + (v - d0) * k;
}

/** A 1-2-5 step that divides `range` into about `count` parts. */
export function niceStep(range: number, count = 6): number {
  if (!(range > 0)) return 1;
  const raw = range / count;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const f = raw / pow;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * pow;
}

/** Tick values from 0 to at least `max` in nice steps; whole numbers only when `integer`. */
export function ticks(max: number, count = 6, integer = false): number[] {
  // Counts of pods or pulls have no halves: an integer axis steps by at least 1.
  const step = integer ? Math.max(1, niceStep(max, count)) : niceStep(max, count);
  const out: number[] = [];
  for (let v = 0; v <= max + step * 1e-9; v += step) out.push(Math.round(v * 1e6) / 1e6);
  return out;
}

// Steps a clock reads naturally: 15 s, 30 s, 1 m, 5 m … rather than 1-2-5 multiples of a second.
const clockSteps = [
  1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14_400, 21_600, 43_200, 86_400,
];

/** A tick step in ms for a time axis of `durationMs`, about six ticks, in clock-friendly units. */
export function timeStep(durationMs: number, count = 6): number {
  // Sub-second steps only when the whole run is that short.
  if (durationMs < 5000) return niceStep(durationMs, count);
  const raw = durationMs / 1000 / count;
  return (clockSteps.find((s) => s >= raw) ?? niceStep(raw, 1)) * 1000;
}

/** A horizontal time axis (ms from the run start) along `y`, with gridlines up to `top`. */
export function timeAxis(x: (ms: number) => number, durationMs: number, y: number, top: number): string {
  const step = timeStep(durationMs);
  const parts: string[] = [
    `<line class="axis" x1="${n(x(0))}" x2="${n(x(durationMs))}" y1="${n(y)}" y2="${n(y)}"/>`,
  ];
  for (let ms = 0; ms <= durationMs + 1e-6; ms += step) {
    const px = n(x(ms));
    parts.push(`<line class="grid" x1="${px}" x2="${px}" y1="${n(top)}" y2="${n(y)}"/>`);
    parts.push(
      `<text class="tick" x="${px}" y="${n(y + 14)}" text-anchor="middle">${escapeHtml(formatMs(ms))}</text>`,
    );
  }
  return parts.join('');
}

/** A vertical value axis along `x0` with horizontal gridlines across to `x1`; `integer` for counts. */
export function valueAxis(
  y: (v: number) => number,
  max: number,
  x0: number,
  x1: number,
  label: (v: number) => string,
  integer = false,
): string {
  return ticks(max, 4, integer)
    .map((v) => {
      const py = n(y(v));
      return `<line class="grid" x1="${n(x0)}" x2="${n(x1)}" y1="${py}" y2="${py}"/><text class="tick" x="${n(x0 - 6)}" y="${py}" dy="0.32em" text-anchor="end">${escapeHtml(label(v))}</text>`;
    })
    .join('');
}

/** A label beside a vertical line at `px`; near the right edge it goes left of the line so it is not cut off. */
export function lineLabel(px: number, y: number, text: string): string {
  const left = px > WIDTH - MARGIN.right - 110;
  return `<text x="${n(left ? px - 3 : px + 3)}" y="${n(y)}"${left ? ' text-anchor="end"' : ''}>${escapeHtml(text)}</text>`;
}

/** One legend entry: a colour swatch and its label. */
export interface LegendItem {
  label: string;
  /** Fill of the swatch; unused when `swatchClass` draws it. */
  colour?: string;
  /** CSS class that draws the swatch instead, e.g. a hatched fault window. */
  swatchClass?: string;
}

/** An HTML legend under a chart; text, so it is readable without colour. */
export function legend(items: readonly LegendItem[]): string {
  const entries = items.map(
    (i) =>
      // A swatch class draws its own sample (a dashed line, a hatched window); otherwise the colour.
      `<li><span class="swatch${i.swatchClass ? ` ${i.swatchClass}"` : `" style="background:${i.colour}"`}></span>${escapeHtml(i.label)}</li>`,
  );
  return `<ul class="legend">${entries.join('')}</ul>`;
}

/** What a chart figure is made of. */
export interface FigureParts {
  /** Unique in the page; used for aria ids. */
  id: string;
  title: string;
  /** A sentence a screen reader reads instead of the picture. */
  desc: string;
  height: number;
  body: string;
  legend?: readonly LegendItem[];
}

/** An accessible <figure> with an inline SVG (title, desc, role=img) and an optional legend. */
export function figure(p: FigureParts): string {
  const t = `${p.id}-title`;
  const d = `${p.id}-desc`;
  const svg = `<svg id="${p.id}" class="chart" role="img" aria-labelledby="${t} ${d}" viewBox="0 0 ${WIDTH} ${n(p.height)}" xmlns="http://www.w3.org/2000/svg"><title id="${t}">${escapeHtml(p.title)}</title><desc id="${d}">${escapeHtml(p.desc)}</desc>${p.body}</svg>`;
  return `<figure><figcaption>${escapeHtml(p.title)}</figcaption>${svg}${p.legend ? legend(p.legend) : ''}</figure>`;
}
