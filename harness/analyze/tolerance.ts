/**
 * Faults a scenario expects the cluster to tolerate (`{ type: tolerated, fault: mirror-down }`): a
 * mirror that is down while containerd falls back to the registry, a latency no client times out
 * on. For those "not detected" is the good outcome, so the analysis says what the tolerance was
 * instead: which pods failed while the fault was applied (none, when tolerated) and which hosts
 * served the pulls meanwhile (registry requests answered below 400, by registry name).
 */
import type { Expectation } from '../scenario/expectations.ts';
import type { RunContext } from './context.ts';
import type { ExpectationResult, FaultAnalysis, Tolerance } from './types.ts';

/** Ids of the faults a `tolerated` expectation speaks about; `*` when one names no fault. */
function toleratedIds(ctx: RunContext): Set<string> {
  return new Set(
    (ctx.scenario?.expectations ?? []).flatMap((e) => (e.type === 'tolerated' ? [e.fault ?? '*'] : [])),
  );
}

/** `faults`, with `tolerance` set on each one a `tolerated` expectation speaks about. */
export function withTolerance(ctx: RunContext, faults: FaultAnalysis[]): FaultAnalysis[] {
  const ids = toleratedIds(ctx);
  if (ids.size === 0) return faults;
  return faults.map((f) => (ids.has('*') || ids.has(f.id) ? { ...f, tolerance: toleranceOf(ctx, f) } : f));
}

/** Pods that failed inside the fault's window, and who answered pulls in it. */
export function toleranceOf(ctx: RunContext, fault: FaultAnalysis): Tolerance {
  const { startMs, endMs } = fault.window;
  const served = new Map<string, number>();
  for (const { atMs, request } of ctx.requests) {
    if (atMs < startMs || (endMs !== null && atMs > endMs) || request.status >= 400) continue;
    const name = request.registry ?? 'registry';
    served.set(name, (served.get(name) ?? 0) + 1);
  }
  return {
    failedPods: fault.failedPods ?? fault.affectedPods,
    servedBy: [...served]
      .map(([registry, requests]) => ({ registry, requests }))
      .sort((a, b) => b.requests - a.requests || (a.registry < b.registry ? -1 : 1)),
  };
}

/** `mirror-down tolerated: no pod failed while applied` — judged on the faults' tolerance. */
export function judgeTolerated(
  e: Extract<Expectation, { type: 'tolerated' }>,
  faults: readonly FaultAnalysis[],
): Omit<ExpectationResult, 'expectation'> {
  const list = faults.filter((f) => (e.fault === undefined ? f.tolerance !== undefined : f.id === e.fault));
  const description = `${e.fault ?? 'every fault'} tolerated: no pod failed while applied`;
  const expected = 'no pod failed';
  if (list.length === 0)
    return { description, expected, passed: false, actual: `no fault '${e.fault}' in the run` };
  const each = list.map((f) => ({
    id: f.id,
    ...toleranceSentence(f.tolerance ?? { failedPods: [], servedBy: [] }),
  }));
  const actual = each.length === 1 ? each[0]!.actual : each.map((r) => `${r.id}: ${r.actual}`).join('; ');
  return { description, expected, passed: each.every((r) => r.ok), actual };
}

/** `pulls served by registry (10 requests), mirror (2 requests)`, or `no pulls served`. */
export function servedBy(t: Tolerance): string {
  if (t.servedBy.length === 0) return 'no pulls served';
  const hosts = t.servedBy.map((s) => `${s.registry} (${s.requests} request${s.requests === 1 ? '' : 's'})`);
  return `pulls served by ${hosts.join(', ')}`;
}

/** `no pod failed; pulls served by registry (10 requests)`, or the pods that failed. */
export function toleranceSentence(t: Tolerance): { ok: boolean; actual: string } {
  const served = servedBy(t);
  const n = t.failedPods.length;
  if (n === 0) return { ok: true, actual: `no pod failed; ${served}` };
  const pods = t.failedPods.slice(0, 5).join(', ') + (n > 5 ? ` and ${n - 5} more` : '');
  return { ok: false, actual: `${n} pod${n === 1 ? '' : 's'} failed (${pods}); ${served}` };
}
