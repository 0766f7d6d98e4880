/**
 * `auth-insufficient-scope`: tokens stop granting the repositories in scope, as when a robot
 * account loses access. A request with a token gets the registry's own `401` with
 * `error="insufficient_scope"` and the scope it needed; containerd, seeing the same challenge
 * again after fetching a token, fails with `pull access denied, repository does not exist or may
 * require authorization: server message: insufficient_scope: authorization failed`.
 * Needs token auth.
 */
import { denyPrincipal, schemeOf } from '../challenge.ts';
import { type OptionSpecs, resolveOptions } from '../options.ts';
import type { HttpFault } from '../types.ts';

/** Options of `authInsufficientScope()`: none besides the scope (`repository` picks the repositories). */
export type AuthInsufficientScopeOptions = Record<string, never>;

/** No options. */
export const AUTH_INSUFFICIENT_SCOPE_OPTIONS: OptionSpecs = {};

const guarded = new Set(['manifest', 'blob', 'upload', 'tags', 'referrers', 'catalog']);

/** Tokens lack the scope for matching repositories. */
export function authInsufficientScope(options: AuthInsufficientScopeOptions = {}): HttpFault {
  resolveOptions('auth-insufficient-scope', AUTH_INSUFFICIENT_SCOPE_OPTIONS, options);
  return {
    name: 'auth-insufficient-scope',
    options: {},
    needsAuth: 'token',
    start: () => ({
      wants: (c) =>
        guarded.has(c.get('route')) && schemeOf(c) === 'bearer' && c.get('principal').problem === undefined,
      handle: async function insufficientScope(c, next) {
        denyPrincipal(c);
        await next();
      },
    }),
  };
}
