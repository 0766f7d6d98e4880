/**
 * How an expectation's outcome reads in every report, with a third state beside passed and
 * failed: not evaluated, for a run interrupted before its expectations had their time
 * (harness/analyze/verdict.ts). Words for text and screen readers, a mark for the eye.
 */
import type { Analysis, ExpectationResult } from '../harness/analyze/types.ts';
import { formatMs } from './format.ts';

/** `passed`, `failed` or `not evaluated`. */
export function expectationStatus(e: ExpectationResult): 'passed' | 'failed' | 'not evaluated' {
  if (e.evaluated === false) return 'not evaluated';
  return e.passed ? 'passed' : 'failed';
}

/** `✓`, `✗`, or `–` when not evaluated: plain characters that survive any terminal, Markdown and XML. */
export function expectationMark(e: ExpectationResult): string {
  const status = expectationStatus(e);
  return status === 'not evaluated' ? '–' : status === 'passed' ? '✓' : '✗';
}

/** `INTERRUPTED: after 12s; 4 expectations not evaluated` (the verdict word first, as in verdictLine). */
export function interruptedLine(analysis: Analysis, word: string): string {
  const n = analysis.expectations.length;
  const what = n === 0 ? 'no expectations' : `${n} expectation${n === 1 ? '' : 's'} not evaluated`;
  return `${word}: after ${formatMs(analysis.run.durationMs)}; ${what}`;
}
