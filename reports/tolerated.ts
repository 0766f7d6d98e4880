/**
 * The fault-table cells of a fault the scenario expects to be tolerated. For such a fault "not
 * detected · never cleared" is the good outcome, and read like a broken run; these cells say what
 * the tolerance was instead: whether any pod failed while it was applied, and which hosts served
 * the pulls meanwhile (a mirror down, containerd falling back to the registry).
 */
import { servedBy } from '../harness/analyze/tolerance.ts';
import type { Tolerance } from '../harness/analyze/types.ts';
import { formatCount } from './format.ts';

/** Cells that replace detection and recovery for a tolerated fault. */
export interface ToleratedCells {
  detectedFirst: string;
  detectedMedian: string;
  detectedLast: string;
  recovered: string;
}

/** `tolerated: no pod failed` / `not tolerated: 2 pods failed`, and who served the pulls. */
export function toleratedCells(tolerance: Tolerance): ToleratedCells {
  const n = tolerance.failedPods.length;
  const verdict =
    n === 0 ? 'tolerated: no pod failed' : `not tolerated: ${formatCount(n)} pod${n === 1 ? '' : 's'} failed`;
  return {
    detectedFirst: verdict,
    detectedMedian: verdict,
    detectedLast: verdict,
    recovered: servedBy(tolerance),
  };
}
