import { describe, expect, it } from 'vitest';
import { aggregateErrorText, goDuration, goDurationMs, goQuote } from '../../harness/kubelet/gofmt.ts';

const ns = 1n;
const us = 1_000n;
const ms = 1_000_000n;
const s = 1_000_000_000n;
const min = 60n * s;
const h = 60n * min;

describe('goDuration', () => {
  // The first rows are Go's own table (src/time/time_test.go durationTests).
  it.each<[string, bigint]>([
    ['0s', 0n],
    ['1ns', 1n * ns],
    ['1.1µs', 1100n * ns],
    ['2.2ms', 2200n * us],
    ['3.3s', 3300n * ms],
    ['4m5s', 4n * min + 5n * s],
    ['4m5.001s', 4n * min + 5001n * ms],
    ['5h6m7.001s', 5n * h + 6n * min + 7001n * ms],
    ['8m0.000000001s', 8n * min + 1n * ns],
    ['2562047h47m16.854775807s', (1n << 63n) - 1n],
    ['-2562047h47m16.854775808s', -(1n << 63n)],
    ['1.234s', 1234n * ms],
    ['512ms', 512n * ms],
    ['2m3.5s', 2n * min + 3500n * ms],
    ['1h0m0s', h],
    ['1m0s', min],
    ['999ns', 999n],
    ['1µs', us],
    ['1.5µs', 1500n],
    ['999.999ms', 999_999n * us],
    ['1s', s],
    ['10.01s', 10_010n * ms],
    ['-1.5s', -1500n * ms],
  ])('%s', (text, value) => {
    expect(goDuration(value)).toBe(text);
  });

  it('truncates fractional milliseconds like Duration.Truncate(time.Millisecond)', () => {
    expect(goDurationMs(1234.9)).toBe('1.234s');
    expect(goDurationMs(0.7)).toBe('0s');
    expect(goDurationMs(123_456)).toBe('2m3.456s');
  });
});

describe('goQuote (%q)', () => {
  it.each([
    ['busybox:1.36', '"busybox:1.36"'],
    ['a"b\\c', '"a\\"b\\\\c"'],
    ['tab\there\n', '"tab\\there\\n"'],
    ['\x00\x7f', '"\\x00\\x7f"'],
    ['ünïcode', '"ünïcode"'],
    ['nb\u00a0sp', '"nb\\u00a0sp"'],
  ])('%j → %s', (input, quoted) => {
    expect(goQuote(input)).toBe(quoted);
  });
});

describe('aggregateErrorText (utilerrors.NewAggregate)', () => {
  it('is bare for one unique message and bracketed for several', () => {
    expect(aggregateErrorText(['x'])).toBe('x');
    expect(aggregateErrorText(['x', 'x'])).toBe('x');
    expect(aggregateErrorText(['x', 'y', 'x'])).toBe('[x, y]');
  });
});
