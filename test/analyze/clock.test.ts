/**
 * The run clock as the analysis reports it: `run.started.clock` and `run.finished.timing` carried
 * through, durations never multiplied, and logs written before the run clock (under the old
 * `timeScale`) recognised as `scaled` so reports can warn that their durations are compressed.
 */
import { describe, expect, test } from 'vitest';
import { analyze, type LogEvent, type RunTiming } from '../../harness/analyze/index.ts';
import { LogBuilder, pullFails, pullOk, schedule } from './builders.ts';
import { at, quota, run } from './small-run.ts';

const timing: RunTiming = {
  clock: 'warp',
  skippedMs: 41 * 60_000,
  warps: 7,
  timersFired: 120,
  lateTimers: 1,
  maxLateMs: 75,
  eventLoopDelay: { p50Ms: 10, p99Ms: 30, maxMs: 80 },
};

const faults = [{ fault: 'rate-limit', at: '1s', for: '2s' }];
const expectations = [{ type: 'detectedWithin' as const, fault: 'rate-limit-0', within: '1s' }];

/** A fault at 1 s, the pod's first 429 at 1.5 s (500 ms after the fault), running again at 4 s. */
function log(clock?: 'warp' | 'real', finishedTiming?: RunTiming): LogBuilder {
  const b = new LogBuilder().started(run({ faults, expectations }), undefined, clock);
  b.fault(1_000, 'fault.applied', 'rate-limit-0', 'rate-limit');
  schedule(b, 1_000, at(0));
  pullFails(b, 1_450, at(0), 50, quota);
  b.fault(3_000, 'fault.cleared', 'rate-limit-0', 'rate-limit');
  pullOk(b, 3_900, at(0), 80);
  return b.finished(5_000, 'completed', undefined, finishedTiming);
}

/**
 * `events` as a log written before the run clock: its scenario has no `backend.clock`, and carries
 * `backend.timeScale` when given.
 */
function legacy(events: LogEvent[], timeScale?: number): LogEvent[] {
  return events.map((e) => {
    if (e.kind !== 'run.started') return e;
    const { clock: _, ...backend } = e.scenario.backend;
    const old = timeScale === undefined ? backend : { ...backend, timeScale };
    return { ...e, scenario: { ...e.scenario, backend: old } } as unknown as LogEvent;
  });
}

describe('the run clock', () => {
  test('warp: the clock and its timing are carried into the analysis as logged', () => {
    const a = analyze(log('warp', timing).build());
    expect(a.run).toMatchObject({ clock: 'warp', timing });
    expect(a.run).not.toHaveProperty('legacyTimeScale');
  });

  test('durations are scenario time, never multiplied, and expectations compare them directly', () => {
    const a = analyze(log('warp', timing).build());
    expect(a.faults[0]!.detection).toMatchObject({ first: { ms: 500 } });
    expect(a.faults[0]!.recovery).toEqual({ ms: 1_000 });
    expect(a.expectations[0]).toMatchObject({
      description: 'rate-limit-0 detected within 1s',
      actual: 'detected after 500ms',
      passed: true,
    });
  });

  test('without run.started.clock, the scenario’s backend.clock says which clock ran', () => {
    expect(analyze(log().build()).run).toMatchObject({ clock: 'warp' });
  });

  test('a log that names no clock and no time scale ran in real time; timing null without run.finished timing', () => {
    const a = analyze(legacy(log().build()));
    expect(a.run).toMatchObject({ clock: 'real', timing: null });
    expect(a.run).not.toHaveProperty('legacyTimeScale');
  });

  test('a legacy log under the old time scale is `scaled`, its durations left as measured', () => {
    const a = analyze(legacy(log().build(), 10));
    expect(a.run).toMatchObject({ clock: 'scaled', legacyTimeScale: 10, timing: null });
    // Not 5 s: the old analysis multiplied by the scale; this one reports what the log holds.
    expect(a.faults[0]!.detection).toMatchObject({ first: { ms: 500 } });
    expect(a.expectations[0]).toMatchObject({ actual: 'detected after 500ms', passed: true });
  });

  test('a legacy time scale of 1 is a real-time log', () => {
    expect(analyze(legacy(log().build(), 1)).run).toMatchObject({ clock: 'real' });
  });

  test('a legacy log without run.started: the time scale stamped on its kubelet events', () => {
    const events = log()
      .build()
      .filter((e) => e.kind !== 'run.started')
      .map((e) => (e.kind === 'k8s.event' ? ({ ...e, timeScale: 20 } as LogEvent) : e));
    expect(analyze(events).run).toMatchObject({ clock: 'scaled', legacyTimeScale: 20 });
  });

  test('a logged clock wins over a stale time scale', () => {
    expect(analyze(legacy(log('real').build(), 10)).run).toMatchObject({ clock: 'real' });
  });
});
