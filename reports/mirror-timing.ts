/**
 * The words and rows for `mirrors[].latency` and `mirrors[].fallback` (harness/analyze/
 * mirror-timing.ts), shared by summary.md and report.html. Each line says what was compared and
 * how many pulls each side had, because a p95 of two pulls is not a p95 of two hundred.
 */

import type { AddedMs, MirrorFallback, PullGroup } from '../harness/analyze/mirror-timing.ts';
import type { MirrorMeasures } from '../harness/analyze/mirrors.ts';
import type { Analysis } from '../harness/analyze/types.ts';
import { formatMs } from './format.ts';

const ms = (v: number | null) => (v === null ? '—' : formatMs(v));
const signed = (v: number | null) => (v === null ? '—' : `${v < 0 ? '−' : '+'}${formatMs(Math.abs(v))}`);

/** `p50 X / p95 Y (n N)`, or `no pulls`. */
export function groupText(g: PullGroup): string {
  return g.n === 0 ? 'no pulls' : `p50 ${ms(g.p50)} / p95 ${ms(g.p95)} (n ${g.n})`;
}

/** `+X / +Y` at p50 / p95. */
export function addedText(a: AddedMs): string {
  return `${signed(a.p50)} / ${signed(a.p95)}`;
}

/** Whether the mirror had any pull to time (else its timing lines would all say "no pulls"). */
const timed = (m: MirrorMeasures) =>
  m.latency.direct.n + m.latency.cold.n + m.latency.warm.n > 0 || m.fallback.length > 0;

const fallbackName = (f: MirrorFallback) => `${f.fault} (${f.kind}${f.mode ? ` ${f.mode}` : ''})`;

/** Markdown lines: latency added per mirror, then one line per fault that took it down. */
export function mirrorTimingLines(a: Analysis): string[] {
  return (a.mirrors ?? []).filter(timed).flatMap((m) => {
    const l = m.latency;
    const lines = [
      `**Mirror ${m.name} latency** (successful pull times of the same run) direct to the origin ${groupText(l.direct)} · through the mirror, cold (miss) ${groupText(l.cold)}, warm (hit) ${groupText(l.warm)} · added by the mirror (p50 / p95): cold ${addedText(l.added.cold)}, warm ${addedText(l.added.warm)}`,
    ];
    for (const f of m.fallback) {
      lines.push(
        `**Mirror ${m.name} down: ${fallbackName(f)}** pulls on its nodes while applied, served by the next host: ${groupText(f.down)}${f.failed > 0 ? `, ${f.failed} failed` : ''} · with the mirror up ${groupText(f.up)} · added ${addedText(f.added)}`,
      );
    }
    return lines;
  });
}

/** Rows of the mirror timing table: one per group (direct, cold, warm, each fallback). */
export function mirrorTimingRows(a: Analysis): { header: string[]; rows: string[][] } {
  const header = ['mirror', 'pulls', 'n', 'p50', 'p95', 'max', 'added p50', 'added p95'];
  const rows: string[][] = [];
  for (const m of (a.mirrors ?? []).filter(timed)) {
    const l = m.latency;
    const row = (what: string, g: PullGroup, added?: AddedMs) => [
      m.name,
      what,
      String(g.n),
      ms(g.p50),
      ms(g.p95),
      ms(g.max),
      added ? signed(added.p50) : '',
      added ? signed(added.p95) : '',
    ];
    rows.push(row('direct to the origin (no mirror in hosts.toml)', l.direct));
    rows.push(row('through the mirror, cold (miss)', l.cold, l.added.cold));
    rows.push(row('through the mirror, warm (hit)', l.warm, l.added.warm));
    for (const f of m.fallback) {
      const failed = f.failed > 0 ? `; ${f.failed} failed` : '';
      rows.push(row(`mirror down, ${fallbackName(f)}: fallback to the next host${failed}`, f.down, f.added));
    }
  }
  return { header, rows };
}
