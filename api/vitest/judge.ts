/**
 * The questions the vitest matchers ask of a run, as pure functions of its analysis: each answers
 * pass or fail with the measured value in words, so a failure message quotes what was measured.
 * The sentences follow the scenario expectations' (`harness/analyze/expectations.ts`).
 */

import { human } from '../../harness/analyze/time.ts';
import type { Analysis, FaultAnalysis } from '../../harness/analyze/types.ts';
import { parseDuration } from '../../harness/scenario/duration.ts';

/** What a matcher accepts: a `runScenario()` result or an analysis. */
export type Judged = Analysis | { analysis: Analysis };

/** One answer: whether it held, what was expected and what was measured. */
export interface Judgement {
  pass: boolean;
  expected: string;
  actual: string;
}

/** The analysis inside `value`; TypeError naming what was given otherwise. */
export function analysisOf(value: unknown): Analysis {
  const candidate = (value as { analysis?: unknown } | null)?.analysis ?? value;
  const a = candidate as Partial<Analysis> | null;
  if (typeof a === 'object' && a !== null && Array.isArray(a.faults) && typeof a.verdict === 'string') {
    return a as Analysis;
  }
  const given = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
  throw new TypeError(`expected a runScenario() result or its analysis, got ${given}`);
}

/** A bound as given to a matcher (`'30s'`, `'2m'`, or ms) in ms; RangeError for anything else. */
export function boundMs(value: string | number): number {
  return parseDuration(value);
}

/** Faults `what` names: a fault id (`rate-limit-0`), a catalogue name (`rate-limit`) or an expected cause (`rate-limited`). */
export function faultsNamed(analysis: Analysis, what: string): FaultAnalysis[] {
  return analysis.faults.filter((f) => f.id === what || f.fault === what || f.expectedCauses.includes(what));
}

function runFaults(analysis: Analysis): string {
  const list = analysis.faults.map((f) => `${f.id} (${f.fault})`).join(', ');
  return list === '' ? 'the run had no faults' : `the run's faults: ${list}`;
}

/** The first detection of `what`, or why there is none; `withinMs` adds a bound. */
export function judgeDetection(analysis: Analysis, what: string, withinMs?: number): Judgement {
  const expected = withinMs === undefined ? `${what} detected` : `${what} detected within ${human(withinMs)}`;
  const faults = faultsNamed(analysis, what);
  if (faults.length === 0)
    return { pass: false, expected, actual: `no fault named '${what}': ${runFaults(analysis)}` };
  const detected = faults.filter((f) => f.detection !== null);
  if (detected.length === 0) {
    const counts = faults.map((f) => `${f.id}: ${JSON.stringify(f.classification.counts)}`).join('; ');
    return { pass: false, expected, actual: `never detected (failures by cause: ${counts})` };
  }
  const first = Math.min(...detected.map((f) => f.detection!.first.ms));
  return {
    pass: withinMs === undefined || first <= withinMs,
    expected,
    actual: `detected after ${human(first)}`,
  };
}

/** Every fault (or those `what` names) recovered within `withinMs`. */
export function judgeRecovery(analysis: Analysis, withinMs: number, what?: string): Judgement {
  const faults = what === undefined ? analysis.faults : faultsNamed(analysis, what);
  const expected = `${what ?? 'every fault'} recovered within ${human(withinMs)}`;
  if (faults.length === 0)
    return {
      pass: false,
      expected,
      actual: what ? `no fault named '${what}': ${runFaults(analysis)}` : 'no faults in the run',
    };
  const each = faults.map((f) => ({
    id: f.id,
    ok: f.recovery !== null && f.recovery.ms <= withinMs,
    text: f.recovery === null ? `${f.id} never recovered` : `${f.id} recovered after ${human(f.recovery.ms)}`,
  }));
  return { pass: each.every((e) => e.ok), expected, actual: each.map((e) => e.text).join('; ') };
}

/** Every failure under every fault (or those `what` names) classified as `cause`. */
export function judgeClassification(analysis: Analysis, cause: string, what?: string): Judgement {
  const faults = what === undefined ? analysis.faults : faultsNamed(analysis, what);
  const expected = `every failure${what ? ` under ${what}` : ''} classified as ${cause}`;
  const failing = faults.filter((f) => Object.keys(f.classification.counts).length > 0);
  if (failing.length === 0) return { pass: false, expected, actual: 'no failures to classify' };
  const pass = failing.every((f) => Object.keys(f.classification.counts).every((c) => c === cause));
  const actual = failing.map((f) => `${f.id}: ${JSON.stringify(f.classification.counts)}`).join('; ');
  return { pass, expected, actual };
}

/** Every pod's final phase is Running. */
export function judgeAllPodsRunning(analysis: Analysis): Judgement {
  const expected = 'every pod running at the end';
  if (analysis.pods.length === 0) return { pass: false, expected, actual: 'the run had no pods' };
  const down = analysis.pods.filter((p) => p.final.phase !== 'Running' || p.final.reason !== undefined);
  const actual =
    down.length === 0
      ? `all ${analysis.pods.length} pods running`
      : `${down.length} of ${analysis.pods.length} not running: ${down.map((p) => `${p.pod} ${p.final.reason ?? p.final.phase}`).join(', ')}`;
  return { pass: down.length === 0, expected, actual };
}

/** Origin blob bytes ÷ unique blob bytes at most `atMost`. */
export function judgeAmplification(analysis: Analysis, atMost: number): Judgement {
  const { amplification, originBlobBytes, uniqueBlobBytes } = analysis.registry;
  const expected = `origin amplification at most ${atMost}`;
  if (amplification === null) return { pass: false, expected, actual: 'no blobs served' };
  const actual = `${Math.round(amplification * 100) / 100} (${originBlobBytes} origin blob bytes for ${uniqueBlobBytes} unique)`;
  return { pass: amplification <= atMost, expected, actual };
}

/** The run's verdict is `pass`; the actual lists the expectations that failed. */
export function judgeVerdict(analysis: Analysis): Judgement {
  const failed = analysis.expectations.filter((e) => !e.passed);
  const actual =
    analysis.verdict === 'pass'
      ? `pass (${analysis.expectations.length} expectations held)`
      : `${analysis.verdict}${analysis.run.error ? ` (${analysis.run.error})` : ''}${failed.map((e) => `\n  ✗ ${e.description}: ${e.actual}`).join('')}`;
  return { pass: analysis.verdict === 'pass', expected: 'verdict pass', actual };
}
