/**
 * A 10,000-pod pull storm generated in code (deterministic, seeded): 200 virtual nodes, a registry
 * quota for the first 90 s that most pods hit one to four times, a few pods still failing at the end.
 * Large on purpose: it proves the HTML report aggregates instead of growing with every pod.
 */
import type { Analysis, PodTimeline } from '../../harness/analyze/types.ts';
import { event, failedToPull, healthyPod, iso, percentiles, random } from './build.ts';
import { error429, expectation, group, run, timing } from './fixtures.ts';

const IMAGE = 'registry:5000/pullstorm/tiny:1.0';
const DIGEST = `sha256:${'5a'.repeat(32)}`;

function stormPod(
  i: number,
  rnd: () => number,
): { pod: PodTimeline; errors: number; detectMs?: number; latency?: number } {
  const name = `storm-${String(i).padStart(5, '0')}`;
  const node = `vnode-${String(i % 200).padStart(3, '0')}`;
  const start = Math.floor((i / 10_000) * 20_000);
  const latency = 400 + Math.floor(rnd() * 7000);
  if (rnd() < 0.25) return { pod: healthyPod(name, node, IMAGE, start, latency, DIGEST), errors: 0, latency };
  const errors = 1 + Math.floor(rnd() * 4);
  const at = Array.from({ length: errors }, (_, k) => start + 200 + k * 4000 * 2 ** Math.min(k, 3));
  const stuck = rnd() < 0.005;
  const recover = stuck ? null : Math.max(at.at(-1)! + 2000, 90_000 + Math.floor(rnd() * 60_000));
  const states: PodTimeline['states'] = [{ atMs: start, phase: 'Pending', reason: 'ContainerCreating' }];
  for (const t of at)
    states.push(
      { atMs: t, phase: 'Pending', reason: 'ErrImagePull' },
      { atMs: t + 300, phase: 'Pending', reason: 'ImagePullBackOff' },
    );
  const events = [
    event(name, node, start, 'Pulling', `Pulling image "${IMAGE}"`, {
      count: errors + 1,
      lastMs: recover ?? at.at(-1)!,
    }),
    event(name, node, at[0]!, 'Failed', failedToPull(IMAGE, error429), {
      warning: true,
      count: errors,
      lastMs: at.at(-1)!,
    }),
    event(name, node, at[0]! + 300, 'BackOff', `Back-off pulling image "${IMAGE}"`, {
      count: errors,
      lastMs: at.at(-1)! + 300,
    }),
  ];
  if (recover === null) {
    return {
      pod: {
        pod: name,
        node,
        image: IMAGE,
        states,
        events,
        final: { phase: 'Pending', reason: 'ImagePullBackOff' },
        lastError: error429,
      },
      errors,
      detectMs: at[0]!,
    };
  }
  states.push({ atMs: recover, phase: 'Running' });
  events.push(
    event(
      name,
      node,
      recover - 100,
      'Pulled',
      `Successfully pulled image "${IMAGE}" in ${(latency / 1000).toFixed(3)}s (${(latency / 1000).toFixed(3)}s including waiting). Image size: 4096 bytes.`,
    ),
  );
  return {
    pod: {
      pod: name,
      node,
      image: IMAGE,
      states,
      events,
      final: { phase: 'Running' },
      lastError: error429,
      digest: DIGEST,
    },
    errors,
    detectMs: at[0]!,
    latency,
  };
}

