/**
 * What happens after a fault clears: when each pod it broke runs again, and how long kubelet's
 * backoff still made pods wait. The backoff is replayed from each pod's failures with kubelet's
 * rule (10 s, doubling per failure, capped at 300 s, forgotten after 2 × max without a failure),
 * so a report can say "recovery took 4m50s, of which up to 4m40s
 * was kubelet waiting out its backoff" — in a real cluster recovery is bounded by that, not by the
 * registry.
 */
import { imageBackOffInitialMs, imageBackOffMaxMs } from '../kubelet/config.ts';
import { isRunning, type PodRecord, type RunContext } from './context.ts';
import type { FaultAnalysis } from './types.ts';

/** When `rec` is running again at or after `fromMs`, or null when it never is. */
export function runningAgainAt(ctx: RunContext, rec: PodRecord, fromMs: number): number | null {
  if (rec.states.length > 0) {
    const at = rec.states.findLastIndex((s) => s.atMs <= fromMs);
    if (at >= 0 && isRunning(rec.states[at])) return fromMs;
    return rec.states.slice(at + 1).find((s) => isRunning(s))?.atMs ?? null;
  }
  // Backends that report only pull attempts: a successful pull is the pod's recovery.
  const ok = rec.attempts.map((a) => (a.ok ? Date.parse(a.time) - ctx.t0 : Number.NaN));
  return ok.find((ms) => ms >= fromMs) ?? null;
}

/** Fault end → every failed pod running; the pods that never ran again. `untilMs`: end of the grace. */
export function recovery(
  ctx: RunContext,
  failedPods: readonly string[],
  endMs: number,
  untilMs: number,
): { ms: number | null; unrecovered: string[] } {
  let latest = endMs;
  const unrecovered: string[] = [];
  for (const pod of failedPods) {
    const rec = ctx.pods.get(pod)!;
    // A failure reported just after the clear (an attempt in flight) moves the start of the wait.
    const lastFailure = rec.failures.findLast((f) => f.atMs >= endMs && f.atMs <= untilMs)?.atMs ?? endMs;
    const at = runningAgainAt(ctx, rec, Math.max(endMs, lastFailure));
    if (at === null) unrecovered.push(pod);
    else latest = Math.max(latest, at);
  }
  return { ms: unrecovered.length > 0 ? null : latest - endMs, unrecovered };
}

/** kubelet's backoff step after each of `failuresMs` (ascending): 10 s doubling to 300 s. */
export function backoffSteps(failuresMs: readonly number[]): number[] {
  const initial = imageBackOffInitialMs;
  const max = imageBackOffMaxMs;
  const steps: number[] = [];
  let step = 0;
  let last = Number.NEGATIVE_INFINITY;
  for (const at of failuresMs) {
    // client-go restarts an entry untouched for more than 2 × max (`hasExpired`).
    step = at - last > 2 * max ? initial : Math.min(step * 2, max);
    steps.push(step);
    last = at;
  }
  return steps;
}

/** The longest backoff wait left at `endMs` among `failedPods`, and the largest step; null when none. */
export function backoffAtClear(
  ctx: RunContext,
  failedPods: readonly string[],
  endMs: number,
): FaultAnalysis['backoffAtClear'] {
  let maxRemainingMs = 0;
  let maxStepMs = 0;
  let any = false;
  for (const pod of failedPods) {
    const times = ctx.pods
      .get(pod)!
      .failures.filter((f) => f.atMs <= endMs)
      .map((f) => f.atMs);
    if (times.length === 0) continue;
    any = true;
    const steps = backoffSteps(times);
    const step = steps[steps.length - 1]!;
    maxStepMs = Math.max(maxStepMs, step);
    maxRemainingMs = Math.max(maxRemainingMs, times[times.length - 1]! + step - endMs);
  }
  return any ? { maxRemainingMs, maxStepMs } : null;
}
