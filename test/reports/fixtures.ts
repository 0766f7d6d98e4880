/**
 * Deterministic `Analysis` objects for report tests, until the analyzer's recorded fixtures exist:
 * a passing run, a failing run (a 429 wall and a TLS fault never detected), a tag overwrite with
 * digest drift, and a harness error. The 10,000-pod storm is generated in `storm-fixture.ts`.
 */

import type { Analysis, ExpectationResult, PodTimeline } from '../../harness/analyze/types.ts';
import type { RunTiming } from '../../harness/events/run-events.ts';
import { CAUSES } from '../../vocab/causes.ts';
import { emptyRegistry, event, failedToPull, healthyPod, iso, percentiles } from './build.ts';

/** The image every small fixture pulls. */
export const IMAGE = 'registry:5000/pullstorm/tiny:1.0';
/** Its digest. */
export const DIGEST = `sha256:${'3f'.repeat(32)}`;
const ENV = { node: 'v24.21.0', os: 'linux x64', containerd: '1.7.24' };

/** Expected/actual of one expectation. */
export function expectation(
  e: ExpectationResult['expectation'],
  description: string,
  passed: boolean,
  expected: string,
  actual: string,
): ExpectationResult {
  return { expectation: e, description, passed, expected, actual };
}

/** A pod whose pulls fail at each of `errorsAt` (ErrImagePull, then back-off) and that runs at `recoverMs`, or never. */
export function flakyPod(
  pod: string,
  node: string,
  startMs: number,
  errorsAt: readonly number[],
  error: string,
  recoverMs: number | null,
): PodTimeline {
  const states: PodTimeline['states'] = [{ atMs: startMs, phase: 'Pending', reason: 'ContainerCreating' }];
  for (const at of errorsAt) {
    states.push({ atMs: at, phase: 'Pending', reason: 'ErrImagePull', message: error });
    states.push({
      atMs: at + 500,
      phase: 'Pending',
      reason: 'ImagePullBackOff',
      message: `Back-off pulling image "${IMAGE}": ErrImagePull: ${error}`,
    });
  }
  const n = errorsAt.length;
  const first = errorsAt[0]!;
  const last = errorsAt.at(-1)!;
  const events = [
    event(pod, node, startMs, 'Pulling', `Pulling image "${IMAGE}"`, {
      count: n + (recoverMs === null ? 0 : 1),
      lastMs: recoverMs === null ? last - 100 : recoverMs - 1400,
    }),
    event(pod, node, first, 'Failed', failedToPull(IMAGE, error), { warning: true, count: n, lastMs: last }),
    event(pod, node, first, 'Failed', 'Error: ErrImagePull', { warning: true, count: n, lastMs: last }),
    event(pod, node, first + 500, 'BackOff', `Back-off pulling image "${IMAGE}"`, {
      count: n,
      lastMs: last + 500,
    }),
    event(pod, node, first + 500, 'Failed', 'Error: ImagePullBackOff', {
      warning: true,
      count: n,
      lastMs: last + 500,
    }),
  ];
  if (recoverMs === null)
    return {
      pod,
      node,
      image: IMAGE,
      states,
      events,
      final: { phase: 'Pending', reason: 'ImagePullBackOff' },
      lastError: error,
    };
  states.push({ atMs: recoverMs, phase: 'Running' });
  events.push(
    event(
      pod,
      node,
      recoverMs - 200,
      'Pulled',
      `Successfully pulled image "${IMAGE}" in 1.2s (1.2s including waiting). Image size: 4096 bytes.`,
    ),
    event(pod, node, recoverMs - 100, 'Created', 'Created container: app'),
    event(pod, node, recoverMs, 'Started', 'Started container app'),
  );
  return {
    pod,
    node,
    image: IMAGE,
    states,
    events,
    final: { phase: 'Running' },
    lastError: error,
    digest: DIGEST,
  };
}

/** A 503 as containerd reports it. */
export const error503 = `rpc error: code = Unknown desc = failed to pull and unpack image "${IMAGE}": failed to resolve reference "${IMAGE}": unexpected status from HEAD request to https://registry:5000/v2/pullstorm/tiny/manifests/1.0: 503 Service Unavailable`;
/** A 429 as containerd reports it. */
export const error429 = `rpc error: code = Unknown desc = failed to pull and unpack image "${IMAGE}": failed to resolve reference "${IMAGE}": unexpected status from HEAD request to https://registry:5000/v2/pullstorm/tiny/manifests/1.0: 429 Too Many Requests`;
/** A connection reset as containerd reports it. */
export const errorReset = `rpc error: code = Unknown desc = failed to pull and unpack image "${IMAGE}": failed to resolve reference "${IMAGE}": failed to do request: Head "https://registry:5000/v2/pullstorm/tiny/manifests/1.0": read tcp 127.0.0.1:51234->127.0.0.1:5000: read: connection reset by peer`;

/** A failure group with the catalogue's title and remediation. */
export function group(
  cause: keyof typeof CAUSES,
  count: number,
  pods: string[],
  example: string,
  evidence: string[],
): Analysis['failures'][number] {
  const info = CAUSES[cause];
  return { cause, title: info.title, remediation: info.remediation, count, pods, example, evidence };
}

