/**
 * Plain-text rendering of a {@link Diagnosis} for a terminal: one table row per pod, then one
 * section per cause with each pod's evidence and the remediation once, so a storm of a thousand
 * pods with one cause reads as one problem. Prose wraps at `width`; evidence lines do not.
 */
import { CAUSE_IDS } from '../../vocab/causes.ts';
import type { Diagnosis, PodDiagnosis } from './diagnose.ts';

/** Options for {@link formatDiagnosis}. */
export interface FormatOptions {
  /** Column at which paragraphs wrap; default 100. */
  width?: number;
  /** Pods listed with evidence under each cause before `… and N more`; default 5. */
  podsPerCause?: number;
}

const noCause = 'back-off';

/** Word-wraps text to `width` columns, every line prefixed by `indent`. */
export function wrap(text: string, width: number, indent: string): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line !== '' && indent.length + line.length + 1 + word.length > width) {
      lines.push(indent + line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(indent + line);
  return lines.join('\n');
}

/** Left-aligned table with two spaces between columns; numeric columns are right-aligned. */
function table(rows: string[][], numeric: ReadonlySet<number>): string {
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((row) => row[col]!.length)));
  return rows
    .map((row) =>
      row
        .map((cell, col) => (numeric.has(col) ? cell.padStart(widths[col]!) : cell.padEnd(widths[col]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** The state column: what the pod is doing now as far as the events tell. */
function state(p: PodDiagnosis): string {
  if (p.recovered) return 'recovered';
  return p.cause === undefined ? 'backing off' : 'failing';
}

/** `Image-pull events: 14 (rate-limited 9, unclassified 1, repeat 4)`, causes in report order. */
function imageEventLine(result: Diagnosis): string {
  const order = [...CAUSE_IDS, 'repeat'] as string[];
  const entries = Object.entries(result.imageEvents).sort(([a], [b]) => order.indexOf(a) - order.indexOf(b));
  const total = entries.reduce((n, [, count]) => n + count, 0);
  return `Image-pull events: ${total} (${entries.map(([cause, count]) => `${cause} ${count}`).join(', ')})`;
}

/** Renders a diagnosis as readable text for a terminal (no colour, no trailing newline). */
export function formatDiagnosis(result: Diagnosis, options: FormatOptions = {}): string {
  const width = options.width ?? 100;
  const perCause = options.podsPerCause ?? 5;
  const seen = `${result.podsSeen} pod(s) seen, ${result.eventsRead} event(s) read, ${result.eventsSkipped} about other objects`;
  if (result.pods.length === 0) return `No image pull failures (${seen}).`;
  const out = [`${result.pods.length} pod(s) with image pull failures (${seen})`, imageEventLine(result), ''];
  const rows = [['POD', 'IMAGE', 'CAUSE', 'COUNT', 'LAST SEEN', 'STATE']];
  for (const p of result.pods) {
    const name = `${p.namespace}/${p.pod}${p.container === undefined ? '' : ` (${p.container})`}`;
    rows.push([name, p.image ?? '-', p.cause ?? noCause, String(p.count), p.lastSeen ?? '-', state(p)]);
  }
  out.push(table(rows, new Set([3])));
  const order = [...CAUSE_IDS, noCause];
  const groups = new Map<string, PodDiagnosis[]>();
  for (const p of result.pods) {
    const key = p.cause ?? noCause;
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  for (const cause of order.filter((c) => groups.has(c))) {
    const pods = groups.get(cause)!;
    const first = pods[0]!;
    out.push('', `${cause}: ${first.title} (${pods.length} pod(s))`);
    for (const p of pods.slice(0, perCause)) {
      // Evidence is data (URLs, digests): one item a line, never wrapped, so it can be copied.
      const evidence = p.evidence.length > 0 ? p.evidence : [p.message ?? 'no evidence recorded'];
      out.push(`  ${p.namespace}/${p.pod}`, ...evidence.map((line) => `    ${line}`));
    }
    if (pods.length > perCause) out.push(`  … and ${pods.length - perCause} more`);
    const notes = [...new Set(pods.map((p) => p.note).filter((n) => n !== undefined))];
    for (const note of notes) out.push(wrap(`Note: ${note}`, width, '  '));
    out.push(wrap(`Fix: ${first.remediation}`, width, '  '));
  }
  return out.join('\n');
}
