/**
 * The run's verdict from its outcome and expectations. A run the user interrupted (Ctrl-C,
 * SIGTERM) gets its own verdict, `interrupted` (exit 130): its expectations never had their time,
 * so none is judged. Each keeps what was measured up to the interruption (`actual`) and is marked
 * `evaluated: false` with `passed: false`, so nothing reads it as held.
 */
import type { Analysis, ExpectationResult } from './types.ts';

/** The expectations as reported: as judged, or not evaluated when the run was interrupted. */
export function reportedExpectations(
  outcome: Analysis['run']['outcome'],
  judged: readonly ExpectationResult[],
): ExpectationResult[] {
  if (outcome !== 'interrupted') return [...judged];
  return judged.map((e) => ({ ...e, passed: false, evaluated: false }));
}

/** error: the harness failed; interrupted: stopped from outside; else pass when every expectation held. */
export function verdictOf(
  outcome: Analysis['run']['outcome'],
  expectations: readonly ExpectationResult[],
): Analysis['verdict'] {
  if (outcome === 'error') return 'error';
  if (outcome === 'interrupted') return 'interrupted';
  return expectations.every((e) => e.passed) ? 'pass' : 'fail';
}
