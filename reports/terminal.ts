/**
 * The few lines printed when a run ends: one row per fault with detection, recovery and verdict,
 * then where the reports are. Plain text without colour so it reads the same in a CI log.
 */
import type { Analysis } from '../harness/analyze/types.ts';
import { clockText, clockWarnings, timingText } from './clock.ts';
import { faultFacts, verdictLine } from './facts.ts';
import { scrubSummary } from './scrub.ts';

/** Lays out rows as columns two spaces apart, trailing spaces trimmed. */
export function textTable(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, [...cell].length);
    });
  }
  return rows
    .map((row) =>
      row
        .map((cell, i) => cell + ' '.repeat((widths[i] ?? 0) - [...cell].length))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** Where each report was written, by format name (e.g. `{ html: 'run/report.html' }`), in display order. */
export type ReportPathList = Readonly<Record<string, string>>;

/** A short table for the terminal: scenario, fault, detected in, recovered in, verdict; then report paths. */
export function formatTerminalSummary(analysis: Analysis, paths: ReportPathList = {}): string {
  const a = scrubSummary(analysis);
  const header = ['scenario', 'fault', 'detected in', 'recovered in', 'verdict'];
  const rows = a.faults.map((fault, i) => {
    const f = faultFacts(fault, a);
    return [i === 0 ? a.run.scenario : '', f.label, f.detectedFirst, f.recovered, f.verdict];
  });
  if (rows.length === 0) rows.push([a.run.scenario, '(no faults)', '—', '—', '—']);
  const timing = timingText(a);
  const lines = [
    `pullstorm ${a.run.scenario} (${a.run.id}): ${verdictLine(a)}`,
    [clockText(a), ...(timing === undefined ? [] : [timing])].join(' · '),
    ...clockWarnings(a),
    '',
    textTable([header, ...rows]),
  ];
  const entries = Object.entries(paths);
  if (entries.length > 0)
    lines.push('', 'reports:', textTable(entries.map(([name, path]) => [`  ${name}`, path])));
  return `${lines.join('\n')}\n`;
}
