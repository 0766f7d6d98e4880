/**
 * Pull time through a mirror against a direct pull in the same run (`mirrors[].latency`), and
 * while a fault keeps the mirror down for some nodes (`mirrors[].fallback`, the `fallbackTime`
 * expectation). Pull attempts are placed by their end (`time`) and `durationMs`, as kubelet
 * writes them, so every start and every number below is known in advance.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../harness/analyze/index.ts';
import { pullGroup } from '../../harness/analyze/mirror-timing.ts';
import type { ExpectationInput, MirrorInput } from '../../harness/scenario/index.ts';
import { renderHtml, renderMarkdown } from '../../reports/index.ts';
import { LogBuilder, scenario } from './builders.ts';

const IMAGE = 'registry.pullstorm.test:5000/pullstorm/large:1.0';

function mirrorRun(
  faults: { id: string; fault: string; nodes: string[]; options?: Record<string, unknown> }[] = [],
  expectations: ExpectationInput[] = [],
  mirrors: MirrorInput[] = [{ name: 'cache', type: 'distribution', nodes: ['via'] }],
) {
  return scenario({
    apiVersion: 'pullstorm.dev/v1alpha1',
    kind: 'Scenario',
    name: 'timing',
    backend: {
      nodes: [
        { name: 'via', count: 4 },
        { name: 'direct', count: 2 },
      ],
    },
    registries: [{ name: 'registry', mirrors }],
    workload: [{ kind: 'prepull', name: 'p', image: 'registry/pullstorm/large:1.0' }],
    faults: faults.map((f) => ({
      id: f.id,
      fault: f.fault,
      scope: { registry: 'cache', nodes: f.nodes },
      ...(f.options ? { options: f.options } : {}),
    })),
    expectations,
  });
}

/** A successful pull on `node` from `startMs` taking `ms`. */
function pull(b: LogBuilder, node: string, startMs: number, ms: number, ok = true) {
  b.attempt(startMs + ms, {
    node,
    pod: `p-${node}`,
    image: IMAGE,
    ok,
    durationMs: ms,
    ...(ok ? {} : { error: 'failed to pull' }),
  });
}

describe('latency added by a mirror', () => {
  it('groups pulls into direct, cold (started before the first pull through the mirror finished) and warm', () => {
    const b = new LogBuilder().started(mirrorRun());
    pull(b, 'via-0', 1_000, 900); // cold: the first, finished at 1 900
    pull(b, 'via-1', 1_100, 1_000); // cold: started before 1 900
    pull(b, 'via-2', 5_000, 300); // warm
    pull(b, 'via-3', 5_000, 200); // warm
    pull(b, 'direct-0', 1_000, 400);
    pull(b, 'direct-1', 5_000, 500);
    const [m] = analyze(b.finished(9_000).build()).mirrors!;
    expect(m!.nodes).toEqual(['via-0', 'via-1', 'via-2', 'via-3']);
    expect(m!.latency).toEqual({
      direct: { n: 2, min: 400, p50: 400, p95: 500, max: 500 },
      cold: { n: 2, min: 900, p50: 900, p95: 1_000, max: 1_000 },
      warm: { n: 2, min: 200, p50: 200, p95: 300, max: 300 },
      added: { cold: { p50: 500, p95: 500 }, warm: { p50: -200, p95: -200 } },
    });
    expect(m!.fallback).toEqual([]);
  });

  it('leaves failed pulls and other registries out, and says null where a side has no pulls', () => {
    const b = new LogBuilder().started(mirrorRun());
    pull(b, 'via-0', 1_000, 900, false);
    b.attempt(2_000, {
      node: 'direct-0',
      pod: 'x',
      image: 'other.pullstorm.test:5000/a:1',
      ok: true,
      durationMs: 50,
    });
    const [m] = analyze(b.finished(9_000).build()).mirrors!;
    expect(m!.latency.cold.n).toBe(0);
    expect(m!.latency.direct.n).toBe(0);
    expect(m!.latency.added.cold).toEqual({ p50: null, p95: null });
  });

  it('counts as direct only pulls on nodes that no mirror of the registry lists', () => {
    const twoMirrors: MirrorInput[] = [
      { name: 'cache-a', type: 'distribution', nodes: ['via-0', 'via-1'] },
      { name: 'cache-b', type: 'distribution', nodes: ['via-2', 'via-3'] },
    ];
    const b = new LogBuilder().started(mirrorRun([], [], twoMirrors));
    pull(b, 'via-0', 1_000, 900);
    pull(b, 'via-2', 1_000, 700);
    pull(b, 'direct-0', 1_000, 400);
    const [a, bm] = analyze(b.finished(9_000).build()).mirrors!;
    expect(a!.latency.direct).toEqual({ n: 1, min: 400, p50: 400, p95: 400, max: 400 });
    expect(a!.latency.cold.n).toBe(1);
    expect(bm!.latency.direct).toEqual({ n: 1, min: 400, p50: 400, p95: 400, max: 400 });
    expect(bm!.latency.added.cold).toEqual({ p50: 300, p95: 300 });
  });

  it('says what it compared, with n, in summary.md and report.html', () => {
    const b = new LogBuilder().started(mirrorRun());
    pull(b, 'via-0', 1_000, 900);
    pull(b, 'direct-0', 1_000, 400);
    const a = analyze(b.finished(9_000).build());
    expect(renderMarkdown(a)).toContain(
      '**Mirror cache latency** (successful pull times of the same run) direct to the origin p50 400ms / p95 400ms (n 1) · through the mirror, cold (miss) p50 900ms / p95 900ms (n 1), warm (hit) no pulls · added by the mirror (p50 / p95): cold +500ms / +500ms, warm — / —',
    );
    const html = renderHtml(a);
    expect(html).toContain('id="chart-mirror-timing"');
    expect(html).toContain('cache: through the mirror, cold (n 1)');
  });
});

