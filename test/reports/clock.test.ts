/**
 * What reports say about the run clock: which clock ran, how it kept time, and the warnings a
 * reader needs before trusting a duration (a legacy scaled log; timers that fired late).
 */
import { describe, expect, it } from 'vitest';
import type { Analysis } from '../../harness/analyze/types.ts';
import { clockText, clockWarnings, timingText } from '../../reports/clock.ts';
import { formatTerminalSummary, renderHtml, renderJunit, renderMarkdown } from '../../reports/index.ts';
import { CASES } from './cases.ts';
import { timing } from './fixtures.ts';

/** The passing case with other clock fields. */
function withClock(fields: Partial<Analysis['run']>): Analysis {
  const a = CASES.passing!();
  return { ...a, run: { ...a.run, ...fields } };
}

describe('the run clock in reports', () => {
  it('names the clock, and for warp how much idle time was skipped', () => {
    expect(clockText(withClock({ clock: 'warp', timing: timing({ skippedMs: 41 * 60_000 }) }))).toBe(
      'clock warp (idle 41m skipped)',
    );
    expect(clockText(withClock({ clock: 'real', timing: null }))).toBe('clock real');
    expect(clockText(withClock({ clock: 'real', timing: timing({ clock: 'real' }) }))).toBe('clock real');
    expect(clockText(withClock({ clock: 'scaled', legacyTimeScale: 10, timing: null }))).toBe(
      'clock scaled ×10 (legacy log)',
    );
  });

  it('summarises the timing: event-loop delay and late timers; nothing without timing', () => {
    expect(timingText(withClock({ timing: timing() }))).toBe(
      'event-loop delay p99 12ms, max 22ms; 0 of 240 timers late',
    );
    expect(timingText(withClock({ timing: null }))).toBeUndefined();
  });

  it('warns of nothing when every timer fired on time and the event loop was quiet', () => {
    expect(clockWarnings(withClock({ timing: timing() }))).toEqual([]);
    expect(clockWarnings(withClock({ clock: 'real', timing: null }))).toEqual([]);
  });

  it('warns that durations may be inflated when a timer fired late', () => {
    const late = withClock({ timing: timing({ lateTimers: 2, maxLateMs: 180 }) });
    expect(clockWarnings(late)).toEqual([
      'Warning: timers fired up to 180ms late (2 late timers, event-loop delay p99 12ms): durations may be inflated by up to that much.',
    ]);
    for (const text of [
      formatTerminalSummary(late),
      renderMarkdown(late),
      renderHtml(late),
      renderJunit(late),
    ])
      expect(text).toContain('timers fired up to 180ms late');
  });

  it('warns on an event-loop p99 over 100 ms even without a late timer, up to its max', () => {
    const busy = withClock({ timing: timing({ eventLoopDelay: { p50Ms: 20, p99Ms: 101, maxMs: 300 } }) });
    expect(clockWarnings(busy)).toEqual([
      'Warning: timers fired up to 300ms late (0 late timers, event-loop delay p99 101ms): durations may be inflated by up to that much.',
    ]);
    const edge = withClock({ timing: timing({ eventLoopDelay: { p50Ms: 20, p99Ms: 100, maxMs: 300 } }) });
    expect(clockWarnings(edge)).toEqual([]);
  });

  it('warns that a legacy scaled log holds compressed durations, in every report', () => {
    const legacy = withClock({ clock: 'scaled', legacyTimeScale: 10, timing: null });
    const warning =
      'Warning: this log was recorded under the old ×10 time scale; its durations were measured compressed and are not real-time equivalents.';
    expect(clockWarnings(legacy)).toEqual([warning]);
    expect(formatTerminalSummary(legacy).split('\n').slice(1, 3)).toEqual([
      'clock scaled ×10 (legacy log)',
      warning,
    ]);
    expect(renderMarkdown(legacy)).toContain(`> **${warning}**`);
    expect(renderHtml(legacy)).toContain(`<p class="error-text">${warning}</p>`);
    expect(renderJunit(legacy)).toContain('<property name="legacyTimeScale" value="10"/>');
  });
});
