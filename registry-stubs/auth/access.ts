/**
 * Who may do what: repository globs, Docker token scopes (`repository:<name>:pull,push`) and the
 * access each route needs.
 */
import type { Action, Target } from '../context.ts';
import type { AccessRule } from './options.ts';

/** One granted or requested access, in the Docker token `access` claim shape. */
export interface ScopeEntry {
  type: 'repository' | 'registry';
  name: string;
  actions: string[];
}

/** What a request needs before its handler runs. */
export type Requirement =
  | { kind: 'none' }
  | { kind: 'authenticated' }
  | { kind: 'catalog' }
  | { kind: 'repository'; repository: string; actions: Action[] };

/** The scope that lists the catalog. */
export const catalogScope: ScopeEntry = { type: 'registry', name: 'catalog', actions: ['*'] };

/** True when `repository` matches `glob`; `*` matches any run of characters, `/` included. */
export function globMatches(glob: string, repository: string): boolean {
  const source = glob.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\/-]/g, '\\$&'));
  return new RegExp(`^${source.join('.*')}$`).test(repository);
}

/** Actions the rules grant on `repository`. */
export function allowedActions(rules: readonly AccessRule[], repository: string): Set<Action> {
  const allowed = new Set<Action>();
  for (const rule of rules) {
    if (globMatches(rule.repository, repository)) for (const a of rule.actions) allowed.add(a);
  }
  return allowed;
}

/** Parses one scope string (`repository:team/app:pull,push`, `registry:catalog:*`); undefined if malformed. */
export function parseScope(scope: string): ScopeEntry | undefined {
  const first = scope.indexOf(':');
  const last = scope.lastIndexOf(':');
  if (first <= 0 || last === first) return undefined;
  const type = scope.slice(0, first);
  if (type !== 'repository' && type !== 'registry') return undefined;
  // The name sits between the first and last colon, so `host:5000/app` style names survive.
  const name = scope.slice(first + 1, last);
  const actions = scope
    .slice(last + 1)
    .split(',')
    .filter((a) => a !== '');
  return name === '' ? undefined : { type, name, actions };
}

/** Formats a scope entry as in a challenge or token request. */
export function formatScope(entry: ScopeEntry): string {
  return `${entry.type}:${entry.name}:${entry.actions.join(',')}`;
}

/** True when granted entries cover `action` on `type:name` (`*` covers every action). */
export function scopeCovers(
  granted: readonly ScopeEntry[],
  type: string,
  name: string,
  action: string,
): boolean {
  return granted.some(
    (g) => g.type === type && g.name === name && (g.actions.includes(action) || g.actions.includes('*')),
  );
}

const pull: Action[] = ['pull'];
const push: Action[] = ['pull', 'push'];
const del: Action[] = ['delete'];

/** The access a request needs, from its route and method (like distribution: a push also needs pull). */
export function requirementOf(target: Target, method: string): Requirement {
  const repo = (actions: Action[]): Requirement =>
    target.repository === undefined
      ? { kind: 'none' }
      : { kind: 'repository', repository: target.repository, actions };
  switch (target.route) {
    case 'base':
      return { kind: 'authenticated' };
    case 'catalog':
      return { kind: 'catalog' };
    case 'manifest':
      if (method === 'PUT') return repo(push);
      return repo(method === 'DELETE' ? del : pull);
    case 'blob':
      return repo(method === 'DELETE' ? del : pull);
    case 'upload':
      return repo(push);
    case 'tags':
    case 'referrers':
      return repo(pull);
    default:
      return { kind: 'none' };
  }
}

/** The scope a challenge asks for to meet `requirement`, if any. */
export function challengeScope(requirement: Requirement): ScopeEntry | undefined {
  if (requirement.kind === 'catalog') return catalogScope;
  if (requirement.kind === 'repository') {
    return { type: 'repository', name: requirement.repository, actions: requirement.actions };
  }
  return undefined;
}
