/**
 * A fault to apply, as `apply()`, the control API and the CLI take it, and the check that finds
 * every problem of one at once (shape, fault name, options, scope) before anything is applied.
 */
import type { Problem } from '../../vocab/problem.ts';
import { catalogueEntry, unknownFaultMessage } from './catalogue.ts';
import type { CatalogueEntry } from './entry.ts';
import { type FaultScope, SCOPE_SPECS, scopeProblems } from './scope.ts';

/** A fault to apply. */
export interface FaultSpec {
  /** Default `<fault>-<n>`. */
  id?: string;
  /** Catalogue name. */
  fault: string;
  /** The fault's options; default `{}` (every default). */
  options?: Record<string, unknown>;
  /** Where it acts; default everywhere it can. */
  scope?: FaultScope;
}

/** An applied fault as `list()` shows it. */
export interface FaultSummary {
  id: string;
  fault: string;
  where: CatalogueEntry['where'];
  /** Options with defaults filled in (connection faults: as given plus what the factory reports). */
  options: Record<string, unknown>;
  /** Scope with its defaults (route any, probability 1, seed 1). */
  scope: FaultScope;
  /** ISO time of the apply. */
  appliedAt: string;
  /** Requests touched so far (HTTP faults only). */
  hits?: number;
}

const SPEC_KEYS = ['id', 'fault', 'options', 'scope'];
const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

/** Every problem of a spec: its shape, the fault name, the options and the scope. */
export function specProblems(spec: unknown): Problem[] {
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
    const given = JSON.stringify(spec) ?? String(spec);
    return [{ path: '', message: `expected a fault spec { fault, options?, scope?, id? }, got ${given}` }];
  }
  const s = spec as Record<string, unknown>;
  const problems: Problem[] = Object.keys(s)
    .filter((k) => !SPEC_KEYS.includes(k))
    .map((k) => ({ path: k, message: `unknown field; expected one of ${SPEC_KEYS.join(', ')}` }));
  if (s.id !== undefined && (typeof s.id !== 'string' || !ID.test(s.id))) {
    problems.push({
      path: 'id',
      message: `expected letters, digits, '.', '_' or '-' (at most 63), got ${JSON.stringify(s.id)}`,
    });
  }
  const entry = typeof s.fault === 'string' ? catalogueEntry(s.fault) : undefined;
  if (entry === undefined) return [...problems, { path: 'fault', message: unknownFaultMessage(s.fault) }];
  problems.push(...entry.validate(s.options ?? {}, 'options'));
  problems.push(...scopeProblems(s.scope, 'scope', entry.name, entry.scopeKeys));
  return problems;
}

/** `scope` with the defaults that are reported filled in (route any, probability 1, seed 1). */
export function scopeWithDefaults(scope: FaultScope | undefined): FaultScope {
  const resolved: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(SCOPE_SPECS)) {
    if (spec.default !== undefined) resolved[key] = spec.default;
  }
  return { ...resolved, ...scope };
}