/** The storm's analysis with `count` pods (10,000 by default). */
export function stormRun(count = 10_000): Analysis {
  const rnd = random(42);
  const generated = Array.from({ length: count }, (_, i) => stormPod(i, rnd));
  const pods = generated.map((g) => g.pod);
  const failing = generated.filter((g) => g.errors > 0);
  const perPod = failing.map((g) => ({ pod: g.pod.pod, ms: g.detectMs! })).sort((a, b) => a.ms - b.ms);
  const latencies = generated.flatMap((g) => (g.latency === undefined ? [] : [g.latency]));
  const failures = failing.reduce((n, g) => n + g.errors, 0);
  const perSecond = Array.from({ length: 180 }, (_, second): Analysis['registry']['perSecond'][number] => ({
    second,
    byStatus:
      second < 90
        ? { '200': 40 + (second % 7), '429': 2600 + ((second * 37) % 400) }
        : { '200': second < 150 ? 500 - second : 12 },
  }));
  const tooMany = perSecond.reduce((n, s) => n + (s.byStatus['429'] ?? 0), 0);
  const requests = perSecond.reduce((n, s) => n + Object.values(s.byStatus).reduce((m, v) => m + v, 0), 0);
  const nodes = Array.from({ length: 200 }, (_, i) => `vnode-${String(i).padStart(3, '0')}`);
  const stuck = failing.filter((g) => g.pod.final.phase !== 'Running').length;
  return {
    schemaVersion: 2,
    run: {
      ...run(
        'pull-storm-10k',
        '10,000 pods on 200 virtual nodes pull one image at once through a rate-limited registry.',
        180_000,
        { clock: 'warp', timing: timing({ skippedMs: 95_000, warps: 31, timersFired: 41_200 }) },
      ),
      backend: 'virtual',
      startedAt: iso(0),
    },
    faults: [
      {
        id: 'hub-quota',
        fault: 'rate-limit',
        window: { startMs: 0, endMs: 90_000 },
        expectedCauses: ['rate-limited'],
        affectedPods: failing.map((g) => g.pod.pod),
        detection: {
          first: { ms: perPod[0]!.ms },
          median: { ms: perPod[perPod.length >> 1]!.ms },
          last: { ms: perPod.at(-1)!.ms },
          perPod,
        },
        classification: {
          counts: { 'rate-limited': failures },
          matching: failures,
          misclassified: 0,
          unclassified: 0,
        },
        recovery: null,
        backoffAtClear: { maxRemainingMs: 30_000, maxStepMs: 30_000 },
      },
    ],
    pulls: {
      attempts: latencies.length + failures,
      succeeded: latencies.length,
      failed: failures,
      latency: percentiles(latencies),
    },
    failures: [
      group(
        'rate-limited',
        failures,
        failing.map((g) => g.pod.pod),
        error429,
        ['status: 429', 'host: registry:5000'],
      ),
    ],
    pods,
    registry: {
      requests,
      byRoute: { manifest: requests - 20_000, blob: 20_000 },
      byStatus: { '200': requests - tooMany, '429': tooMany },
      byClient: Object.fromEntries(
        nodes.map((n, i) => [
          n,
          {
            requests: Math.floor(requests / 200) + i,
            bytes: 50 * 4096,
            tooManyRequests: Math.floor(tooMany / 200),
          },
        ]),
      ),
      bytesServed: 10_000 * 4096,
      tooManyRequests: tooMany,
      perSecond,
      originBlobBytes: 200 * 4096,
      uniqueBlobBytes: 4096,
      amplification: 200,
    },
    drift: {
      tags: [
        { reference: IMAGE, digestsByNode: Object.fromEntries(nodes.map((n) => [n, DIGEST])), drift: false },
      ],
      detected: false,
    },
    expectations: [
      expectation(
        { type: 'detectedWithin', fault: 'hub-quota', withinMs: 30_000 },
        'hub-quota detected within 30s',
        true,
        '≤ 30s',
        `${perPod[0]!.ms}ms`,
      ),
      expectation(
        { type: 'recoveredWithin', fault: 'hub-quota', withinMs: 60_000 },
        'hub-quota recovered within 1m',
        false,
        '≤ 1m',
        `not recovered: ${stuck} pods still in ImagePullBackOff`,
      ),
      expectation(
        { type: 'originAmplification', atMost: 1.2 },
        'origin amplification at most 1.2×',
        false,
        '≤ 1.2×',
        '200×',
      ),
    ],
    verdict: 'fail',
  };
}
