/**
 * The failing fixtures: a rate-limit storm (a wall of 429s, detected, recovered too slowly) with a
 * TLS fault that was never detected because its failures were misclassified; the same run ended by
 * a harness error; and a tag overwrite that left nodes on different digests.
 */
import type { Analysis } from '../../harness/analyze/types.ts';
import { emptyRegistry, healthyPod, percentiles } from './build.ts';
import {
  DIGEST,
  error429,
  errorReset,
  expectation,
  flakyPod,
  group,
  IMAGE,
  run,
  timing,
} from './fixtures.ts';

const NODES = ['node-a', 'node-b', 'node-c', 'node-d'];

function perSecond(): Analysis['registry']['perSecond'] {
  return Array.from({ length: 120 }, (_, second): Analysis['registry']['perSecond'][number] => {
    if (second >= 10 && second < 70) return { second, byStatus: { '200': 1, '429': 38 + (second % 5) } };
    if (second >= 40 && second < 80) return { second, byStatus: { '200': 2, '0': 3 } };
    return { second, byStatus: { '200': second >= 70 && second < 80 ? 6 : 1 } };
  });
}

/** Expectations fail: recovery from the 429 wall too slow; the TLS fault never detected. */
export function failingRun(): Analysis {
  const quotaPods = Array.from({ length: 8 }, (_, i) => {
    const start = 12_000 + i * 500;
    return flakyPod(
      `web-${i}`,
      NODES[i % 4]!,
      start,
      [start + 300, start + 10_800, start + 31_300],
      error429,
      78_000 + i * 1500,
    );
  });
  const tlsPods = Array.from({ length: 4 }, (_, i) => {
    const start = 45_000 + i * 1000;
    return flakyPod(
      `web-${8 + i}`,
      'node-d',
      start,
      [start + 200, start + 10_700],
      errorReset,
      i < 2 ? 85_000 + i * 2000 : null,
    );
  });
  const pods = [...quotaPods, ...tlsPods, healthyPod('web-12', 'node-a', IMAGE, 2000, 900, DIGEST)];
  const statuses = perSecond().flatMap((s) => Object.entries(s.byStatus));
  const total = (code: string) => statuses.filter(([c]) => c === code).reduce((n, [, v]) => n + v, 0);
  return {
    schemaVersion: 2,
    run: run(
      'rate-limit-storm',
      'A Docker Hub-style quota hit by 12 pods, then a registry certificate from an unknown CA on node-d.',
      120_000,
      // A busy harness: three timers fired late, so the report must say durations may be inflated.
      {
        clock: 'warp',
        timing: timing({
          skippedMs: 64_000,
          warps: 18,
          lateTimers: 3,
          maxLateMs: 420,
          eventLoopDelay: { p50Ms: 11, p99Ms: 130.5, maxMs: 452 },
        }),
      },
    ),
    faults: [
      {
        id: 'quota',
        fault: 'rate-limit',
        window: { startMs: 10_000, endMs: 70_000 },
        expectedCauses: ['rate-limited'],
        affectedPods: quotaPods.map((p) => p.pod),
        detection: {
          first: { ms: 2300 },
          median: { ms: 4050 },
          last: { ms: 5800 },
          perPod: quotaPods.map((p, i) => ({ pod: p.pod, ms: 2300 + i * 500 })),
        },
        classification: { counts: { 'rate-limited': 24 }, matching: 24, misclassified: 0, unclassified: 0 },
        recovery: { ms: 18_500 },
        backoffAtClear: { maxRemainingMs: 16_000, maxStepMs: 32_000 },
      },
      {
        id: 'tls',
        fault: 'tls-unknown-ca',
        window: { startMs: 40_000, endMs: 80_000 },
        expectedCauses: ['tls-unknown-ca'],
        affectedPods: [],
        detection: null,
        classification: {
          counts: { 'connection-reset': 6, unclassified: 2 },
          matching: 0,
          misclassified: 6,
          unclassified: 2,
        },
        recovery: null,
        backoffAtClear: { maxRemainingMs: 9000, maxStepMs: 16_000 },
      },
    ],
    pulls: {
      attempts: 45,
      succeeded: 11,
      failed: 34,
      latency: percentiles([900, ...Array.from({ length: 10 }, () => 1200)]),
    },
    failures: [
      group(
        'rate-limited',
        24,
        quotaPods.map((p) => p.pod),
        error429,
        [
          'status: 429',
          'request: HEAD https://registry:5000/v2/pullstorm/tiny/manifests/1.0',
          'host: registry:5000',
        ],
      ),
      group(
        'connection-reset',
        8,
        tlsPods.map((p) => p.pod),
        errorReset,
        [
          'errno: ECONNRESET',
          'request: HEAD https://registry:5000/v2/pullstorm/tiny/manifests/1.0',
          'host: registry:5000',
        ],
      ),
    ],
    pods,
    registry: {
      ...emptyRegistry(),
      requests: statuses.reduce((n, [, v]) => n + v, 0),
      byRoute: { manifest: 2510, blob: 48, token: 0 },
      byStatus: { '200': total('200'), '429': total('429'), '0': total('0') },
      byClient: Object.fromEntries(
        NODES.map((node, i) => [
          node,
          { requests: 600 + i * 17, bytes: 1_048_576 * (i + 1), tooManyRequests: 560 + i * 10 },
        ]),
      ),
      bytesServed: 12_582_912,
      tooManyRequests: total('429'),
      perSecond: perSecond(),
      originBlobBytes: 11_534_336,
      uniqueBlobBytes: 1_048_576,
      amplification: 11,
    },
    drift: {
      tags: [
        { reference: IMAGE, digestsByNode: Object.fromEntries(NODES.map((n) => [n, DIGEST])), drift: false },
      ],
      detected: false,
    },
    expectations: [
      expectation(
        { type: 'detectedWithin', fault: 'quota', withinMs: 30_000 },
        'quota detected within 30s',
        true,
        '≤ 30s',
        '2.3s',
      ),
      expectation(
        { type: 'classifiedAs', fault: 'quota', cause: 'rate-limited' },
        'quota failures classified as rate-limited',
        true,
        'rate-limited',
        'rate-limited 24 of 24',
      ),
      expectation(
        { type: 'recoveredWithin', fault: 'quota', withinMs: 12_000 },
        'quota recovered within 12s',
        false,
        '≤ 12s',
        '18.5s',
      ),
      expectation(
        { type: 'detectedWithin', fault: 'tls', withinMs: 30_000 },
        'tls detected within 30s',
        false,
        '≤ 30s',
        'not detected',
      ),
      expectation(
        { type: 'classifiedAs', fault: 'tls', cause: 'tls-unknown-ca' },
        'tls failures classified as tls-unknown-ca',
        false,
        'tls-unknown-ca',
        'connection-reset 6, unclassified 2 (0 of 8 matching)',
      ),
      expectation(
        { type: 'pullLatency', percentile: 95, underMs: 10_000 },
        'pull latency p95 under 10s',
        true,
        '< 10s',
        '1.2s',
      ),
    ],
    verdict: 'fail',
  };
}

