/** Nearest-rank percentiles, kubelet's backoff replay, and how durations read. */
import { describe, expect, test } from 'vitest';
import { backoffSteps, human, median, nearestRank, percentiles, span } from '../../harness/analyze/index.ts';
import { naturalCompare, sortNatural } from '../../harness/analyze/time.ts';

const oneToTen = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1];

describe('nearest-rank percentiles: the sample at rank ⌈p/100 × n⌉', () => {
  test.each([
    // samples, p50, p90, p95, p99, max
    [[], null, null, null, null, null],
    [[42], 42, 42, 42, 42, 42],
    [[1, 2], 1, 2, 2, 2, 2],
    [[3, 1, 2], 2, 3, 3, 3, 3],
    [oneToTen, 5, 9, 10, 10, 10],
    [Array.from({ length: 20 }, (_, i) => i + 1), 10, 18, 19, 20, 20],
    [Array.from({ length: 100 }, (_, i) => 100 - i), 50, 90, 95, 99, 100],
    [Array.from({ length: 1000 }, (_, i) => i + 1), 500, 900, 950, 990, 1000],
    [[5, 5, 5, 100], 5, 100, 100, 100, 100],
  ])('%j', (samples, p50, p90, p95, p99, max) => {
    expect(percentiles(samples)).toEqual({ count: samples.length, p50, p90, p95, p99, max });
  });

  test('does not reorder its input; the median is the lower middle', () => {
    const input = [...oneToTen];
    percentiles(input);
    expect(input).toEqual(oneToTen);
    expect(median([4, 1, 3, 2])).toBe(2);
    expect(median([])).toBeNull();
    expect(nearestRank([1, 2, 3], 0.1)).toBe(1);
    expect(() => nearestRank([1], 0)).toThrow('expected a percentile in (0, 100], got 0');
  });
});

describe("kubelet's backoff, replayed", () => {
  test('10 s doubling to 300 s; forgotten after 2 × max without a failure', () => {
    const every = (n: number, gap: number) => Array.from({ length: n }, (_, i) => i * gap);
    expect(backoffSteps(every(8, 1))).toEqual([10e3, 20e3, 40e3, 80e3, 160e3, 300e3, 300e3, 300e3]);
    expect(backoffSteps([0, 600_000, 600_001])).toEqual([10e3, 20e3, 40e3]);
    expect(backoffSteps([0, 600_001])).toEqual([10e3, 10e3]);
  });
});

describe('durations for people', () => {
  test.each([
    [0, '0s'],
    [40.4, '40ms'],
    [999.6, '1s'],
    [4_120, '4.1s'],
    [59_960, '1m'],
    [101_200, '1m41s'],
    [300_000, '5m'],
    [3_725_000, '1h2m5s'],
  ])('%d ms → %s', (ms, text) => expect(human(ms)).toBe(text));

  test('a span is the measured duration as it is: no real-time double', () => {
    expect(span(150)).toEqual({ ms: 150 });
  });

  test('natural order of pod names', () => {
    expect(sortNatural(['web-10', 'web-2', 'web-1', 'api', 'web-02'])).toEqual([
      'api',
      'web-1',
      'web-02',
      'web-2',
      'web-10',
    ]);
    expect(naturalCompare('v-9', 'v-10')).toBeLessThan(0);
  });
});
