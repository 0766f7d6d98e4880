/**
 * Whole-workload questions over pod states: when every pod was running at once (pods created later
 * by a ramp count from the start, so a storm is "all running" only once its last pod runs), and how
 * many pods ever showed a waiting reason. Pods seen only through pull attempts run from their last
 * successful pull.
 */
import { isRunning, type PodRecord, type RunContext } from './context.ts';
import { human } from './time.ts';
import type { ExpectationResult } from './types.ts';

/** Offsets at which `rec` started or stopped running. */
function transitions(ctx: RunContext, rec: PodRecord): { atMs: number; running: boolean }[] {
  if (rec.states.length > 0) return rec.states.map((s) => ({ atMs: s.atMs, running: isRunning(s) }));
  return rec.attempts.map((a) => ({ atMs: Date.parse(a.time) - ctx.t0, running: a.ok }));
}

/** The first offset at which every pod ran at once; null when that never happened. */
export function allRunningAtMs(ctx: RunContext): number | null {
  const changes: { atMs: number; pod: string; running: boolean }[] = [];
  for (const rec of ctx.pods.values()) {
    for (const t of transitions(ctx, rec)) changes.push({ ...t, pod: rec.pod });
  }
  changes.sort((a, b) => a.atMs - b.atMs);
  const total = ctx.pods.size;
  const running = new Set<string>();
  for (let i = 0; i < changes.length; i++) {
    const c = changes[i]!;
    if (c.running) running.add(c.pod);
    else running.delete(c.pod);
    // Judge a moment only after all its changes: two pods swapping at one instant are not both up.
    const next = changes[i + 1];
    if (running.size === total && total > 0 && (next === undefined || next.atMs !== c.atMs)) return c.atMs;
  }
  return null;
}

/** Pods not running at the end, with their last reason. */
export function notRunning(ctx: RunContext): string[] {
  const out: string[] = [];
  for (const rec of ctx.pods.values()) {
    const t = transitions(ctx, rec);
    if (t[t.length - 1]?.running === true) continue;
    const reason = rec.states[rec.states.length - 1]?.reason;
    out.push(reason === undefined ? rec.pod : `${rec.pod} (${reason})`);
  }
  return out;
}

/** The `allPodsRunning` expectation: by `withinMs` (scenario time) or, without it, at the end. */
export function allPodsRunning(
  ctx: RunContext,
  withinMs: number | undefined,
): Omit<ExpectationResult, 'expectation'> {
  const total = ctx.pods.size;
  const bound = withinMs === undefined ? 'by the end of the run' : `within ${human(withinMs)}`;
  const description = `all pods running ${bound}`;
  const expected = `all pods running ${bound}`;
  if (total === 0) return { description, expected, passed: false, actual: 'no pods' };
  const at = allRunningAtMs(ctx);
  const down = notRunning(ctx);
  const passed = withinMs === undefined ? down.length === 0 : at !== null && at <= withinMs;
  if (at !== null && (down.length === 0 || withinMs !== undefined)) {
    const since = `all ${total} pods running after ${human(at)}`;
    return {
      description,
      expected,
      passed,
      actual: down.length === 0 ? since : `${since}; ${down.length} not running at the end`,
    };
  }
  const shown = down.slice(0, 5).join(', ') + (down.length > 5 ? ` and ${down.length - 5} more` : '');
  return {
    description,
    expected,
    passed,
    actual: `${total - down.length} of ${total} pods running at the end; not running: ${shown}`,
  };
}

/** How many pods ever showed waiting reason `reason` (in a state, or kubelet's `Error: <reason>`). */
export function podsShowing(ctx: RunContext, reason: string): number {
  let count = 0;
  for (const rec of ctx.pods.values()) {
    if (
      rec.states.some((s) => s.reason === reason) ||
      rec.events.some((e) => e.message === `Error: ${reason}`)
    ) {
      count++;
    }
  }
  return count;
}
