/**
 * Scaled and real time. With `--time-scale N` kubelet's backoff and the fault timeline ran N times
 * faster, so a measured duration stands for N times as long in production; every Span says both.
 * Texts round for people (`4.2s`, `5m`, `1m30s`) and add `(real …)` only when the two differ.
 */
import { formatDuration } from '../scenario/duration.ts';
import type { Span } from './types.ts';

/** A measured duration and its real-time equivalent (`ms × timeScale`). */
export function span(ms: number, timeScale: number): Span {
  return { ms, realMs: ms * timeScale };
}

/** A duration for people: whole ms below 1 s, tenths of a second below 1 min, whole seconds above. */
export function human(ms: number): string {
  if (ms < 1_000) return formatDuration(Math.round(ms));
  if (ms < 60_000) {
    const tenths = Math.round(ms / 100) * 100;
    return formatDuration(Math.min(tenths, 60_000));
  }
  return formatDuration(Math.round(ms / 1_000) * 1_000);
}

/** `30s`, or `30s (real 5m)` when the time scale is not 1. */
export function scaled(ms: number, timeScale: number): string {
  return timeScale === 1 ? human(ms) : `${human(ms)} (real ${human(ms * timeScale)})`;
}

/** Milliseconds of an ISO time; callers have validated it. */
export function epochMs(time: string): number {
  return Date.parse(time);
}

/** A sort key giving natural order under plain `<`: digit runs zero-padded to 20 places. */
export function naturalKey(text: string): string {
  return text.replace(/\d+/g, (digits) => digits.padStart(20, '0'));
}

/** Natural order (`pod-2` before `pod-10`), independent of the host's locale. */
export function naturalCompare(a: string, b: string): number {
  const x = naturalKey(a);
  const y = naturalKey(b);
  return x < y ? -1 : x > y ? 1 : a < b ? -1 : a > b ? 1 : 0;
}

/** `items` sorted naturally by `key` (default the item itself); keys are computed once per item. */
export function sortNatural<T>(items: Iterable<T>, key: (item: T) => string = String): T[] {
  return [...items]
    .map((item) => ({ item, k: naturalKey(key(item)), raw: key(item) }))
    .sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : a.raw < b.raw ? -1 : a.raw > b.raw ? 1 : 0))
    .map((e) => e.item);
}
