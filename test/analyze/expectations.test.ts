/** Expectation sentences: every-fault expectations, recovery, failing pods, drift, a missing fault. */
import { describe, expect, test } from 'vitest';
import { analyze, type LogEvent } from '../../harness/analyze/index.ts';
import type { ExpectationInput, FaultInput } from '../../harness/scenario/index.ts';
import { backOff, LogBuilder, pullFails, pullOk, schedule } from './builders.ts';
import { at, quota, run } from './small-run.ts';

describe('expectations', () => {
  function judged(expectations: ExpectationInput[], mutate?: (b: LogBuilder) => void): LogEvent[] {
    const faults: FaultInput[] = [
      { fault: 'rate-limit', at: '1s', for: '1s' },
      { fault: 'unknown-tag', at: '1s', for: '1s' },
      { fault: 'latency', at: '1s' },
    ];
    const b = new LogBuilder().started(run({ faults, expectations }));
    for (const [id, fault] of [
      ['rate-limit-0', 'rate-limit'],
      ['unknown-tag-1', 'unknown-tag'],
    ]) {
      b.fault(1_000, 'fault.applied', id!, fault!).fault(2_000, 'fault.cleared', id!, fault!);
    }
    pullFails(b, 1_100, at(0), 100, quota);
    pullOk(b, 5_000, at(0), 100);
    schedule(b, 100, at(1));
    backOff(b, 1_500, at(1), quota);
    mutate?.(b);
    return b.finished(10_000).build();
  }
  const outcome = (expectations: ExpectationInput[], mutate?: (b: LogBuilder) => void) =>
    analyze(judged(expectations, mutate)).expectations.map((e) => [e.passed, e.description, e.actual]);

  test('without a fault id: every fault (detection: every fault expecting a cause)', () => {
    expect(
      outcome([
        { type: 'detectedWithin', within: '1s' },
        { type: 'classifiedAs', cause: 'rate-limited' },
      ]),
    ).toEqual([
      [
        false,
        'every fault detected within 1s',
        'rate-limit-0: detected after 200ms; unknown-tag-1: never detected',
      ],
      [
        true,
        'failures under every fault classified as rate-limited',
        'rate-limit-0: all 1 failures rate-limited; unknown-tag-1: all 1 failures rate-limited; latency-2: all 1 failures rate-limited',
      ],
    ]);
  });

  test('recovery, pods failing, all running and drift sentences', () => {
    expect(
      outcome([
        { type: 'recoveredWithin', fault: 'rate-limit-0', within: '2s' },
        { type: 'podsFailing', reason: 'ImagePullBackOff', atLeast: 2 },
        { type: 'allPodsRunning', within: '4s' },
        { type: 'digestDrift', detected: true },
        { type: 'originAmplification', atMost: 1 },
      ]),
    ).toEqual([
      [
        false,
        'rate-limit-0 recovered within 2s',
        'recovered after 3.1s; kubelet backoff had up to 9.2s left at the clear',
      ],
      [false, 'at least 2 pods in ImagePullBackOff', '1 pod showed ImagePullBackOff'],
      [
        false,
        'all pods running within 4s',
        '1 of 2 pods running at the end; not running: pod-1 (ImagePullBackOff)',
      ],
      [false, 'digest drift detected between nodes', 'one digest per tag (1 tag)'],
      [true, 'origin amplification at most 1', '1 (3615 origin blob bytes for 3615 unique)'],
    ]);
  });

  test('a named fault missing from the run fails with a sentence saying so', () => {
    const a = analyze(
      judged([{ type: 'detectedWithin', fault: 'rate-limit-0', within: '1s' }]).map((e) =>
        e.kind === 'run.started'
          ? { ...e, scenario: { ...e.scenario, faults: [] } }
          : e.kind.startsWith('fault.')
            ? { ...e, id: 'other' }
            : e,
      ) as LogEvent[],
    );
    expect(a.expectations[0]).toMatchObject({ passed: false, actual: "no fault 'rate-limit-0' in the run" });
  });
});
