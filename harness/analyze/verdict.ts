/**
 * The run's verdict from its outcome and expectations. A run the user interrupted (Ctrl-C,
 * SIGTERM) gets its own verdict, `interrupted` (exit 130): its expectations never had their time,
 * so none is judged. Each keeps what was measured up to the interruption (`actual`) and is marked
 * `evaluated: false` with `passed: false`, so nothing reads it as held.
 */
import { EXIT } from '../../vocab/errors.ts';
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

/**
 * The exit code an analysis stands for, by the one contract every command keeps: 0 pass, 1 fail,
 * 3 the harness failed — and a log that never says how the run ended (`unknown`: the process was
 * killed) is one, since its expectations were judged on a run cut short — 130 interrupted.
 */
export function exitCodeOfAnalysis(analysis: Pick<Analysis, 'verdict' | 'run'>): number {
  if (analysis.verdict === 'interrupted') return EXIT.interrupted;
  if (analysis.verdict === 'error' || analysis.run.outcome === 'unknown') return EXIT.harness;
  return analysis.verdict === 'pass' ? EXIT.ok : EXIT.failed;
}
