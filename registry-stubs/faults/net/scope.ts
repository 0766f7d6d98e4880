/**
 * Which connections a fault touches: endpoints (nodes) by name, a seeded probability per new
 * connection, and a maximum count. Conditions, not boolean flags (STYLE: combine faults with
 * small conditions).
 */
import { DEFAULT_SEED } from './random.ts';
import { checkNumber, type Problems, shown } from './validate.ts';

/** Scope options every fault factory accepts (endpoint-level faults only `endpoints`). */
export interface ScopeOptions {
  /** Endpoint (node) names the fault applies to; default every endpoint. */
  endpoints?: readonly string[];
  /** Chance that a new connection is touched, drawn from the seeded PRNG; default 1. */
  probability?: number;
  /** Most connections the fault touches while applied; default unlimited. */
  maxCount?: number;
  /** Seed of the fault's PRNG (probability and jitter); default 1. */
  seed?: number;
}

/** A resolved scope; `maxCount` undefined means unlimited (Infinity would not survive JSON). */
export interface Scope {
  endpoints?: readonly string[];
  probability: number;
  maxCount?: number;
  seed: number;
}

/** Option names of a scope, for unknown-key checks. */
export const SCOPE_KEYS = ['endpoints', 'probability', 'maxCount', 'seed'] as const;

/**
 * Checks and defaults a scope. `perConnection` false is for faults that act on the listener
 * (refused, SYN-drop blackhole): the kernel answers those connections, so there is no connection
 * to draw a probability for or to count.
 */
export function resolveScope(problems: Problems, options: ScopeOptions, perConnection = true): Scope {
  const { endpoints, probability, maxCount, seed } = options;
  if (
    endpoints !== undefined &&
    !(Array.isArray(endpoints) && endpoints.every((e) => typeof e === 'string'))
  ) {
    problems.messages.push(`endpoints must be an array of endpoint names, got ${shown(endpoints)}`);
    problems.wrongType = true;
  }
  checkNumber(problems, 'probability', probability, { min: 0, max: 1 });
  checkNumber(problems, 'maxCount', maxCount, { min: 0, integer: true });
  checkNumber(problems, 'seed', seed, { min: 0, max: 2 ** 32 - 1, integer: true });
  if (!perConnection) {
    for (const [name, value] of [
      ['probability', probability],
      ['maxCount', maxCount],
    ] as const) {
      if (value === undefined) continue;
      problems.messages.push(
        `${name} needs a connection to decide on, but this fault acts on the listener; remove it (got ${value})`,
      );
    }
  }
  return {
    ...(endpoints !== undefined && { endpoints: [...endpoints] }),
    probability: probability ?? 1,
    ...(maxCount !== undefined && { maxCount }),
    seed: seed ?? DEFAULT_SEED,
  };
}

/** Whether `scope` covers the endpoint called `endpoint`. */
export function coversEndpoint(scope: Scope, endpoint: string): boolean {
  return scope.endpoints === undefined || scope.endpoints.includes(endpoint);
}
