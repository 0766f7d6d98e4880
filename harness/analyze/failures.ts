/**
 * Failures grouped by cause, each with the catalogue's title and remediation, the pods it hit, and
 * one full example with the evidence the classifier read from it (status, request, host …).
 * Groups are ordered by count, most first; ties in the catalogue's order (`CAUSE_IDS`).
 */
import { CAUSE_IDS, CAUSES, type CauseId, classify } from '../classify/index.ts';
import type { Failure, RunContext } from './context.ts';
import { sortNatural } from './time.ts';
import type { FailureGroup } from './types.ts';

/** Every failure of the run, grouped by cause. */
export function groupFailures(ctx: RunContext): FailureGroup[] {
  const groups = new Map<CauseId, { failures: Failure[]; pods: Set<string> }>();
  for (const f of ctx.failures) {
    const group = groups.get(f.cause) ?? { failures: [], pods: new Set<string>() };
    groups.set(f.cause, group);
    group.failures.push(f);
    group.pods.add(f.pod);
  }
  return [...groups]
    .sort(
      ([a, x], [b, y]) =>
        y.failures.length - x.failures.length || CAUSE_IDS.indexOf(a) - CAUSE_IDS.indexOf(b),
    )
    .map(([cause, { failures, pods }]) => {
      const example = failures[0]!.text;
      return {
        cause,
        title: CAUSES[cause].title,
        remediation: CAUSES[cause].remediation,
        count: failures.length,
        pods: sortNatural(pods),
        example,
        evidence: classify(example).evidence,
      };
    });
}
