/**
 * The failing fixture's run (real clock): an unknown-CA fault from 5 s to 25 s that no pod ever
 * reports as such, and a tag overwrite at 30 s that leaves node-1 on a new digest.
 */
import { describe, expect, test } from 'vitest';
import { analyze } from '../../harness/analyze/index.ts';
import { failingRun, tinyTls, tinyTlsV2 } from './fixtures/runs.ts';

const a = analyze(failingRun());
const [tls, overwrite] = a.faults;
const q = 'app-5b8d7c6f9-q7xbn';

describe('a TLS fault never detected', () => {
  test('no detection; the failures inside the window are misclassified and unclassified', () => {
    expect(tls).toMatchObject({
      id: 'tls-unknown-ca-0',
      window: { startMs: 5_000, endMs: 25_000 },
      expectedCauses: ['tls-unknown-ca'],
      affectedPods: [],
      detection: null,
      classification: {
        counts: { 'connection-reset': 1, unclassified: 1 },
        matching: 0,
        misclassified: 1,
        unclassified: 1,
      },
      failedPods: [q],
    });
  });

  test('recovery is still measured for the pod that failed, bounded by its 20 s step', () => {
    // Failures at 6400 (step 10 s) and 16800 (step 20 s); running again at 37620.
    expect(tls!.recovery).toEqual({ ms: 12_620 });
    expect(tls!.backoffAtClear).toEqual({ maxRemainingMs: 11_800, maxStepMs: 20_000 });
  });

  test('a fault that expects no error is never detected and never clears', () => {
    expect(overwrite).toEqual({
      id: 'tag-overwrite-1',
      fault: 'tag-overwrite',
      window: { startMs: 30_000, endMs: null },
      expectedCauses: [],
      affectedPods: [],
      detection: null,
      classification: { counts: {}, matching: 0, misclassified: 0, unclassified: 0 },
      recovery: null,
      backoffAtClear: null,
      failedPods: [],
    });
  });

  test('failure groups: most frequent first, ties in the catalogue order', () => {
    expect(a.failures.map((f) => [f.cause, f.count, f.pods])).toEqual([
      ['connection-reset', 1, [q]],
      ['unclassified', 1, [q]],
    ]);
    expect(a.failures[1]!.example).toMatch(/remote error: tls: bad certificate$/);
    expect(a.failures[1]!.evidence).toEqual([
      'request: HEAD https://registry.pullstorm.test:5443/v2/pullstorm/tiny/manifests/1.0',
      'host: registry.pullstorm.test:5443',
      'image: registry.pullstorm.test:5443/pullstorm/tiny:1.0',
      'registry: registry.pullstorm.test:5443',
    ]);
  });
});

describe('a tag overwrite', () => {
  test('two nodes on different digests is drift', () => {
    expect(a.drift).toEqual({
      tags: [
        {
          reference: tinyTls.ref,
          digestsByNode: { 'node-0': tinyTls.digest, 'node-1': tinyTlsV2.digest, 'node-2': tinyTls.digest },
          drift: true,
        },
      ],
      detected: true,
    });
    expect(a.pods.find((p) => p.pod === q)!.digest).toBe(tinyTlsV2.digest);
    expect(a.pods.find((p) => p.pod === 'canary')).toMatchObject({ node: 'node-0', digest: tinyTls.digest });
  });

  test('the new config blob counts once among the unique blobs', () => {
    expect(a.registry).toMatchObject({
      requests: 12,
      originBlobBytes: 3 * (1_470 + 2_145),
      uniqueBlobBytes: 2 * 1_470 + 2_145,
    });
    expect(a.registry.amplification).toBeCloseTo(10_845 / 5_085, 12);
  });
});

test('verdict and sentences', () => {
  expect(a.verdict).toBe('fail');
  expect(a.pulls).toEqual({
    attempts: 5,
    succeeded: 3,
    failed: 2,
    latency: { count: 3, p50: 800, p90: 900, p95: 900, p99: 900, max: 900 },
  });
  expect(a.expectations.map((e) => [e.passed, e.description, e.actual])).toEqual([
    [false, 'tls-unknown-ca-0 detected within 10s', 'never detected'],
    [
      false,
      'tls-unknown-ca-0 failures classified as tls-unknown-ca',
      '0 of 2 failures tls-unknown-ca; 1 connection-reset, 1 unclassified',
    ],
    [
      true,
      'tls-unknown-ca-0 recovered within 1m',
      'recovered after 12.6s; kubelet backoff had up to 11.8s left at the clear',
    ],
    [false, 'no digest drift between nodes', `${tinyTls.ref}: 2 digests across 3 nodes`],
    [false, 'origin amplification at most 1.5', '2.13 (10845 origin blob bytes for 5085 unique)'],
    [true, 'all pods running by the end of the run', 'all 4 pods running after 40.2s'],
  ]);
});