/** The failing run cut short by a harness error: every expectation is an error in JUnit. */
export function errorRun(): Analysis {
  const a = failingRun();
  return {
    ...a,
    run: {
      ...a.run,
      outcome: 'error',
      error: 'containerd on node-b exited with code 1 (see node-b/containerd.log) & took <3> nodes down',
      finishedAt: null,
    },
    verdict: 'error',
  };
}

const OLD = `sha256:${'0b'.repeat(32)}`;
const NEW = `sha256:${'e7'.repeat(32)}`;

/** `app:stable` re-pointed mid-run: pods started after the overwrite run other content. */
export function driftRun(): Analysis {
  const ref = 'registry:5000/pullstorm/app:stable';
  const nodes = ['node-1', 'node-2', 'node-3'];
  const pods = nodes.flatMap((node, i) => [
    { ...healthyPod(`app-${i}`, node, ref, 1000, 1100 + i * 100, OLD) },
    { ...healthyPod(`app-${i + 3}`, node, ref, 25_000, 1300, i === 2 ? NEW : OLD) },
  ]);
  return {
    schemaVersion: 2,
    run: run(
      'tag-overwrite',
      'app:stable is re-pointed to a new digest at 20 s; nodes must not end up on different content.',
      40_000,
      // Recorded before the run clock, under the old time scale: reports must say so.
      { clock: 'scaled', legacyTimeScale: 10, timing: null },
    ),
    faults: [
      {
        id: 'retag',
        fault: 'tag-overwrite',
        window: { startMs: 20_000, endMs: 20_000 },
        expectedCauses: [],
        affectedPods: [],
        detection: null,
        classification: { counts: {}, matching: 0, misclassified: 0, unclassified: 0 },
        recovery: null,
        backoffAtClear: null,
      },
    ],
    pulls: {
      attempts: 6,
      succeeded: 6,
      failed: 0,
      latency: percentiles([1100, 1200, 1300, 1300, 1300, 1300]),
    },
    failures: [],
    pods,
    registry: {
      ...emptyRegistry(),
      requests: 24,
      byRoute: { manifest: 12, blob: 12 },
      byStatus: { '200': 24 },
      byClient: Object.fromEntries(
        nodes.map((n) => [n, { requests: 8, bytes: 2_097_152, tooManyRequests: 0 }]),
      ),
      bytesServed: 6_291_456,
      perSecond: [1, 2, 25, 26].map((second) => ({ second, byStatus: { '200': 6 } })),
      originBlobBytes: 6_291_456,
      uniqueBlobBytes: 4_194_304,
      amplification: 1.5,
    },
    drift: {
      tags: [{ reference: ref, digestsByNode: { 'node-1': OLD, 'node-2': OLD, 'node-3': NEW }, drift: true }],
      detected: true,
    },
    expectations: [
      expectation(
        { type: 'digestDrift', detected: false },
        'no digest drift between nodes',
        false,
        'one digest per tag',
        `2 digests for ${ref} across 3 nodes`,
      ),
      expectation(
        { type: 'allPodsRunning' },
        'all pods running by the end of the run',
        true,
        '6 of 6 running',
        '6 of 6 running',
      ),
    ],
    verdict: 'fail',
  };
}
