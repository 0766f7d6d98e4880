/**
 * The passing fixture's run: a quota (limit 0) from 20 s to 60 s hits three web pods with
 * containerd's real 429 text; each fails three times, backs off 10, 20, 40 s and runs again after
 * the quota resets. Every number below follows from the timeline in runs.ts.
 */
import { describe, expect, test } from 'vitest';
import { analyze } from '../../harness/analyze/index.ts';
import { PASSING_TIMING, passingRun, tiny } from './fixtures/runs.ts';

const a = analyze(passingRun());
const [fault] = a.faults;
const web = ['web-7c9f5d8b6-bk2xq', 'web-7c9f5d8b6-mz4lp', 'web-7c9f5d8b6-t8wnd'];

describe('a rate-limit fault, three pods failing with 429 then recovering', () => {
  test('the run', () => {
    expect(a.run).toEqual({
      id: 'rate-limit-recovery-20260302-090000',
      scenario: 'rate-limit-recovery',
      description: 'A pull quota hits three web pods; they recover once it resets',
      backend: 'containerd',
      startedAt: '2026-03-02T09:00:00.000Z',
      finishedAt: '2026-03-02T09:02:00.000Z',
      durationMs: 120_000,
      clock: 'warp',
      timing: PASSING_TIMING,
      outcome: 'completed',
      environment: { runtime: 'node 24.21.0', containerd: '1.7.24', kubelet: '1.32' },
    });
    expect(a.verdict).toBe('pass');
  });

  test('detection: fault start → each pod’s first 429, in scenario time as measured', () => {
    expect(fault).toMatchObject({
      id: 'rate-limit-0',
      fault: 'rate-limit',
      window: { startMs: 20_000, endMs: 60_000 },
      expectedCauses: ['rate-limited'],
      affectedPods: web,
    });
    expect(fault!.detection).toEqual({
      first: { ms: 1_050 },
      median: { ms: 3_040 },
      last: { ms: 5_060 },
      perPod: [
        { pod: web[0], ms: 1_050 },
        { pod: web[1], ms: 3_040 },
        { pod: web[2], ms: 5_060 },
      ],
    });
  });

  test('classification: each failed pull counted once although the log holds it twice', () => {
    expect(fault!.classification).toEqual({
      counts: { 'rate-limited': 9 },
      matching: 9,
      misclassified: 0,
      unclassified: 0,
    });
  });

  test('recovery is bounded by the backoff left at the clear', () => {
    // Last runs: 97120, 98120, 100120 → 100120 − 60000.
    expect(fault!.recovery).toEqual({ ms: 40_120 });
    expect(fault!.failedPods).toEqual(web);
    expect(fault!.unrecoveredPods).toEqual([]);
    // Last failures 55550, 56640, 58560, each with kubelet's third step (40 s): 58560 + 40000 − 60000.
    expect(fault!.backoffAtClear).toEqual({ maxRemainingMs: 38_560, maxStepMs: 40_000 });
  });

  test('pulls and nearest-rank latency (Pulling → Pulled)', () => {
    expect(a.pulls).toEqual({
      attempts: 13,
      succeeded: 4,
      failed: 9,
      latency: { count: 4, p50: 100, p90: 120, p95: 120, p99: 120, max: 120 },
    });
  });

  test('failures grouped by cause with an example and its evidence', () => {
    expect(a.failures).toHaveLength(1);
    expect(a.failures[0]).toMatchObject({
      cause: 'rate-limited',
      title: 'Registry rate limit (HTTP 429)',
      count: 9,
      pods: web,
      example: `Failed to pull image "${tiny.ref}": failed to pull and unpack image "${tiny.ref}": failed to resolve reference "${tiny.ref}": unexpected status from HEAD request to http://127.0.0.1:5000/v2/pullstorm/tiny/manifests/1.0: 429 Too Many Requests`,
      evidence: [
        'status: 429 Too Many Requests',
        'request: HEAD http://127.0.0.1:5000/v2/pullstorm/tiny/manifests/1.0',
        'host: 127.0.0.1:5000',
        'image: 127.0.0.1:5000/pullstorm/tiny:1.0',
        'registry: 127.0.0.1:5000',
      ],
    });
    expect(a.failures[0]!.remediation).toContain('pull-through cache');
  });

  test('pod timelines', () => {
    expect(a.pods.map((p) => p.pod)).toEqual(['batch', ...web]);
    const [batch, first] = a.pods;
    expect(batch).toMatchObject({
      node: 'node-0',
      image: tiny.ref,
      states: [
        { atMs: 4_000, phase: 'Pending', reason: 'ContainerCreating' },
        { atMs: 4_640, phase: 'Running' },
      ],
      final: { phase: 'Running' },
      digest: tiny.digest,
    });
    expect(batch!.lastError).toBeUndefined();
    expect(batch!.events.map((e) => e.reason)).toEqual([
      'Scheduled',
      'Pulling',
      'Pulled',
      'Created',
      'Started',
    ]);
    expect(first!.states.map((s) => [s.atMs, s.reason ?? s.phase])).toEqual([
      [21_000, 'ContainerCreating'],
      [21_050, 'ErrImagePull'],
      [26_000, 'ImagePullBackOff'],
      [33_550, 'ErrImagePull'],
      [45_000, 'ImagePullBackOff'],
      [55_550, 'ErrImagePull'],
      [70_000, 'ImagePullBackOff'],
      [85_000, 'ImagePullBackOff'],
      [97_120, 'Running'],
    ]);
    expect(first!.events).toHaveLength(22);
    expect(first!.lastError).toBe(a.failures[0]!.example);
    expect(first!.final).toEqual({ phase: 'Running' });
  });

  test('registry load: the 429s of containerd’s six immediate retries', () => {
    const blobs = 1_470 + 2_145;
    expect(a.registry).toMatchObject({
      requests: 70,
      byRoute: { manifest: 62, blob: 8 },
      byStatus: { '200': 16, '429': 54 },
      bytesServed: 4 * (528 + blobs),
      tooManyRequests: 54,
      originBlobBytes: 4 * blobs,
      uniqueBlobBytes: blobs,
      amplification: 4,
    });
    expect(a.registry.byClient['10.0.0.11']).toEqual({
      requests: 22,
      bytes: 528 + blobs,
      tooManyRequests: 18,
    });
    // One entry per second from 0 to the last request (100 s), empty seconds included.
    expect(a.registry.perSecond).toHaveLength(101);
    const busy = a.registry.perSecond.filter((s) => Object.keys(s.byStatus).length > 0);
    expect(busy.map((s) => [s.second, s.byStatus])).toEqual([
      [4, { '200': 4 }],
      ...[21, 23, 25, 33, 34, 36, 55, 56, 58].map((second) => [second, { '429': 6 }]),
      [97, { '200': 4 }],
      [98, { '200': 4 }],
      [100, { '200': 4 }],
    ]);
  });

  test('no drift: every node runs one digest', () => {
    expect(a.drift).toEqual({
      tags: [
        {
          reference: tiny.ref,
          digestsByNode: {
            'node-0': tiny.digest,
            'node-1': tiny.digest,
            'node-2': tiny.digest,
            'node-3': tiny.digest,
          },
          drift: false,
        },
      ],
      detected: false,
    });
  });

  test('expectations in sentences, measured against their bounds as they are', () => {
    expect(
      a.expectations.map(({ description, expected, actual, passed }) => ({
        description,
        expected,
        actual,
        passed,
      })),
    ).toEqual([
      {
        description: 'rate-limit-0 detected within 30s',
        expected: 'detected within 30s',
        actual: 'detected after 1.1s',
        passed: true,
      },
      {
        description: 'rate-limit-0 failures classified as rate-limited',
        expected: 'every failure rate-limited',
        actual: 'all 9 failures rate-limited',
        passed: true,
      },
      {
        description: 'rate-limit-0 recovered within 2m',
        expected: 'recovered within 2m',
        actual: 'recovered after 40.1s; kubelet backoff had up to 38.6s left at the clear',
        passed: true,
      },
      {
        description: 'p95 pull latency under 10s',
        expected: 'under 10s',
        actual: 'p95 120ms over 4 pulls',
        passed: true,
      },
      {
        description: 'all pods running within 3m',
        expected: 'all pods running within 3m',
        actual: 'all 4 pods running after 1m40s',
        passed: true,
      },
      {
        description: 'at least 3 pods in ImagePullBackOff',
        expected: 'at least 3 pods',
        actual: '3 pods showed ImagePullBackOff',
        passed: true,
      },
    ]);
    expect(a.expectations[0]!.expectation).toEqual({
      type: 'detectedWithin',
      fault: 'rate-limit-0',
      withinMs: 30_000,
    });
  });
});
