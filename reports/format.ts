/**
 * Number and duration formatting shared by every renderer. Deterministic (no locale): reports are
 * compared byte for byte in golden tests and read on machines with any locale.
 */
import type { Analysis, Span } from '../harness/analyze/types.ts';

/** Status words for a verdict; words, not emoji, so logs, screen readers and grep agree. */
export const VERDICT_WORDS: Readonly<Record<Analysis['verdict'], string>> = {
  pass: 'PASS',
  fail: 'FAIL',
  error: 'ERROR',
  interrupted: 'INTERRUPTED',
};

/** Rounds to at most `digits` decimals and drops trailing zeros: `1.50` → `1.5`. */
export function round(n: number, digits = 1): string {
  const f = 10 ** digits;
  return String(Math.round(n * f) / f);
}

/** A duration: `0s`, `850ms`, `1.2s`, `2m 3s`, `2m`, `1h 2m`. */
export function formatMs(ms: number): string {
  const abs = Math.abs(ms);
  const sign = ms < 0 ? '-' : '';
  if (abs === 0) return '0s';
  if (abs < 1000) return `${sign}${Math.round(abs)}ms`;
  if (abs < 60_000) return `${sign}${round(abs / 1000)}s`;
  const s = Math.round(abs / 1000);
  // Drop a zero smaller unit: `2m`, not `2m 0s`.
  const [big, small] =
    s < 3600 ? [`${Math.floor(s / 60)}m`, s % 60] : [`${Math.floor(s / 3600)}h`, Math.floor((s % 3600) / 60)];
  const unit = s < 3600 ? 's' : 'm';
  return small === 0 ? `${sign}${big}` : `${sign}${big} ${small}${unit}`;
}

/** A measured duration (scenario time, what a real cluster would show). */
export function formatSpan(span: Span): string {
  return formatMs(span.ms);
}

/** An integer with thin grouping: `12,345`. */
export function formatCount(n: number): string {
  return Math.round(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

const byteUnits = ['B', 'KiB', 'MiB', 'GiB', 'TiB'] as const;

/** Bytes in binary units: `512 B`, `1.5 MiB`. */
export function formatBytes(n: number): string {
  let value = n;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < byteUnits.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${Math.round(value)} B` : `${round(value)} ${byteUnits[unit]}`;
}

/** Origin amplification as `8×`, or `n/a` when no blob was served. */
export function formatAmplification(amplification: number | null): string {
  return amplification === null ? 'n/a' : `${round(amplification, 2)}×`;
}

/** A percentile value in ms, or `—` when there were no samples. */
export function formatPercentile(ms: number | null): string {
  return ms === null ? '—' : formatMs(ms);
}

/** An offset from the run start: `+12.5s`. */
export function formatOffset(ms: number): string {
  return `+${formatMs(ms)}`;
}

/** Milliseconds as seconds with three decimals, as JUnit wants: `12.345`. */
export function formatSeconds(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3);
}
