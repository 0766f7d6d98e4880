/**
 * Durations for people, and times of the log. Every time in a log is scenario time — what a real
 * cluster would show — whichever clock ran the scenario (under `warp` idle time was skipped, not
 * scaled), so a measured duration is printed as it is, rounded for people (`4.2s`, `5m`, `1m30s`).
 */
import { formatDuration } from '../scenario/duration.ts';
import type { Span } from './types.ts';

/** A measured duration as a {@link Span}. */
export function span(ms: number): Span {
  return { ms };
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
