/**
 * A scenario's expectations judged against the analysis, each with sentences a report prints as they
 * are: `rate-limit-0 detected within 30s` — expected `detected within 30s`, actual `detected after
 * 4.2s`. Bounds and measurements are both scenario time (what a real cluster would show), so they
 * compare directly. An expectation without `fault` holds for every fault (for detection: every fault
 * that expects a cause at all).
 */
import type { Expectation } from '../scenario/expectations.ts';
import type { RunContext } from './context.ts';
import { judgeFallback } from './fallback.ts';
import { allPodsRunning, podsShowing } from './running.ts';
import { human } from './time.ts';
import { judgeTolerated } from './tolerance.ts';
import type { Analysis, ExpectationResult, FaultAnalysis } from './types.ts';

type Parts = Omit<Analysis, 'expectations' | 'verdict' | 'run' | 'schemaVersion'>;

/** Judges every expectation of the scenario. */
export function judgeExpectations(ctx: RunContext, parts: Parts): ExpectationResult[] {
  return (ctx.scenario?.expectations ?? []).map((e) => ({
    expectation: { ...e },
    ...judge(e, ctx, parts),
  }));
}

type Verdict = Omit<ExpectationResult, 'expectation'>;

/** The faults an expectation is about, and the label its sentence starts with. */
function targets(
  faults: readonly FaultAnalysis[],
  id: string | undefined,
  keep = (_f: FaultAnalysis) => true,
) {
  return id === undefined
    ? { label: 'every fault', list: faults.filter(keep) }
    : { label: id, list: faults.filter((f) => f.id === id) };
}

/** Combines per-fault outcomes: all must pass, and there must be at least one. */
function perFault(
  id: string | undefined,
  list: readonly FaultAnalysis[],
  each: (f: FaultAnalysis) => { ok: boolean; actual: string },
): { passed: boolean; actual: string } {
  if (list.length === 0)
    return { passed: false, actual: id ? `no fault '${id}' in the run` : 'no faults in the run' };
  const results = list.map((f) => ({ id: f.id, ...each(f) }));
  const actual =
    id !== undefined || results.length === 1
      ? results[0]!.actual
      : results.map((r) => `${r.id}: ${r.actual}`).join('; ');
  return { passed: results.every((r) => r.ok), actual };
}

function judge(e: Expectation, ctx: RunContext, parts: Parts): Verdict {
  switch (e.type) {
    case 'detectedWithin': {
      const { label, list } = targets(parts.faults, e.fault, (f) => f.expectedCauses.length > 0);
      const bound = `detected within ${human(e.withinMs)}`;
      const outcome = perFault(e.fault, list, (f) =>
        f.detection === null
          ? { ok: false, actual: 'never detected' }
          : {
              ok: f.detection.first.ms <= e.withinMs,
              actual: `detected after ${human(f.detection.first.ms)}`,
            },
      );
      return { description: `${label} ${bound}`, expected: bound, ...outcome };
    }
    case 'classifiedAs': {
      const { label, list } = targets(parts.faults, e.fault);
      const outcome = perFault(e.fault, list, (f) => classifiedAs(f, e.cause));
      return {
        description: e.fault
          ? `${label} failures classified as ${e.cause}`
          : `failures under every fault classified as ${e.cause}`,
        expected: `every failure ${e.cause}`,
        ...outcome,
      };
    }
    case 'recoveredWithin': {
      const { label, list } = targets(parts.faults, e.fault);
      const bound = `recovered within ${human(e.withinMs)}`;
      const outcome = perFault(e.fault, list, (f) => recovered(f, e.withinMs));
      return { description: `${label} ${bound}`, expected: bound, ...outcome };
    }
    case 'pullLatency': {
      const name = e.percentile === 100 ? 'max' : `p${e.percentile}`;
      const { latency } = parts.pulls;
      const value = e.percentile === 100 ? latency.max : latency[`p${e.percentile}`];
      return {
        description: `${name} pull latency under ${human(e.underMs)}`,
        expected: `under ${human(e.underMs)}`,
        passed: value !== null && value < e.underMs,
        actual:
          value === null
            ? 'no successful pulls'
            : `${name} ${human(value)} over ${latency.count} pull${latency.count === 1 ? '' : 's'}`,
      };
    }
    case 'originAmplification': {
      const { amplification: a, originBlobBytes, uniqueBlobBytes } = parts.registry;
      return {
        description: `origin amplification at most ${round(e.atMost)}`,
        expected: `at most ${round(e.atMost)}`,
        passed: a !== null && a <= e.atMost,
        actual:
          a === null
            ? 'no blobs served'
            : `${round(a)} (${originBlobBytes} origin blob bytes for ${uniqueBlobBytes} unique)`,
      };
    }
    case 'digestDrift': {
      const drifting = parts.drift.tags.filter((t) => t.drift);
      return {
        description: e.detected ? 'digest drift detected between nodes' : 'no digest drift between nodes',
        expected: e.detected ? 'nodes running different digests for a tag' : 'one digest per tag',
        passed: parts.drift.detected === e.detected,
        actual:
          drifting.length === 0
            ? `one digest per tag (${parts.drift.tags.length} tag${parts.drift.tags.length === 1 ? '' : 's'})`
            : drifting
                .map(
                  (t) =>
                    `${t.reference}: ${new Set(Object.values(t.digestsByNode)).size} digests across ${Object.keys(t.digestsByNode).length} nodes`,
                )
                .join('; '),
      };
    }
    case 'allPodsRunning':
      return allPodsRunning(ctx, e.withinMs);
    case 'tolerated':
      return judgeTolerated(e, parts.faults);
    case 'fallbackTime':
      return judgeFallback(e, parts.mirrors ?? []);
    case 'podsFailing': {
      const count = podsShowing(ctx, e.reason);
      return {
        description: `at least ${e.atLeast} pods in ${e.reason}`,
        expected: `at least ${e.atLeast} pods`,
        passed: count >= e.atLeast,
        actual: `${count} pod${count === 1 ? '' : 's'} showed ${e.reason}`,
      };
    }
  }
}

function classifiedAs(f: FaultAnalysis, cause: string): { ok: boolean; actual: string } {
  const counts = f.classification.counts;
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  const hits = counts[cause] ?? 0;
  if (total === 0) return { ok: false, actual: 'no failures while applied' };
  if (hits === total) return { ok: true, actual: `all ${total} failures ${cause}` };
  const others = Object.entries(counts)
    .filter(([c]) => c !== cause)
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))
    .map(([c, n]) => `${n} ${c}`);
  return { ok: false, actual: `${hits} of ${total} failures ${cause}; ${others.join(', ')}` };
}

function recovered(f: FaultAnalysis, withinMs: number): { ok: boolean; actual: string } {
  if (f.window.endMs === null) return { ok: false, actual: 'never cleared' };
  const left = f.backoffAtClear?.maxRemainingMs ?? 0;
  const backoff = left > 0 ? `; kubelet backoff had up to ${human(left)} left at the clear` : '';
  if (f.recovery === null) {
    const n = f.unrecoveredPods?.length ?? 0;
    return {
      ok: false,
      actual: `not recovered: ${n} pod${n === 1 ? '' : 's'} never running again${backoff}`,
    };
  }
  return {
    ok: f.recovery.ms <= withinMs,
    actual: `recovered after ${human(f.recovery.ms)}${backoff}`,
  };
}

/** Up to two decimals, no trailing zeros. */
function round(n: number): string {
  return String(Number(n.toFixed(2)));
}
