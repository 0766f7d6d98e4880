/**
 * junit.xml: one <testsuite> per scenario, one <testcase> per expectation, so CI systems (GitLab,
 * Jenkins, GitHub test reporters) show each SLO as a test. Shape of the Jenkins/Ant junit-10.xsd;
 * a harness error becomes <error> on every case, since no expectation can be trusted then. An
 * interrupted run's expectations are <skipped> (not evaluated, with what was measured so far), and
 * one more case, "run completes", is an <error>, so CI never shows a stopped run as green.
 */
import type { Analysis, ExpectationResult } from '../harness/analyze/types.ts';
import { escapeXml, escapeXmlAttr } from './escape.ts';
import { verdictLine } from './facts.ts';
import { formatSeconds } from './format.ts';
import type { RenderOptions } from './options.ts';
import { scrubSummary } from './scrub.ts';
import { formatTerminalSummary } from './terminal.ts';
import { DEFAULT_GENERATOR } from './version.ts';

interface Case {
  name: string;
  type: string;
  outcome: 'passed' | 'failure' | 'error' | 'skipped';
  message: string;
  body: string;
}

function cases(a: Analysis): Case[] {
  const harnessError = a.run.error ?? `run ${a.run.outcome}`;
  const asCase = (e: ExpectationResult): Case => ({
    name: e.description,
    type: e.expectation.type,
    outcome: a.verdict === 'error' ? 'error' : e.passed ? 'passed' : 'failure',
    message:
      a.verdict === 'error' ? `harness error: ${harnessError}` : `expected ${e.expected}, actual ${e.actual}`,
    body: `expected: ${e.expected}\nactual: ${e.actual}`,
  });
  if (a.verdict === 'interrupted') return [...a.expectations.map(notEvaluated), runCase(a)];
  if (a.expectations.length > 0) return a.expectations.map(asCase);
  // A suite with no case reads as "nothing ran"; one case carries the run's own health instead.
  return [runCase(a)];
}

/** The run's own health as a case: passed, failure, or error (harness error, interrupted). */
function runCase(a: Analysis): Case {
  const outcome = a.verdict === 'pass' ? 'passed' : a.verdict === 'fail' ? 'failure' : 'error';
  const type = a.verdict === 'interrupted' ? 'interrupted' : 'run';
  return { name: 'run completes', type, outcome, message: verdictLine(a), body: verdictLine(a) };
}

function notEvaluated(e: ExpectationResult): Case {
  return {
    name: e.description,
    type: e.expectation.type,
    outcome: 'skipped',
    message: `not evaluated: the run was interrupted; measured so far: ${e.actual}`,
    body: `expected: ${e.expected}\nmeasured until interrupted: ${e.actual}`,
  };
}

function testcase(scenario: string, c: Case): string {
  const open = `    <testcase classname="${escapeXmlAttr(scenario)}" name="${escapeXmlAttr(c.name)}" time="0"`;
  if (c.outcome === 'passed') return `${open}/>`;
  const tag = c.outcome;
  const detail = `<${tag} message="${escapeXmlAttr(c.message)}" type="${escapeXmlAttr(c.type)}">${escapeXml(c.body)}</${tag}>`;
  return `${open}>\n      ${detail}\n    </testcase>`;
}

function properties(a: Analysis, generator: string): string {
  const props: [string, string][] = [
    ['generator', generator],
    ['run.id', a.run.id],
    ['backend', a.run.backend],
    ['clock', a.run.clock],
    ...(a.run.seed === undefined ? [] : [['seed', String(a.run.seed)] as [string, string]]),
    ...(a.run.legacyTimeScale === undefined
      ? []
      : [['legacyTimeScale', String(a.run.legacyTimeScale)] as [string, string]]),
    ...timingProperties(a),
    ['outcome', a.run.outcome],
    ['verdict', a.verdict],
    ...Object.entries(a.run.environment).map(([k, v]): [string, string] => [`env.${k}`, v]),
  ];
  const rows = props.map(
    ([n, v]) => `      <property name="${escapeXmlAttr(n)}" value="${escapeXmlAttr(v)}"/>`,
  );
  return `    <properties>\n${rows.join('\n')}\n    </properties>`;
}

/** The run clock's measurements, when the log has them. */
function timingProperties(a: Analysis): [string, string][] {
  const t = a.run.timing;
  if (t === null) return [];
  return [
    ['timing.skippedMs', String(t.skippedMs)],
    ['timing.timersFired', String(t.timersFired)],
    ['timing.lateTimers', String(t.lateTimers)],
    ['timing.maxLateMs', String(t.maxLateMs)],
    ['timing.eventLoopDelay.p99Ms', String(t.eventLoopDelay.p99Ms)],
    ['timing.eventLoopDelay.maxMs', String(t.eventLoopDelay.maxMs)],
  ];
}

function testsuite(
  a: Analysis,
  index: number,
  generator: string,
): { xml: string; tests: number; failures: number; errors: number } {
  const all = cases(a);
  const failures = all.filter((c) => c.outcome === 'failure').length;
  const errors = all.filter((c) => c.outcome === 'error').length;
  const skipped = all.filter((c) => c.outcome === 'skipped').length;
  const attrs = [
    `name="${escapeXmlAttr(a.run.scenario)}"`,
    `tests="${all.length}"`,
    `failures="${failures}"`,
    `errors="${errors}"`,
    `skipped="${skipped}"`,
    `time="${formatSeconds(a.run.durationMs)}"`,
    `timestamp="${escapeXmlAttr(a.run.startedAt)}"`,
    `id="${index}"`,
    `package="pullstorm"`,
  ];
  const out = `    <system-out>${escapeXml(formatTerminalSummary(a))}</system-out>`;
  const body = [properties(a, generator), ...all.map((c) => testcase(a.run.scenario, c)), out];
  return {
    xml: `  <testsuite ${attrs.join(' ')}>\n${body.join('\n')}\n  </testsuite>`,
    tests: all.length,
    failures,
    errors,
  };
}

/** junit.xml for several runs (a scenario library in CI): one <testsuite> per run. */
export function renderJunitSuites(analyses: readonly Analysis[], options: RenderOptions = {}): string {
  const generator = options.generator ?? DEFAULT_GENERATOR;
  const suites = analyses.map((a, i) => testsuite(scrubSummary(a), i, generator));
  const sum = (key: 'tests' | 'failures' | 'errors') => suites.reduce((n, s) => n + s[key], 0);
  const time = formatSeconds(analyses.reduce((n, a) => n + a.run.durationMs, 0));
  const head = `<testsuites name="pullstorm" tests="${sum('tests')}" failures="${sum('failures')}" errors="${sum('errors')}" time="${time}">`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n${head}\n${suites.map((s) => s.xml).join('\n')}\n</testsuites>\n`;
}

/** junit.xml for one run. */
export function renderJunit(analysis: Analysis, options: RenderOptions = {}): string {
  return renderJunitSuites([analysis], options);
}