describe('fallback time while a mirror is down', () => {
  const faults = [
    { id: 'refused', fault: 'refused', nodes: ['via-1'] },
    { id: 'hole', fault: 'blackhole', nodes: ['via-2', 'via-3'], options: { mode: 'syn-drop' } },
  ];

  function fallbackRun(expectations: ExpectationInput[] = []) {
    const b = new LogBuilder().started(mirrorRun(faults, expectations));
    b.fault(0, 'fault.applied', 'refused', 'refused');
    b.fault(0, 'fault.applied', 'hole', 'blackhole');
    pull(b, 'via-0', 1_000, 500); // up
    pull(b, 'via-1', 1_000, 520); // refused: next host at once
    pull(b, 'via-2', 1_000, 120_400); // blackholed: 4 dial timeouts
    pull(b, 'via-3', 1_000, 121_000);
    return analyze(b.finished(130_000).build());
  }

  it('times the pulls on each fault’s nodes while it was applied against the pulls with the mirror up', () => {
    const [m] = fallbackRun().mirrors!;
    expect(m!.fallback).toEqual([
      {
        fault: 'refused',
        kind: 'refused',
        down: { n: 1, min: 520, p50: 520, p95: 520, max: 520 },
        failed: 0,
        up: { n: 1, min: 500, p50: 500, p95: 500, max: 500 },
        added: { p50: 20, p95: 20 },
      },
      {
        fault: 'hole',
        kind: 'blackhole',
        mode: 'syn-drop',
        down: { n: 2, min: 120_400, p50: 120_400, p95: 121_000, max: 121_000 },
        failed: 0,
        up: { n: 1, min: 500, p50: 500, p95: 500, max: 500 },
        added: { p50: 119_900, p95: 120_500 },
      },
    ]);
    // The fallback pulls are not the mirror's latency.
    expect(m!.latency.cold.n).toBe(1);
  });

  it('fallbackTime holds within its bounds and fails outside them, saying what was measured', () => {
    const a = fallbackRun([
      { type: 'fallbackTime', fault: 'refused', under: '3s' },
      { type: 'fallbackTime', fault: 'hole', atLeast: '1m50s', under: '2m30s' },
      { type: 'fallbackTime', fault: 'hole', under: '1m' },
    ]);
    expect(a.expectations.map((e) => [e.passed, e.expected, e.actual])).toEqual([
      [true, 'under 3s', '1 pull in 0.5s–0.5s'],
      [true, 'between 1m50s and 2m30s', '2 pulls in 120.4s–121.0s'],
      [false, 'under 1m', '2 pulls in 120.4s–121.0s'],
    ]);
  });

  it('fallbackTime fails when no pull started on the fault’s nodes while it was applied', () => {
    const b = new LogBuilder().started(
      mirrorRun(faults, [{ type: 'fallbackTime', fault: 'refused', under: '3s' }]),
    );
    b.fault(0, 'fault.applied', 'refused', 'refused');
    b.fault(500, 'fault.cleared', 'refused', 'refused');
    pull(b, 'via-1', 1_000, 520);
    const a = analyze(b.finished(9_000).build());
    expect(a.expectations[0]).toMatchObject({
      passed: false,
      actual: 'no pull started on its nodes while it was applied',
    });
  });
});

describe('pullGroup', () => {
  it('is nearest-rank, like every percentile in the report', () => {
    expect(pullGroup([5, 1, 3, 2, 4])).toEqual({ n: 5, min: 1, p50: 3, p95: 5, max: 5 });
    expect(pullGroup([])).toEqual({ n: 0, min: null, p50: null, p95: null, max: null });
  });
});
