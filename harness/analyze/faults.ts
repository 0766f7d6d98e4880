/**
 * How each fault of the timeline was seen. A fault's window runs from its `fault.applied` event to
 * its `fault.cleared` event (the planned times when the log has neither), plus a grace of one
 * initial backoff step (10 s): a pull in flight at the clear still fails under the fault and reports
 * just after it. A fault scoped to nodes only looks at pods on those nodes. All times are scenario
 * time, so planned offsets and observed ones compare directly.
 */

import { imageBackOffInitialMs } from '../kubelet/config.ts';
import type { Fault } from '../scenario/resolved.ts';
import type { Failure, RunContext } from './context.ts';
import { median } from './percentiles.ts';
import { backoffAtClear, recovery } from './recovery.ts';
import { sortNatural, span } from './time.ts';
import type { FaultAnalysis } from './types.ts';

/** Options of {@link analyzeFaults}. */
export interface FaultOptions {
  /** Causes a client should show for a fault name (the fault engine's catalogue). */
  expectedCauses: (fault: string) => string[];
  /** Slack after a fault's end in which its failures still count; default 10 s (kubelet's first backoff step). */
  graceMs?: number;
}

/** The faults to report: the scenario's in order, then any the log shows that the scenario lacks. */
function faultsOf(ctx: RunContext): { id: string; fault: string; planned?: Fault }[] {
  const out: { id: string; fault: string; planned?: Fault }[] = (ctx.scenario?.faults ?? []).map((f) => ({
    id: f.id,
    fault: f.fault,
    planned: f,
  }));
  for (const change of ctx.faultChanges) {
    if (!out.some((f) => f.id === change.id)) out.push({ id: change.id, fault: change.fault });
  }
  return out;
}

/** Offsets of the fault's start and end as observed, else as planned. */
function windowOf(ctx: RunContext, id: string, planned?: Fault): FaultAnalysis['window'] {
  const applied = ctx.faultChanges.find((c) => c.id === id && c.kind === 'fault.applied');
  const cleared = ctx.faultChanges.find(
    (c) => c.id === id && c.kind === 'fault.cleared' && c.atMs >= (applied?.atMs ?? 0),
  );
  if (applied !== undefined) return { startMs: applied.atMs, endMs: cleared?.atMs ?? null };
  const startMs = planned?.atMs ?? 0;
  const plannedEnd = planned?.clearAtMs ?? null;
  const endMs = cleared?.atMs ?? (plannedEnd !== null && plannedEnd <= ctx.endMs ? plannedEnd : null);
  return { startMs, endMs, planned: true };
}

/** Node names a fault's scope limits it to, or undefined for every node. */
function scopeNodes(planned?: Fault): Set<string> | undefined {
  const nodes = planned?.scope?.nodes;
  return Array.isArray(nodes) && nodes.length > 0 ? new Set(nodes) : undefined;
}

/** Analyses every fault of the run. */
export function analyzeFaults(ctx: RunContext, options: FaultOptions): FaultAnalysis[] {
  const grace = options.graceMs ?? imageBackOffInitialMs;
  return faultsOf(ctx).map(({ id, fault, planned }) => {
    const window = windowOf(ctx, id, planned);
    const untilMs = window.endMs === null ? Number.POSITIVE_INFINITY : window.endMs + grace;
    const nodes = scopeNodes(planned);
    const inWindow = ctx.failures.filter(
      (f) =>
        f.atMs >= window.startMs && f.atMs <= untilMs && (nodes === undefined || nodes.has(f.node ?? '')),
    );
    const expectedCauses = options.expectedCauses(fault);
    const analysis: FaultAnalysis = {
      id,
      fault,
      window,
      expectedCauses,
      ...detect(inWindow, new Set(expectedCauses), window.startMs),
      recovery: null,
      backoffAtClear: null,
    };
    const failedPods = sortNatural(new Set(inWindow.map((f) => f.pod)));
    analysis.failedPods = failedPods;
    if (window.endMs !== null) {
      const healed = recovery(ctx, failedPods, window.endMs, untilMs);
      analysis.recovery = healed.ms === null ? null : span(healed.ms);
      analysis.unrecoveredPods = healed.unrecovered;
      analysis.backoffAtClear = backoffAtClear(ctx, failedPods, window.endMs);
    }
    return analysis;
  });
}

/** Detection and classification counts from the failures inside one window. */
function detect(
  failures: readonly Failure[],
  expected: ReadonlySet<string>,
  startMs: number,
): Pick<FaultAnalysis, 'affectedPods' | 'detection' | 'classification'> {
  const counts: Record<string, number> = {};
  let matching = 0;
  let unclassified = 0;
  const firstByPod = new Map<string, number>();
  for (const f of failures) {
    counts[f.cause] = (counts[f.cause] ?? 0) + 1;
    if (f.cause === 'unclassified') unclassified++;
    else if (expected.has(f.cause)) {
      matching++;
      if (!firstByPod.has(f.pod)) firstByPod.set(f.pod, f.atMs - startMs);
    }
  }
  const misclassified = failures.length - matching - unclassified;
  // Stable sort: pods with equal times stay in natural order.
  const affectedPods = sortNatural(firstByPod.keys());
  const perPod = affectedPods.map((pod) => ({ pod, ms: firstByPod.get(pod)! })).sort((a, b) => a.ms - b.ms);
  const detection =
    perPod.length === 0
      ? null
      : {
          first: span(perPod[0]!.ms),
          median: span(median(perPod.map((p) => p.ms))!),
          last: span(perPod[perPod.length - 1]!.ms),
          perPod,
        };
  return {
    affectedPods,
    detection,
    classification: { counts, matching, misclassified, unclassified },
  };
}
