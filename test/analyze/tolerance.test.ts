/**
 * Faults a scenario expects to be tolerated (`{ type: tolerated, fault: … }`, scenarios/
 * mirror-fallback.yaml) read as such: the fault table says whether a pod failed while the fault
 * was applied and which hosts served the pulls, the verdict column PASS or FAIL for it — never
 * "not detected · never cleared · —", which reads like a broken run.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../harness/analyze/index.ts';
import { validate } from '../../harness/scenario/index.ts';
import { faultFacts, formatTerminalSummary, renderHtml, renderMarkdown } from '../../reports/index.ts';
import { testContext } from '../scenario/context.ts';
import { LogBuilder, pullFails, pullOk, schedule } from './builders.ts';
import { at, quota, run } from './small-run.ts';

/** A mirror-down fault from 0 s, never cleared; three pods pull through the registry, `failing` of them fail first. */
function mirrorDown(failing: number, expectations = [{ type: 'tolerated' as const, fault: 'mirror-down' }]) {
  const b = new LogBuilder().started(
    run({ faults: [{ id: 'mirror-down', fault: 'refused' }], expectations }),
  );
  b.fault(0, 'fault.applied', 'mirror-down', 'refused');
  for (let n = 0; n < 3; n++) {
    schedule(b, 100, at(n));
    if (n < failing) pullFails(b, 150, at(n), 50, quota);
    pullOk(b, 1_000 + n * 100, at(n), 200);
  }
  return analyze(b.finished(3_000).build());
}

describe('a fault the scenario expects to be tolerated', () => {
  it('records that no pod failed and which registry served the pulls', () => {
    const a = mirrorDown(0);
    expect(a.faults[0]!.tolerance).toEqual({
      failedPods: [],
      servedBy: [{ registry: 'registry', requests: 12 }],
    });
    expect(a.expectations[0]).toMatchObject({
      description: 'mirror-down tolerated: no pod failed while applied',
      passed: true,
      actual: 'no pod failed; pulls served by registry (12 requests)',
    });
    expect(a.verdict).toBe('pass');
  });

  it('reads as tolerated in the fault table, with PASS in its verdict column', () => {
    const a = mirrorDown(0);
    expect(faultFacts(a.faults[0]!, a)).toMatchObject({
      detectedFirst: 'tolerated: no pod failed',
      recovered: 'pulls served by registry (12 requests)',
      verdict: 'PASS',
    });
    expect(formatTerminalSummary(a)).toMatch(
      /refused \(mirror-down\)\s+tolerated: no pod failed\s+pulls served by registry \(12 requests\)\s+PASS/,
    );
    const md = renderMarkdown(a);
    expect(md).toContain(
      '| refused (mirror-down) | from 0s, never cleared | tolerated: no pod failed | no failures | pulls served by registry (12 requests) | — |',
    );
    expect(md).not.toContain('not detected');
    const html = renderHtml(a);
    expect(html).toContain('<span class="ok">tolerated: no pod failed</span>');
    expect(html).toContain('refused (mirror-down) — tolerated');
    expect(html).not.toContain('not detected');
  });

  it('fails when a pod failed under the fault, naming the pods, with FAIL in its verdict column', () => {
    const a = mirrorDown(2);
    expect(a.expectations[0]).toMatchObject({
      passed: false,
      actual: '2 pods failed (pod-0, pod-1); pulls served by registry (12 requests)',
    });
    expect(faultFacts(a.faults[0]!, a)).toMatchObject({
      detectedFirst: 'not tolerated: 2 pods failed',
      verdict: 'FAIL',
    });
    expect(a.verdict).toBe('fail');
  });

  it('without a fault id speaks about every fault', () => {
    const a = mirrorDown(0, [{ type: 'tolerated' } as never]);
    expect(a.faults[0]!.tolerance?.failedPods).toEqual([]);
    expect(a.expectations[0]).toMatchObject({
      description: 'every fault tolerated: no pod failed while applied',
      passed: true,
    });
  });

  it('leaves faults no tolerated expectation names as they were', () => {
    const a = mirrorDown(0, []);
    expect(a.faults[0]!.tolerance).toBeUndefined();
    expect(faultFacts(a.faults[0]!, a).detectedFirst).toBe('not detected');
  });

  it('is validated like the other fault expectations: a fault id of the scenario, nothing else', () => {
    const base = {
      apiVersion: 'pullstorm.dev/v1alpha1',
      kind: 'Scenario',
      name: 'mirror',
      workload: [{ kind: 'pod', name: 'app', image: 'registry/pullstorm/tiny:1.0' }],
      faults: [{ id: 'mirror-down', fault: 'registry-down' }],
    };
    const result = validate(
      { ...base, expectations: [{ type: 'tolerated', fault: 'mirror-dwn', within: '1m' }] },
      testContext,
    );
    expect(result.ok ? [] : result.problems.map((p) => [p.path, p.message])).toEqual([
      ['expectations[0].within', expect.stringContaining('unknown field')],
      [
        'expectations[0].fault',
        "expected a fault id (mirror-down), got 'mirror-dwn' (did you mean 'mirror-down'?)",
      ],
    ]);
    expect(
      validate({ ...base, expectations: [{ type: 'tolerated', fault: 'mirror-down' }] }, testContext).ok,
    ).toBe(true);
  });
});
