/**
 * Which requests an applied fault touches: small conditions that compose (STYLE: by repository,
 * by route, by node, by client, by chance, at most N times), checked by the engine before a
 * fault sees the request. Every absent condition matches everything.
 */
import { at, type Problem } from '../../vocab/problem.ts';
import { routeKinds } from '../context.ts';
import { choice, integer, list, number, type OptionSpecs, optionProblems, text } from './options.ts';
import type { ScopeKey } from './types.ts';

/** Routes a scope can name: the scenario's four, and every route kind of the registry. */
export const SCOPE_ROUTES = ['any', ...routeKinds.filter((r) => r !== 'unknown')] as const;

/** Where an applied fault acts. */
export interface FaultScope {
  /** Repository glob (`*` matches any characters, `/` included); for the token route, the repositories its `scope` asks for; default every repository. */
  repository?: string;
  /** Route family: `token`, `manifest`, `blob`, … or `any`; default `any`. */
  route?: (typeof SCOPE_ROUTES)[number];
  /** Endpoint (node) names the request must have come in through; default every endpoint. */
  nodes?: readonly string[];
  /** Client address globs, e.g. `10.0.0.*`; default every client. */
  clients?: readonly string[];
  /** Chance that an eligible request is touched, drawn from a PRNG seeded with `seed`; default 1. */
  probability?: number;
  /** Most requests touched while applied; default unlimited. */
  maxCount?: number;
  /** Seed of the probability draws; default 1, so a run repeats exactly. */
  seed?: number;
}

/** The scope conditions, described and checked like fault options. */
export const SCOPE_SPECS: OptionSpecs = {
  repository: { type: 'string', doc: 'repository glob', check: text('a repository glob such as team/*') },
  route: { type: 'string', doc: 'route family', default: 'any', check: choice(SCOPE_ROUTES) },
  nodes: { type: 'string[]', doc: 'endpoint names', check: list(text('a name'), 'a list of endpoint names') },
  clients: {
    type: 'string[]',
    doc: 'client globs',
    check: list(text('a glob'), 'a list of client address globs'),
  },
  probability: { type: 'number', doc: 'chance per request', default: 1, check: number(0, 1) },
  maxCount: { type: 'integer', doc: 'most requests touched', check: integer(1) },
  seed: { type: 'integer', doc: 'PRNG seed', default: 1, check: integer(0, 2 ** 32 - 1) },
};

/** Every problem of `scope` under `path`, including conditions `fault` cannot honour. */
export function scopeProblems(
  scope: unknown,
  path: string,
  fault: string,
  honoured: readonly ScopeKey[] = Object.keys(SCOPE_SPECS) as ScopeKey[],
): Problem[] {
  const problems = optionProblems('scope', SCOPE_SPECS, scope ?? {}, path);
  if (problems.length > 0 || scope == null) return problems;
  for (const [key, value] of Object.entries(scope as object)) {
    // Values that restrict nothing are fine anywhere (a runner passes defaulted scopes).
    const noop =
      key === 'seed' || (key === 'route' && value === 'any') || (key === 'probability' && value === 1);
    if (!noop && !honoured.includes(key as ScopeKey)) {
      problems.push({
        path: at(path, key),
        message: `${fault} cannot be limited by ${key}; it honours ${honoured.join(', ') || 'no scope'}`,
      });
    }
  }
  return problems;
}

/** `glob` as an anchored RegExp; `*` matches any run of characters, `/` included. */
export function compileGlob(glob: string): RegExp {
  const source = glob.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\/-]/g, '\\$&'));
  return new RegExp(`^${source.join('.*')}$`);
}

/** A test for any of `globs`; undefined (match everything) when there are none. */
export function anyGlob(globs: readonly string[] | undefined): ((value: string) => boolean) | undefined {
  if (globs === undefined) return undefined;
  const patterns = globs.map(compileGlob);
  return (value) => patterns.some((p) => p.test(value));
}
