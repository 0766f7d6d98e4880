/**
 * Nearest-rank percentiles: the p-th percentile of n sorted samples is the sample at rank
 * ⌈p/100 × n⌉ (1-based). Every reported value is one that was observed — no interpolation
 * inventing a latency nobody saw — and p100 is the maximum. With 10 samples p90 is the 9th, p95
 * and p99 the 10th; with one sample every percentile is that sample.
 */
import type { Percentiles } from './types.ts';

/** The nearest-rank `p`-th percentile (0 < p ≤ 100) of ascending `sorted`; null when empty. */
export function nearestRank(sorted: readonly number[], p: number): number | null {
  if (!(p > 0 && p <= 100)) throw new RangeError(`expected a percentile in (0, 100], got ${p}`);
  if (sorted.length === 0) return null;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(Math.max(rank, 1), sorted.length) - 1]!;
}

/** p50 / p90 / p95 / p99 / max of `samples` (any order); null fields when there are none. */
export function percentiles(samples: readonly number[]): Percentiles {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50: nearestRank(sorted, 50),
    p90: nearestRank(sorted, 90),
    p95: nearestRank(sorted, 95),
    p99: nearestRank(sorted, 99),
    max: sorted.length === 0 ? null : sorted[sorted.length - 1]!,
  };
}

/** The median as a nearest-rank p50: the lower middle sample for an even count. */
export function median(samples: readonly number[]): number | null {
  return nearestRank(
    [...samples].sort((a, b) => a - b),
    50,
  );
}
