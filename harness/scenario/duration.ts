/**
 * Durations as Go's `time.ParseDuration` and Kubernetes (`metav1.Duration`) write them — `500ms`,
 * `30s`, `2m`, `1h30m`, `1.5h` — parsed into milliseconds. Go also allows a sign; a scenario never
 * needs a negative duration, so a sign is an error here. Days are not a unit in Go, nor here.
 */

/** Milliseconds per unit, Go's units in Go's spellings (`us`, `µs` and `μs` are all micro). */
const UNIT_MS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
};

/** What a duration looks like, for messages: `500ms, 30s, 2m or 1h30m`. */
export const DURATION_EXAMPLES = '500ms, 30s, 2m or 1h30m';

/** Why `text` is not a duration, or its length in ms. */
export function durationProblem(text: string): string | number {
  if (text === '0') return 0;
  if (text === '') return 'empty';
  if (text.startsWith('-')) return 'negative';
  if (text.startsWith('+')) text = text.slice(1);
  const part = /(\d+\.?\d*|\.\d+)([^\d.]*)/y;
  let total = 0;
  while (part.lastIndex < text.length) {
    const start = part.lastIndex;
    const m = part.exec(text);
    if (!m) return `unexpected '${text[start]}'`;
    const [, number, unit] = m as unknown as [string, string, string];
    if (unit === '') return `missing unit after ${number}`;
    const factor = UNIT_MS[unit];
    if (factor === undefined) return `unknown unit '${unit}'; units are ns, us, ms, s, m, h`;
    total += Number(number) * factor;
  }
  // Decimal fractions are inexact in binary (1.1 × 1000 ≠ 1100); Go counts whole nanoseconds.
  return Math.round(total * 1e6) / 1e6;
}

/**
 * Parses `500ms`, `30s`, `1h30m` … into milliseconds; a number is taken as milliseconds already.
 * Throws a RangeError saying what was expected and what was given.
 */
export function parseDuration(value: string | number): number {
  if (typeof value === 'number') {
    if (Number.isFinite(value) && value >= 0) return value;
    throw new RangeError(`expected a duration of 0 ms or more, got ${value}`);
  }
  const result = durationProblem(value);
  if (typeof result === 'number') return result;
  throw new RangeError(`expected a duration such as ${DURATION_EXAMPLES}, got '${value}' (${result})`);
}

/** The shortest Go-style text for `ms`: `0s`, `250ms`, `1.5s`, `2m`, `1h30m`, `1m0.5s`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) throw new RangeError(`expected a finite number of ms, got ${ms}`);
  if (ms < 0) return `-${formatDuration(-ms)}`;
  if (ms === 0) return '0s';
  if (ms < 1_000) return `${trim(ms)}ms`;
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const seconds = (ms % 60_000) / 1_000;
  let text = '';
  if (hours > 0) text += `${hours}h`;
  if (minutes > 0) text += `${minutes}m`;
  if (seconds > 0) text += `${trim(seconds)}s`;
  return text;
}

/** Up to nanosecond precision without trailing zeros or float noise (`0.1 + 0.2`). */
function trim(n: number): string {
  return String(Number(n.toFixed(9)));
}
