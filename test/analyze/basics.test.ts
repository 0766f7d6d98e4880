/** Smaller cases: a healthy pod, the harness failing, logs without a scenario, windows and scopes. */
import { describe, expect, test } from 'vitest';
import { analyze, defaultExpectedCauses } from '../../harness/analyze/index.ts';
import type { FaultInput } from '../../harness/scenario/index.ts';
import { backOff, headRetries, LogBuilder, pullFails, pullOk, schedule } from './builders.ts';
import { tiny } from './fixtures/runs.ts';
import { at, quota, run } from './small-run.ts';

test('a pod pulling fine', () => {
  const b = new LogBuilder().started(
    run({ expectations: [{ type: 'pullLatency', percentile: 100, under: '1s' }] }),
  );
  schedule(b, 100, at(0));
  pullOk(b, 150, at(0), 700, { waitMs: 50 });
  const a = analyze(b.finished(2_000).build());
  expect(a.pulls).toEqual({
    attempts: 1,
    succeeded: 1,
    failed: 0,
    latency: { count: 1, p50: 750, p90: 750, p95: 750, p99: 750, max: 750 },
  });
  expect(a.failures).toEqual([]);
  expect(a.faults).toEqual([]);
  expect(a.pods).toHaveLength(1);
  expect(a.pods[0]).toMatchObject({ pod: 'pod-0', final: { phase: 'Running' }, digest: tiny.digest });
  expect(a.pods[0]!.events.find((e) => e.reason === 'Pulled')!.message).toBe(
    `Successfully pulled image "${tiny.ref}" in 700ms (750ms including waiting). Image size: 3615 bytes.`,
  );
  expect(a.expectations.map((e) => [e.passed, e.description, e.actual])).toEqual([
    [true, 'max pull latency under 1s', 'max 750ms over 1 pull'],
  ]);
  expect(a.verdict).toBe('pass');
});

test('the harness failing is an error verdict, never a product failure', () => {
  const b = new LogBuilder().started(run({ expectations: [{ type: 'allPodsRunning' }] }));
  schedule(b, 100, at(0));
  const a = analyze(b.finished(500, 'error', 'containerd on node-0 exited: status 1').build());
  expect(a.expectations[0]).toMatchObject({
    passed: false,
    actual: '0 of 1 pods running at the end; not running: pod-0 (ContainerCreating)',
  });
  expect(a.run).toMatchObject({ outcome: 'error', error: 'containerd on node-0 exited: status 1' });
  expect(a.verdict).toBe('error');
});

test('a log without run.started or run.finished: time zero is its first event, outcome unknown', () => {
  const b = new LogBuilder();
  pullOk(b, 1_000, at(0), 200);
  const a = analyze(b.build().reverse());
  expect(a.run).toMatchObject({
    id: '',
    scenario: '',
    backend: 'unknown',
    startedAt: '2026-03-02T09:00:01.000Z',
    finishedAt: null,
    durationMs: 220,
    clock: 'real',
    timing: null,
    outcome: 'unknown',
  });
  expect(a.pods[0]!.states).toEqual([{ atMs: 220, phase: 'Running' }]);
  expect(a.expectations).toEqual([]);
  expect(a.verdict).toBe('pass');
});

test('a real cluster: only kubelet events, no pull attempts', () => {
  const events = (b: LogBuilder) => {
    pullFails(b, 0, at(0), 100, quota);
    pullOk(b, 1_000, at(0), 400);
    return b.build().filter((e) => e.kind === 'k8s.event');
  };
  const a = analyze(events(new LogBuilder()));
  expect(a.pulls).toEqual({
    attempts: 2,
    succeeded: 1,
    failed: 1,
    latency: { count: 1, p50: 400, p90: 400, p95: 400, p99: 400, max: 400 },
  });
  expect(a.failures.map((f) => [f.cause, f.count])).toEqual([['rate-limited', 1]]);
  expect(a.pods[0]).toMatchObject({ node: 'node-0', image: tiny.ref, final: { phase: 'Unknown' } });
});

test('virtual nodes: only pull attempts, no events', () => {
  const b = new LogBuilder();
  pullFails(b, 0, at(0), 100, quota);
  pullOk(b, 1_000, at(0), 400);
  const a = analyze(b.build().filter((e) => e.kind === 'pull.attempt'));
  expect(a.pulls).toMatchObject({ attempts: 2, succeeded: 1, failed: 1, latency: { count: 1, max: 400 } });
  expect(a.failures[0]).toMatchObject({ cause: 'rate-limited', count: 1, example: quota });
  expect(a.pods[0]).toMatchObject({ final: { phase: 'Running' }, digest: tiny.digest, lastError: quota });
});

