/**
 * The passing fixture's run: a quota (limit 0) from 2 s to 6 s scaled (time scale 10) hits three web
 * pods with containerd's real 429 text; each fails three times, backs off 1, 2, 4 s (scaled) and
 * runs again after the quota resets. Every number below follows from the timeline in runs.ts.
 */
import { describe, expect, test } from 'vitest';
import { analyze } from '../../harness/analyze/index.ts';
import { passingRun, tiny } from './fixtures/runs.ts';

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
      finishedAt: '2026-03-02T09:00:12.000Z',
      durationMs: 12_000,
      timeScale: 10,
      outcome: 'completed',
      environment: { runtime: 'node 24.21.0', containerd: '1.7.24', kubelet: '1.32' },
    });
    expect(a.verdict).toBe('pass');
  });

  test('detection: fault start → each pod’s first 429, with real-time equivalents', () => {
    expect(fault).toMatchObject({
      id: 'rate-limit-0',
      fault: 'rate-limit',
      window: { startMs: 2_000, endMs: 6_000 },
      expectedCauses: ['rate-limited'],
      affectedPods: web,
    });
    expect(fault!.detection).toEqual({
      first: { ms: 150, realMs: 1_500 },
      median: { ms: 340, realMs: 3_400 },
      last: { ms: 560, realMs: 5_600 },
      perPod: [
        { pod: web[0], ms: 150 },
        { pod: web[1], ms: 340 },
        { pod: web[2], ms: 560 },
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
    // Last runs: 9820, 9920, 10120 → 10120 − 6000.
    expect(fault!.recovery).toEqual({ ms: 4_120, realMs: 41_200 });
    expect(fault!.failedPods).toEqual(web);
    expect(fault!.unrecoveredPods).toEqual([]);
    // Last failures 5600, 5700, 5910, each with a 4 s step: 5910 + 4000 − 6000.
    expect(fault!.backoffAtClear).toEqual({
      maxRemainingMs: 3_910,
      maxStepMs: 4_000,
      realMaxRemainingMs: 39_100,
      realMaxStepMs: 40_000,
    });
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
        { atMs: 400, phase: 'Pending', reason: 'ContainerCreating' },
        { atMs: 590, phase: 'Running' },
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
      [2100, 'ContainerCreating'],
      [2150, 'ErrImagePull'],
      [2600, 'ImagePullBackOff'],
      [3400, 'ErrImagePull'],
      [4500, 'ImagePullBackOff'],
      [5600, 'ErrImagePull'],
      [7000, 'ImagePullBackOff'],
      [8500, 'ImagePullBackOff'],
      [9820, 'Running'],
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
    expect(a.registry.perSecond.map((s) => s.byStatus)).toEqual([
      { '200': 4 },
      {},
      { '429': 18 },
      { '429': 18 },
      {},
      { '429': 18 },
      {},
      {},
      {},
      { '200': 8 },
      { '200': 4 },
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

  test('expectations in sentences, scaled and real', () => {
    expect(
      a.expectations.map(({ description, expected, actual, passed }) => ({
        description,
        expected,
        actual,
        passed,
      })),
    ).toEqual([
      {
        description: 'rate-limit-0 detected within 3s (real 30s)',
        expected: 'detected within 3s (real 30s)',
        actual: 'detected after 150ms (real 1.5s)',
        passed: true,
      },
      {
        description: 'rate-limit-0 failures classified as rate-limited',
        expected: 'every failure rate-limited',
        actual: 'all 9 failures rate-limited',
        passed: true,
      },
      {
        description: 'rate-limit-0 recovered within 12s (real 2m)',
        expected: 'recovered within 12s (real 2m)',
        actual:
          'recovered after 4.1s (real 41.2s); kubelet backoff had up to 3.9s (real 39.1s) left at the clear',
        passed: true,
      },
      {
        description: 'p95 pull latency under 10s',
        expected: 'under 10s',
        actual: 'p95 120ms over 4 pulls',
        passed: true,
      },
      {
        description: 'all pods running within 18s (real 3m)',
        expected: 'all pods running within 18s (real 3m)',
        actual: 'all 4 pods running after 10.1s (real 1m41s)',
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
