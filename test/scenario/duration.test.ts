import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration, parseSize } from '../../harness/scenario/index.ts';

describe('parseDuration', () => {
  it.each([
    ['0', 0],
    ['0s', 0],
    ['500ms', 500],
    ['30s', 30_000],
    ['2m', 120_000],
    ['1h30m', 5_400_000],
    ['1.5h', 5_400_000],
    ['1m30s', 90_000],
    ['1.1s', 1_100],
    ['.5s', 500],
    ['1500us', 1.5],
    ['1500µs', 1.5],
    ['2000000ns', 2],
    ['1h1m1s1ms', 3_661_001],
    ['+5s', 5_000],
  ])('%s is %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it('takes numbers as milliseconds', () => {
    expect(parseDuration(250)).toBe(250);
  });

  it.each([
    ['', "expected a duration such as 500ms, 30s, 2m or 1h30m, got '' (empty)"],
    ['30', "expected a duration such as 500ms, 30s, 2m or 1h30m, got '30' (missing unit after 30)"],
    ['-5s', "expected a duration such as 500ms, 30s, 2m or 1h30m, got '-5s' (negative)"],
    [
      '1d',
      "expected a duration such as 500ms, 30s, 2m or 1h30m, got '1d' (unknown unit 'd'; units are ns, us, ms, s, m, h)",
    ],
    [
      '30 s',
      "expected a duration such as 500ms, 30s, 2m or 1h30m, got '30 s' (unknown unit ' s'; units are ns, us, ms, s, m, h)",
    ],
    ['s', "expected a duration such as 500ms, 30s, 2m or 1h30m, got 's' (unexpected 's')"],
    ['1.5.5s', "expected a duration such as 500ms, 30s, 2m or 1h30m, got '1.5.5s' (missing unit after 1.5)"],
  ])('%j is rejected', (text, message) => {
    expect(() => parseDuration(text)).toThrow(new RangeError(message));
  });

  it('rejects negative and non-finite numbers', () => {
    expect(() => parseDuration(-1)).toThrow('expected a duration of 0 ms or more, got -1');
    expect(() => parseDuration(Number.NaN)).toThrow(RangeError);
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [250, '250ms'],
    [0.5, '0.5ms'],
    [1_500, '1.5s'],
    [30_000, '30s'],
    [120_000, '2m'],
    [90_000, '1m30s'],
    [60_500, '1m0.5s'],
    [5_400_000, '1h30m'],
    [3_600_000, '1h'],
    [3_661_001, '1h1m1.001s'],
  ])('%d ms is %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('round-trips through parseDuration for any whole number of ms', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 * 24 * 3_600_000 }), (ms) => {
        expect(parseDuration(formatDuration(ms))).toBe(ms);
      }),
    );
  });
});

describe('parseSize', () => {
  it.each([
    [1024, 1024],
    ['1024', 1024],
    ['512Mi', 512 * 2 ** 20],
    ['2Gi', 2 * 2 ** 30],
    ['1.5Gi', 1.5 * 2 ** 30],
    ['500M', 500e6],
    ['64k', 64_000],
    ['1Ki', 1024],
  ])('%j is %d bytes', (text, bytes) => {
    expect(parseSize(text)).toBe(bytes);
  });

  it.each([
    ['10MB', 'not a quantity'],
    ['1ki', 'not a quantity'],
    [0, 'not positive'],
    [1.5, 'not a whole number of bytes'],
    ['0.5', 'not a whole number of bytes'],
  ])('%j is rejected (%s)', (value, reason) => {
    expect(() => parseSize(value)).toThrow(
      new RangeError(
        `expected a number of bytes or a quantity such as '512Mi' or '2Gi', got ${JSON.stringify(value)} (${reason})`,
      ),
    );
  });
});
