/**
 * What every report says about the run's clock. Durations are scenario time — what a real cluster
 * would show — whichever clock ran: under `warp` idle time was skipped, not scaled, so nothing is
 * doubled with a "real" equivalent. Two things still bear on how far a reader can trust them: a
 * legacy log written under the old time scale (its durations are compressed), and timers that fired
 * late because the harness's event loop was busy (durations inflated by up to that lateness).
 */
import type { Analysis } from '../harness/analyze/types.ts';
import { formatCount, formatMs } from './format.ts';

/** Event-loop p99 above which the timing is worth a warning even without late timers, ms. */
export const EVENT_LOOP_P99_WARN_MS = 100;

/** `clock warp (idle 41m skipped), seed 7`, `clock real`, or `clock scaled ×10 (legacy log)`. */
export function clockText(analysis: Analysis): string {
  const { seed } = analysis.run;
  return seed === undefined ? clockOnly(analysis) : `${clockOnly(analysis)}, seed ${seed}`;
}

function clockOnly(analysis: Analysis): string {
  const { clock, legacyTimeScale, timing } = analysis.run;
  if (clock === 'scaled') return `clock scaled ×${legacyTimeScale ?? '?'} (legacy log)`;
  if (clock === 'warp' && timing !== null) return `clock warp (idle ${formatMs(timing.skippedMs)} skipped)`;
  return `clock ${clock}`;
}

/** `event-loop delay p99 3ms, max 12ms; 0 of 1,204 timers late`, or undefined without timing. */
export function timingText(analysis: Analysis): string | undefined {
  const t = analysis.run.timing;
  if (t === null) return undefined;
  const { p99Ms, maxMs } = t.eventLoopDelay;
  return `event-loop delay p99 ${formatMs(p99Ms)}, max ${formatMs(maxMs)}; ${formatCount(t.lateTimers)} of ${formatCount(t.timersFired)} timers late`;
}

/**
 * Lines a report must show before its numbers: a legacy scaled log, and a run whose timers fired
 * late (any late timer, or an event-loop p99 over 100 ms). Empty when the durations stand as they are.
 */
export function clockWarnings(analysis: Analysis): string[] {
  const { clock, legacyTimeScale, timing } = analysis.run;
  const out: string[] = [];
  if (clock === 'scaled') {
    const n = legacyTimeScale === undefined ? 'a' : `×${legacyTimeScale}`;
    out.push(
      `Warning: this log was recorded under the old ${n} time scale; its durations were measured compressed and are not real-time equivalents.`,
    );
  }
  if (timing !== null && (timing.lateTimers > 0 || timing.eventLoopDelay.p99Ms > EVENT_LOOP_P99_WARN_MS)) {
    const lateMs = timing.lateTimers > 0 ? timing.maxLateMs : timing.eventLoopDelay.maxMs;
    out.push(
      `Warning: timers fired up to ${formatMs(lateMs)} late (${formatCount(timing.lateTimers)} late timers, event-loop delay p99 ${formatMs(timing.eventLoopDelay.p99Ms)}): durations may be inflated by up to that much.`,
    );
  }
  return out;
}