/** A run clock's measurements: warp, nothing skipped, no timer late, unless overridden. */
export function timing(
  overrides: Partial<Omit<RunTiming, 'eventLoopDelay'>> & {
    eventLoopDelay?: RunTiming['eventLoopDelay'];
  } = {},
): RunTiming {
  return {
    clock: 'warp',
    skippedMs: 0,
    warps: 0,
    timersFired: 240,
    lateTimers: 0,
    maxLateMs: 0,
    eventLoopDelay: { p50Ms: 10.1, p99Ms: 12.4, maxMs: 21.7 },
    ...overrides,
  };
}

/** The clock fields of a run's metadata. */
export type ClockFields = Pick<Analysis['run'], 'clock' | 'timing' | 'legacyTimeScale'>;

/** Run metadata of a completed fixture run. */
export function run(
  scenario: string,
  description: string,
  durationMs: number,
  clock: ClockFields,
): Analysis['run'] {
  return {
    id: `${scenario}-20261126-190000`,
    scenario,
    description,
    backend: 'containerd',
    startedAt: iso(0),
    finishedAt: iso(durationMs),
    durationMs,
    ...clock,
    outcome: 'completed',
    environment: ENV,
  };
}

/** Every expectation held: a registry outage of 10 s, detected and recovered in time. */
export function passingRun(): Analysis {
  const pods = [
    healthyPod('api-0', 'node-a', IMAGE, 1000, 1400, DIGEST),
    healthyPod('api-1', 'node-b', IMAGE, 1000, 1800, DIGEST),
    flakyPod('api-2', 'node-a', 6000, [6200, 16_000], error503, 24_800),
    flakyPod('api-3', 'node-b', 6500, [6700], error503, 19_300),
  ];
  return {
    schemaVersion: 2,
    run: run(
      'registry-5xx-recovery',
      'A 10 s registry outage: pods must see 503s, classify them and recover within a minute.',
      40_000,
      { clock: 'warp', timing: timing({ skippedMs: 12_000, warps: 4 }) },
    ),
    faults: [
      {
        id: 'outage',
        fault: 'server-error',
        window: { startMs: 5000, endMs: 15_000 },
        expectedCauses: ['server-error'],
        affectedPods: ['api-2', 'api-3'],
        detection: {
          first: { ms: 1200 },
          median: { ms: 1450 },
          last: { ms: 1700 },
          perPod: [
            { pod: 'api-2', ms: 1200 },
            { pod: 'api-3', ms: 1700 },
          ],
        },
        classification: { counts: { 'server-error': 3 }, matching: 3, misclassified: 0, unclassified: 0 },
        recovery: { ms: 9800 },
        backoffAtClear: { maxRemainingMs: 8000, maxStepMs: 20_000 },
      },
    ],
    pulls: { attempts: 7, succeeded: 4, failed: 3, latency: percentiles([1400, 1800, 1200, 1200]) },
    failures: [
      group('server-error', 3, ['api-2', 'api-3'], error503, [
        'status: 503',
        'request: HEAD https://registry:5000/v2/pullstorm/tiny/manifests/1.0',
        'host: registry:5000',
      ]),
    ],
    pods,
    registry: {
      ...emptyRegistry(),
      requests: 31,
      byRoute: { manifest: 11, blob: 16, base: 4 },
      byStatus: { '200': 28, '503': 3 },
      byClient: {
        'node-a': { requests: 16, bytes: 2_097_152, tooManyRequests: 0 },
        'node-b': { requests: 15, bytes: 2_097_152, tooManyRequests: 0 },
      },
      bytesServed: 4_210_000,
      perSecond: [1, 2, 6, 7, 16, 19, 24, 25].map((second): Analysis['registry']['perSecond'][number] => ({
        second,
        byStatus: second === 6 || second === 16 ? { '503': second === 6 ? 2 : 1 } : { '200': 3 },
      })),
      originBlobBytes: 4_194_304,
      uniqueBlobBytes: 4_194_304,
      amplification: 1,
    },
    drift: {
      tags: [{ reference: IMAGE, digestsByNode: { 'node-a': DIGEST, 'node-b': DIGEST }, drift: false }],
      detected: false,
    },
    expectations: [
      expectation(
        { type: 'detectedWithin', fault: 'outage', withinMs: 30_000 },
        'outage detected within 30s',
        true,
        '≤ 30s',
        '1.2s',
      ),
      expectation(
        { type: 'classifiedAs', fault: 'outage', cause: 'server-error' },
        'outage failures classified as server-error',
        true,
        'server-error',
        'server-error 3 of 3',
      ),
      expectation(
        { type: 'recoveredWithin', fault: 'outage', withinMs: 60_000 },
        'outage recovered within 1m',
        true,
        '≤ 1m',
        '9.8s',
      ),
      expectation(
        { type: 'originAmplification', atMost: 1.5 },
        'origin amplification at most 1.5×',
        true,
        '≤ 1.5×',
        '1×',
      ),
    ],
    verdict: 'pass',
  };
}
