/**
 * The sentences every renderer shows about faults and expectations, computed once so the
 * Markdown, HTML, JUnit and terminal outputs never disagree on what "detected in" means.
 */
import type { Analysis, ExpectationResult, FaultAnalysis } from '../harness/analyze/types.ts';
import { formatCount, formatMs, formatSpan, VERDICT_WORDS } from './format.ts';
import { interruptedLine } from './status.ts';
import { toleratedCells } from './tolerated.ts';

/** One fault as text cells. */
export interface FaultFacts {
  /** `rate-limit (quota)`: the fault name and its timeline id. */
  label: string;
  /** `0s – 1m 0s`, or `from 10s, never cleared`. */
  window: string;
  detectedFirst: string;
  detectedMedian: string;
  detectedLast: string;
  /** Causes seen inside the window, most frequent first: `rate-limited 120`, plus miscounts. */
  classifiedAs: string;
  recovered: string;
  /** kubelet's backoff left when the fault cleared, which bounds recovery; `—` when not known. */
  backoffAtClear: string;
  /** False for faults a client sees no error from (a tag overwrite): detection does not apply. */
  detectable: boolean;
  /** PASS/FAIL of the expectations naming this fault (or every fault); `—` when none apply. */
  verdict: string;
}

/** Text cells for one fault of `analysis`. */
export function faultFacts(fault: FaultAnalysis, analysis: Analysis): FaultFacts {
  const { startMs, endMs } = fault.window;
  const detection = fault.detection;
  const detectable = isDetectable(fault);
  const notDetected = detectable ? 'not detected' : 'n/a (no error expected)';
  return {
    label: fault.id === fault.fault ? fault.fault : `${fault.fault} (${fault.id})`,
    window:
      endMs === null
        ? `from ${formatMs(startMs)}, never cleared`
        : endMs === startMs
          ? `at ${formatMs(startMs)}`
          : `${formatMs(startMs)} – ${formatMs(endMs)}`,
    detectedFirst: detection ? formatSpan(detection.first) : notDetected,
    detectedMedian: detection ? formatSpan(detection.median) : notDetected,
    detectedLast: detection ? formatSpan(detection.last) : notDetected,
    classifiedAs: classifiedAs(fault),
    recovered: fault.recovery
      ? formatSpan(fault.recovery)
      : !detectable
        ? 'n/a'
        : endMs === null
          ? 'never cleared'
          : 'not recovered',
    backoffAtClear: fault.backoffAtClear ? backoff(fault.backoffAtClear) : '—',
    verdict: faultVerdict(fault, analysis.expectations),
    detectable,
    // A fault meant to be tolerated says what the tolerance was, not "not detected · never cleared".
    ...(fault.tolerance && toleratedCells(fault.tolerance)),
  };
}

function backoff({ maxRemainingMs: left, maxStepMs: step }: { maxRemainingMs: number; maxStepMs: number }) {
  return `${formatMs(left)} left of a ${formatMs(step)} step`;
}

/** Whether a client should see an error from `fault` at all; a tag overwrite, for one, gives none. */
export function isDetectable(fault: FaultAnalysis): boolean {
  return fault.expectedCauses.length > 0;
}

function classifiedAs(fault: FaultAnalysis): string {
  const { counts, misclassified, unclassified } = fault.classification;
  const causes = Object.entries(counts)
    .filter(([cause, n]) => n > 0 && cause !== 'unclassified')
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .map(([cause, n]) => `${cause} ${formatCount(n)}`);
  if (misclassified > 0) causes.push(`${formatCount(misclassified)} misclassified`);
  if (unclassified > 0) causes.push(`${formatCount(unclassified)} unclassified`);
  return causes.length === 0 ? 'no failures' : causes.join(', ');
}

/** The expectations that speak about `fault`: those naming its id, and fault expectations naming none. */
export function expectationsOf(
  fault: FaultAnalysis,
  expectations: readonly ExpectationResult[],
): ExpectationResult[] {
  const perFault = new Set(['detectedWithin', 'classifiedAs', 'recoveredWithin', 'tolerated']);
  return expectations.filter(({ expectation }) =>
    expectation.fault === undefined ? perFault.has(expectation.type) : expectation.fault === fault.id,
  );
}

function faultVerdict(fault: FaultAnalysis, expectations: readonly ExpectationResult[]): string {
  const own = expectationsOf(fault, expectations);
  if (own.length === 0) return '—';
  if (own.some((e) => e.evaluated === false)) return 'not evaluated';
  return own.every((e) => e.passed) ? VERDICT_WORDS.pass : VERDICT_WORDS.fail;
}

/** `PASS`, `FAIL: 2 of 5 expectations failed`, `ERROR: <harness error>`, or `INTERRUPTED: after 12s; …`. */
export function verdictLine(analysis: Analysis): string {
  const word = VERDICT_WORDS[analysis.verdict];
  const total = analysis.expectations.length;
  const failed = analysis.expectations.filter((e) => !e.passed).length;
  if (analysis.verdict === 'error') return `${word}: ${analysis.run.error ?? `run ${analysis.run.outcome}`}`;
  if (analysis.verdict === 'interrupted') return interruptedLine(analysis, word);
  if (total === 0) return `${word}: no expectations; run ${analysis.run.outcome}`;
  return analysis.verdict === 'pass'
    ? `${word}: ${total} of ${total} expectations held`
    : `${word}: ${failed} of ${total} expectations failed`;
}