describe('fault windows', () => {
  const faults: FaultInput[] = [
    { fault: 'rate-limit', at: '10s', for: '10s', scope: { nodes: ['node-0', 'node-1'] } },
  ];

  function scoped(withFaultEvents: boolean) {
    // The window is 10 s to 20 s, the grace one initial backoff step (10 s): until 30 s.
    const b = new LogBuilder().started(run({ faults }));
    if (withFaultEvents)
      b.fault(10_000, 'fault.applied', 'rate-limit-0', 'rate-limit').fault(
        20_000,
        'fault.cleared',
        'rate-limit-0',
        'rate-limit',
      );
    pullFails(b, 9_900, at(0), 50, quota); // before the window
    pullFails(b, 12_000, at(1), 50, quota, headRetries(tiny));
    pullFails(b, 13_000, at(2), 50, quota); // node-2 is out of scope
    pullFails(b, 30_000, at(0), 50, quota); // 30050: after the grace
    pullFails(b, 29_900, at(1), 50, quota); // 29950: in flight at the clear, inside the grace
    backOff(b, 30_000, at(1), quota);
    pullOk(b, 40_000, at(1), 100);
    return analyze(b.finished(60_000).build()).faults[0]!;
  }

  test.each([true, false])('observed or planned (fault events: %s): grace, scope, recovery', (withEvents) => {
    const f = scoped(withEvents);
    expect(f.window).toEqual(
      withEvents ? { startMs: 10_000, endMs: 20_000 } : { startMs: 10_000, endMs: 20_000, planned: true },
    );
    expect(f.affectedPods).toEqual(['pod-1']);
    expect(f.detection).toMatchObject({
      first: { ms: 2_050 },
      perPod: [{ pod: 'pod-1', ms: 2_050 }],
    });
    expect(f.classification).toEqual({
      counts: { 'rate-limited': 2 },
      matching: 2,
      misclassified: 0,
      unclassified: 0,
    });
    // Running at 40120, counted from the clear (20000).
    expect(f.recovery).toEqual({ ms: 20_120 });
    // Only the failure at 12050 precedes the clear: 12050 + 10000 − 20000.
    expect(f.backoffAtClear).toEqual({ maxRemainingMs: 2_050, maxStepMs: 10_000 });
  });

  test('a fault that never clears has no recovery; a pod that never runs again is named', () => {
    const b = new LogBuilder().started(
      run({
        faults: [
          { fault: 'refused', at: '1s', for: '1s' },
          { fault: 'dns', at: '1s' },
        ],
      }),
    );
    b.fault(1_000, 'fault.applied', 'refused-0', 'refused').fault(
      2_000,
      'fault.cleared',
      'refused-0',
      'refused',
    );
    b.fault(1_000, 'fault.applied', 'dns-1', 'dns');
    pullFails(b, 1_500, at(0), 10, 'dial tcp 10.0.0.2:5000: connect: connection refused');
    const [refused, dns] = analyze(b.finished(30_000).build()).faults;
    expect(refused).toMatchObject({ affectedPods: ['pod-0'], recovery: null, unrecoveredPods: ['pod-0'] });
    expect(dns).toMatchObject({
      window: { endMs: null },
      recovery: null,
      backoffAtClear: null,
      classification: { misclassified: 1 },
    });
    expect(dns).not.toHaveProperty('unrecoveredPods');
  });
});

test('the default expected causes follow the catalogue', () => {
  expect(defaultExpectedCauses('auth-token-endpoint')).toEqual(['token-endpoint']);
  expect(defaultExpectedCauses('tls-no-ip-san')).toEqual(['tls-hostname']);
  expect(defaultExpectedCauses('reset')).toEqual(['connection-reset', 'blob-truncated']);
  expect(defaultExpectedCauses('tag-overwrite')).toEqual([]);
  expect(defaultExpectedCauses('no-such-fault')).toEqual([]);
  const b = new LogBuilder().fault(0, 'fault.applied', 'x', 'rate-limit');
  pullFails(b, 100, at(0), 10, quota);
  const custom = analyze(b.build(), { expectedCauses: () => ['timeout'] }).faults[0]!;
  expect(custom).toMatchObject({
    id: 'x',
    expectedCauses: ['timeout'],
    detection: null,
    classification: { misclassified: 1 },
  });
});

test('a pod the API server refuses (a ReplicaSet FailedCreate, PodSecurity) is a classified failure though no pod exists', () => {
  const b = new LogBuilder().started(run({}));
  b.add(200, 'k8s.event', {
    involvedObject: { kind: 'ReplicaSet', name: 'web-6d9f7c5b8', namespace: 'pullstorm-x' },
    reason: 'FailedCreate',
    type: 'Warning',
    message:
      'Error creating: pods "web-6d9f7c5b8-x2x4q" is forbidden: violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false (container "app" must set securityContext.allowPrivilegeEscalation=false)',
    source: { component: 'replicaset-controller' },
    firstTimestamp: b.iso(200),
    lastTimestamp: b.iso(200),
    count: 1,
  });
  const a = analyze(b.finished(1_000).build());
  expect(a.pods).toEqual([]);
  expect(a.failures).toMatchObject([
    {
      cause: 'pod-refused',
      count: 1,
      pods: ['ReplicaSet/web-6d9f7c5b8'],
      evidence: expect.arrayContaining([expect.stringContaining('restricted:latest')]),
    },
  ]);
});
