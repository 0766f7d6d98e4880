/**
 * Checks `faults`: the fault name against the catalogue in the context (whose own check then
 * validates the options), the scope against declared registries, mirrors and nodes, and the
 * timeline: every fault starts before the timeout and, if it is cleared, clears after it starts
 * and within the timeout.
 */

import type { Known, ScenarioContext } from '../../vocab/context.ts';
import { at } from '../../vocab/problem.ts';
import { type Checker, duration, eachOf, num, oneOf, str } from './check.ts';
import { defaultFaultId } from './defaults.ts';
import { formatDuration } from './duration.ts';
import { REPOSITORY_GLOB, REPOSITORY_GLOB_EXPECTS } from './refs.ts';
import { label } from './validate-backend.ts';
import { checkStart, nodeName } from './validate-workload.ts';

const FAULT_FIELDS = ['id', 'fault', 'options', 'scope', 'at', 'for', 'clearAt'];
const SCOPE_FIELDS = ['registry', 'repository', 'route', 'nodes', 'probability', 'maxCount'];

/** Checks `faults` and records their ids in `known`. */
export function checkFaults(ck: Checker, value: unknown, known: Known, context: ScenarioContext): void {
  const faults: NonNullable<Known['faults']> = new Map();
  known.faults = faults;
  if (value === undefined || value === null) return;
  const list = ck.list(value, 'faults', 'faults');
  if (!list) {
    known.faults = undefined;
    return;
  }
  const names = Object.keys(context.faults);
  let complete = true;
  for (const [i, item] of list.entries()) {
    const path = at('faults', i);
    const f = ck.mapping(item, path, FAULT_FIELDS);
    if (!f) {
      complete = false;
      continue;
    }
    const name = ck.field(f, path, 'fault', oneOf(names), true);
    const explicitId = ck.field(f, path, 'id', label);
    if (name !== undefined) {
      const options = f.options ?? {};
      const opath = at(path, 'options');
      if (typeof options !== 'object' || Array.isArray(options))
        ck.wrong(opath, `a mapping of ${name} options`, options);
      else ck.problems.push(...(context.faults[name]?.validate(options, opath) ?? []));
    }
    if (f.scope != null) checkScope(ck, f.scope, at(path, 'scope'), known);
    const start = ck.field(f, path, 'at', duration());
    checkStart(ck, at(path, 'at'), start, known);
    const length = ck.field(f, path, 'for', duration(true));
    const clear = ck.field(f, path, 'clearAt', duration(true));
    if (f.for != null && f.clearAt != null) ck.add(at(path, 'clearAt'), 'expected for or clearAt, got both');
    else checkEnd(ck, path, start ?? (f.at == null ? 0 : undefined), length, clear, known);
    const id = f.id == null ? name && defaultFaultId(name, i) : explicitId;
    if (id === undefined) complete = false;
    else if (faults.has(id)) ck.wrong(f.id == null ? path : at(path, 'id'), 'an id no other fault has', id);
    else {
      const registry = (f.scope as { registry?: unknown } | null | undefined)?.registry;
      faults.set(id, {
        clears: f.for != null || f.clearAt != null,
        ...(typeof registry === 'string' ? { registry } : {}),
      });
    }
  }
  if (!complete) known.faults = undefined;
}

function checkScope(ck: Checker, value: unknown, path: string, known: Known): void {
  const s = ck.mapping(value, path, SCOPE_FIELDS);
  if (!s) return;
  const hosts = known.hosts ? [...known.hosts] : [];
  ck.field(
    s,
    path,
    'registry',
    str(`a registry or mirror name (${hosts.join(', ')})`, (v) => !known.hosts || known.hosts.has(v)),
  );
  ck.field(
    s,
    path,
    'repository',
    str(REPOSITORY_GLOB_EXPECTS, (v) => REPOSITORY_GLOB.test(v)),
  );
  ck.field(s, path, 'route', oneOf(['token', 'manifest', 'blob', 'any']));
  eachOf(ck, s, path, 'nodes', nodeName(known));
  ck.field(s, path, 'probability', num({ min: 0, max: 1 }));
  ck.field(s, path, 'maxCount', num({ min: 1, integer: true }));
}

/** A cleared fault clears after it starts and within the timeout. */
function checkEnd(
  ck: Checker,
  path: string,
  start: number | undefined,
  length: number | undefined,
  clear: number | undefined,
  known: Known,
): void {
  const timeout = known.timeoutMs;
  if (clear !== undefined && start !== undefined && clear <= start) {
    ck.wrong(at(path, 'clearAt'), `a time after at (${formatDuration(start)})`, formatDuration(clear));
  } else if (clear !== undefined && timeout !== undefined && clear > timeout) {
    ck.wrong(
      at(path, 'clearAt'),
      `a time within the timeout (${formatDuration(timeout)})`,
      formatDuration(clear),
    );
  }
  if (length !== undefined && start !== undefined && timeout !== undefined && start < timeout) {
    if (start + length > timeout) {
      ck.wrong(
        at(path, 'for'),
        `at most ${formatDuration(timeout - start)}, so the fault clears within the timeout (${formatDuration(timeout)})`,
        formatDuration(length),
      );
    }
  }
}
