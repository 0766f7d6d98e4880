/**
 * A run stopped from outside (Ctrl-C, SIGTERM) has its own verdict, `interrupted`, in the analysis
 * and in every report format: its expectations never had their time, so each is shown as not
 * evaluated, with what was measured up to the interruption — never "FAIL: 2 of 4 expectations
 * failed". The runner's exit code 130 is test/run/interrupt.test.ts's, on real containerd.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../harness/analyze/index.ts';
import { exitCodeOfAnalysis } from '../../harness/analyze/verdict.ts';
import {
  formatTerminalSummary,
  renderHtml,
  renderJson,
  renderJunit,
  renderMarkdown,
} from '../../reports/index.ts';
import { validate } from '../reports/json-schema.ts';
import { LogBuilder, pullFails, pullOk, schedule } from './builders.ts';
import { at, quota, run } from './small-run.ts';

/**
 * A rate limit from 1 s, meant to clear at 20 s; the run is stopped at 5 s with one pod failing —
 * or, with `killed`, the log just ends there (no run.finished), as a SIGKILLed run's does.
 */
function stopped(outcome: 'interrupted' | 'completed' | 'killed') {
  const b = new LogBuilder().started(
    run({
      faults: [{ id: 'quota', fault: 'rate-limit', at: '1s', for: '19s' }],
      expectations: [
        { type: 'detectedWithin', fault: 'quota', within: '30s' },
        { type: 'recoveredWithin', fault: 'quota', within: '1m' },
        { type: 'allPodsRunning' },
      ],
    }),
  );
  b.fault(1_000, 'fault.applied', 'quota', 'rate-limit');
  schedule(b, 100, at(0));
  pullOk(b, 150, at(0), 300);
  schedule(b, 1_100, at(1));
  pullFails(b, 1_200, at(1), 50, quota);
  return analyze((outcome === 'killed' ? b : b.finished(5_000, outcome)).build());
}

describe('an interrupted run', () => {
  const a = stopped('interrupted');

  it('has the verdict interrupted, not fail', () => {
    expect(a.run.outcome).toBe('interrupted');
    expect(a.verdict).toBe('interrupted');
    // The same log run to its end would fail: the fault never cleared and a pod is not running.
    expect(stopped('completed').verdict).toBe('fail');
  });

  it('shows every expectation as not evaluated, with what was measured until then', () => {
    expect(a.expectations.map((e) => [e.evaluated, e.passed, e.description, e.actual])).toEqual([
      [false, false, 'quota detected within 30s', 'detected after 250ms'],
      [false, false, 'quota recovered within 1m', 'never cleared'],
      [
        false,
        false,
        'all pods running by the end of the run',
        '1 of 2 pods running at the end; not running: pod-1 (ErrImagePull)',
      ],
    ]);
  });

  it('reads as interrupted in the terminal, with the fault verdict not evaluated', () => {
    const out = formatTerminalSummary(a);
    expect(out.split('\n')[0]).toBe(
      'pullstorm basics (basics-20260302-090000): INTERRUPTED: after 5s; 3 expectations not evaluated',
    );
    expect(out).toMatch(/rate-limit \(quota\)\s+250ms\s+never cleared\s+not evaluated/);
    expect(out).not.toMatch(/FAIL/);
  });

  it('reads as interrupted in summary.md, each expectation marked – not ✗', () => {
    const md = renderMarkdown(a);
    expect(md).toMatch(/^### pullstorm: basics — INTERRUPTED$/m);
    expect(md).toContain('**INTERRUPTED: after 5s; 3 expectations not evaluated**');
    expect(md).toContain('| – | quota detected within 30s | detected within 30s | detected after 250ms |');
    expect(md).not.toContain('✗');
  });

  it('reads as interrupted in report.html, and screen readers hear "not evaluated"', () => {
    const html = renderHtml(a);
    expect(html).toContain(
      '<p class="verdict verdict-interrupted"><strong>INTERRUPTED</strong> after 5s; 3 expectations not evaluated</p>',
    );
    expect(html).toContain(
      '<span class="muted" aria-hidden="true">–</span><span class="sr-only">not evaluated</span>',
    );
    expect(html).not.toContain('<span class="sr-only">failed</span>');
  });

  it('in junit.xml: expectations skipped with what was measured, and the run an error', () => {
    const xml = renderJunit(a);
    expect(xml).toMatch(/<testsuite name="basics" tests="4" failures="0" errors="1" skipped="3"/);
    expect(xml).toContain(
      '<skipped message="not evaluated: the run was interrupted; measured so far: detected after 250ms" type="detectedWithin">',
    );
    expect(xml).toContain(
      '<error message="INTERRUPTED: after 5s; 3 expectations not evaluated" type="interrupted">',
    );
    expect(xml).toContain('<property name="verdict" value="interrupted"/>');
  });

  it('in report.json: verdict interrupted, valid against the published schema', () => {
    const doc = JSON.parse(renderJson(a));
    expect(doc.verdict).toBe('interrupted');
    expect(doc.expectations[0]).toMatchObject({ evaluated: false, passed: false });
    const schema = JSON.parse(
      readFileSync(new URL('../../reports/schema/report.schema.json', import.meta.url), 'utf8'),
    );
    expect(validate(doc, schema)).toEqual([]);
  });

  it('a completed run never carries evaluated', () => {
    expect(stopped('completed').expectations.every((e) => !('evaluated' in e))).toBe(true);
  });

  it("stands for exit 130; a completed run with a failed expectation for 1, a killed run's log for 3", () => {
    expect(exitCodeOfAnalysis(a)).toBe(130);
    const completed = stopped('completed');
    expect(completed.verdict).toBe('fail');
    expect(exitCodeOfAnalysis(completed)).toBe(1);
    const killed = stopped('killed');
    expect(killed.run.outcome).toBe('unknown');
    expect(exitCodeOfAnalysis(killed)).toBe(3);
  });
});
