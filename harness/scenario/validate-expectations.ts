/**
 * Checks `expectations`: each is a mapping tagged by `type` with only that type's fields; fault
 * ids must name a fault, causes must be the classifier's, and a recovery can only be measured for
 * a fault that is cleared.
 */

import type { Known, ScenarioContext } from '../../vocab/context.ts';
import { at } from '../../vocab/problem.ts';
import { bool, type Checker, closest, duration, num, oneOf, type Rule, str } from './check.ts';
import { formatDuration } from './duration.ts';
import { EXPECTATION_FIELDS, EXPECTATION_TYPES, PERCENTILES, WAITING_REASONS } from './expectations.ts';

const percentile: Rule<number> = {
  expects: `one of ${PERCENTILES.join(', ')}`,
  check: (value, path, ck) =>
    (PERCENTILES as readonly unknown[]).includes(value)
      ? (value as number)
      : ck.wrong(path, percentile.expects, value),
};

/** Checks `expectations`. */
export function checkExpectations(ck: Checker, value: unknown, known: Known, context: ScenarioContext): void {
  if (value === undefined || value === null) return;
  for (const [i, item] of (ck.list(value, 'expectations', 'expectations') ?? []).entries()) {
    checkExpectation(ck, item, at('expectations', i), known, context);
  }
}

function checkExpectation(ck: Checker, item: unknown, path: string, known: Known, context: ScenarioContext) {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    return ck.wrong(path, `a mapping with type (${EXPECTATION_TYPES.join(', ')})`, item);
  }
  const e = item as Record<string, unknown>;
  const type = ck.field(e, path, 'type', oneOf(EXPECTATION_TYPES), true);
  if (type === undefined) return;
  ck.mapping(e, path, ['type', ...EXPECTATION_FIELDS[type]]);
  switch (type) {
    case 'detectedWithin':
    case 'recoveredWithin': {
      const fault = checkFault(ck, e, path, known);
      ck.field(e, path, 'within', duration(true), true);
      if (type === 'recoveredWithin' && (e.fault == null || fault !== undefined)) {
        checkClears(ck, fault, path, known);
      }
      return;
    }
    case 'tolerated':
      checkFault(ck, e, path, known);
      return;
    case 'fallbackTime': {
      if (e.fault == null)
        ck.add(at(path, 'fault'), 'required field missing; expected the id of a fault on a mirror');
      else checkOnMirror(ck, checkFault(ck, e, path, known), path, known);
      const under = ck.field(e, path, 'under', duration(true), true);
      const atLeast = ck.field(e, path, 'atLeast', duration(true));
      if (under !== undefined && atLeast !== undefined && atLeast >= under) {
        ck.wrong(
          at(path, 'atLeast'),
          `a duration below under (${formatDuration(under)})`,
          formatDuration(atLeast),
        );
      }
      return;
    }
    case 'classifiedAs':
      checkFault(ck, e, path, known);
      ck.field(e, path, 'cause', oneOf(context.causes), true);
      return;
    case 'pullLatency':
      ck.field(e, path, 'percentile', percentile);
      ck.field(e, path, 'under', duration(true), true);
      return;
    case 'originAmplification':
      ck.field(e, path, 'atMost', num({ above: 0 }), true);
      return;
    case 'digestDrift':
      ck.field(e, path, 'detected', bool, true);
      return;
    case 'allPodsRunning':
      ck.field(e, path, 'within', duration(true));
      return;
    case 'podsFailing':
      ck.field(e, path, 'reason', oneOf(WAITING_REASONS), true);
      ck.field(e, path, 'atLeast', num({ min: 1, integer: true }), true);
      return;
  }
}

/** `fault`, when given, names a declared fault; when left out, there must be faults to apply to. */
function checkFault(ck: Checker, e: Record<string, unknown>, path: string, known: Known): string | undefined {
  const ids = known.faults ? [...known.faults.keys()] : [];
  if (e.fault == null) {
    if (known.faults && ids.length === 0)
      ck.add(path, 'expected faults for this expectation to apply to, got none');
    return undefined;
  }
  const rule = str(`a fault id (${ids.join(', ')})`, (s) => {
    if (!known.faults || known.faults.has(s)) return true;
    if (ids.length === 0) return 'the scenario has no faults';
    const guess = closest(s, ids);
    return guess ? `did you mean '${guess}'?` : false;
  });
  return ck.field(e, path, 'fault', rule);
}

/** Fallback is measured on pulls that found a mirror down, so the fault must be scoped to a mirror. */
function checkOnMirror(ck: Checker, fault: string | undefined, path: string, known: Known): void {
  const { faults, registries, hosts } = known;
  if (fault === undefined || !faults || !registries || !hosts) return;
  const onMirror = (registry: string | undefined) =>
    registry !== undefined && hosts.has(registry) && !registries.has(registry);
  const target = faults.get(fault)?.registry;
  // An unknown scope.registry is the fault's own problem, reported there.
  if (onMirror(target) || (target !== undefined && !hosts.has(target))) return;
  const candidates = [...faults].filter(([, f]) => onMirror(f.registry)).map(([id]) => id);
  ck.wrong(
    at(path, 'fault'),
    `the id of a fault whose scope.registry names a mirror (${candidates.length > 0 ? candidates.join(', ') : 'the scenario has none'})`,
    fault,
    target === undefined
      ? 'it has no scope.registry, so it is not on a mirror'
      : `its scope.registry '${target}' is a registry, not a mirror`,
  );
}

/** Recovery is measured from a fault's end, so the fault (or every fault) must end. */
function checkClears(ck: Checker, fault: string | undefined, path: string, known: Known): void {
  if (!known.faults) return;
  if (fault !== undefined) {
    if (known.faults.get(fault)?.clears === false) {
      ck.wrong(at(path, 'fault'), 'a fault that is cleared (give it for or clearAt)', fault);
    }
    return;
  }
  const stuck = [...known.faults].filter(([, f]) => !f.clears).map(([id]) => id);
  if (stuck.length > 0) {
    ck.add(
      path,
      `expected every fault to be cleared (give each for or clearAt), got ${stuck.map((id) => `'${id}'`).join(', ')} without an end`,
    );
  }
}
