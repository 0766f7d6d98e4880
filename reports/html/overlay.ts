/**
 * What the pod charts draw over time besides the pods: each fault's window shaded, and lines where
 * it was first detected and where every affected pod had recovered. Shared by the per-pod rows and
 * the aggregated storm chart so both read the same.
 */
import type { Analysis } from '../../harness/analyze/types.ts';
import { escapeHtml } from '../escape.ts';
import { isDetectable } from '../facts.ts';
import { formatMs } from '../format.ts';
import { type LegendItem, lineLabel, n } from './svg.ts';

/** The vertical band a chart's plot occupies. */
export interface Band {
  x: (ms: number) => number;
  top: number;
  bottom: number;
}

/** Shaded windows of every fault, labelled above the plot; drawn first, under the data. */
export function faultWindows(a: Analysis, { x, top, bottom }: Band): string {
  const end = a.run.durationMs;
  return a.faults
    .map((f) => {
      const x0 = x(f.window.startMs);
      const x1 = x(f.window.endMs ?? end);
      const label = `${f.fault}${f.id === f.fault ? '' : ` (${f.id})`}${f.tolerance ? ' — tolerated' : f.detection || !isDetectable(f) ? '' : ' — never detected'}`;
      return `<g class="fault"><rect class="fault-window" x="${n(x0)}" y="${n(top)}" width="${n(Math.max(1, x1 - x0))}" height="${n(bottom - top)}"><title>${escapeHtml(`${label}: ${formatMs(f.window.startMs)} – ${f.window.endMs === null ? 'end (never cleared)' : formatMs(f.window.endMs)}`)}</title></rect><text class="fault-label" x="${n(x0 + 3)}" y="${n(top - 6)}">${escapeHtml(label)}</text></g>`;
    })
    .join('');
}

function marker(cls: string, px: number, { top, bottom }: Band, label: string, row: number): string {
  const y = top + 12 + row * 13;
  return `<g class="${cls}"><line x1="${n(px)}" x2="${n(px)}" y1="${n(top)}" y2="${n(bottom)}"/>${lineLabel(px, y, label)}</g>`;
}

/** Detection and recovery lines of every fault, drawn last, over the data. */
export function faultMarkers(a: Analysis, band: Band): string {
  return a.faults
    .map((f, i) => {
      const parts: string[] = [];
      // Alternate label rows so two faults' markers close in time do not print over each other.
      const row = (i % 2) * 2;
      if (f.detection) {
        const at = f.window.startMs + f.detection.first.ms;
        parts.push(marker('detect', band.x(at), band, `detected +${formatMs(f.detection.first.ms)}`, row));
      }
      if (f.recovery && f.window.endMs !== null) {
        const at = f.window.endMs + f.recovery.ms;
        parts.push(marker('recover', band.x(at), band, `recovered +${formatMs(f.recovery.ms)}`, row + 1));
      }
      return parts.join('');
    })
    .join('');
}

/** Legend entries for the overlay parts this run has. */
export function overlayLegend(a: Analysis): LegendItem[] {
  const items: LegendItem[] = [];
  if (a.faults.length > 0) items.push({ label: 'fault window', swatchClass: 'swatch-fault' });
  if (a.faults.some((f) => f.detection))
    items.push({ label: 'first detection', swatchClass: 'swatch-detect' });
  if (a.faults.some((f) => f.recovery)) {
    items.push({
      label: 'all affected pods recovered',

      swatchClass: 'swatch-recover',
    });
  }
  return items;
}
