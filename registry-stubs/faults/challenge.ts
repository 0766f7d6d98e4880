/**
 * What auth faults need of the registry's auth: its mode and challenge parameters, the scope a
 * request needs, and a way to change who the request is. Faults prefer changing the principal
 * and letting the registry's own authorization answer, so a fault's 401 is byte for byte the
 * registry's; they build challenges themselves only where the registry never would.
 */
import { challengeScope, formatScope, requirementOf } from '../auth/access.ts';
import type { AuthOptions } from '../auth/options.ts';
import type { Principal, RegistryContext } from '../context.ts';
import type { AuthInfo } from './types.ts';

/** Auth info from `startRegistry`'s auth options, with the registry's defaults. */
export function authInfoOf(options: AuthOptions | undefined): AuthInfo {
  return {
    mode: options?.mode ?? 'none',
    service: options?.service ?? 'pullstorm',
    basicRealm: options?.basicRealm ?? 'pullstorm',
    tokenRealm: options?.tokenRealm,
  };
}

/** The token scope the request needs (`repository:team/app:pull`), if any. */
export function neededScope(c: RegistryContext): string | undefined {
  const scope = challengeScope(requirementOf(c.get('target'), c.req.method));
  return scope === undefined ? undefined : formatScope(scope);
}

/** The token realm clients are sent to: the configured one, or `<request origin>/token`. */
export function realmOf(c: RegistryContext, auth: AuthInfo): string {
  return auth.tokenRealm ?? `${new URL(c.req.url).origin}/token`;
}

/** A Bearer challenge as the registry writes it, with `error` when given. */
export function bearerChallenge(c: RegistryContext, auth: AuthInfo, error?: string): string {
  const scope = neededScope(c);
  let value = `Bearer realm="${realmOf(c, auth)}",service="${auth.service}"`;
  if (scope !== undefined) value += `,scope="${scope}"`;
  if (error !== undefined) value += `,error="${error}"`;
  return value;
}

/** A Basic challenge as the registry writes it. */
export function basicChallenge(auth: AuthInfo): string {
  return `Basic realm="${auth.basicRealm}"`;
}

/** The scheme of the request's Authorization header, lower-cased, or undefined. */
export function schemeOf(c: RegistryContext): string | undefined {
  return c.req.header('Authorization')?.split(/\s/, 1)[0]?.toLowerCase();
}

/** Replaces the request's principal with one that may do nothing, plus `patch`. */
export function denyPrincipal(c: RegistryContext, patch: Partial<Principal> = {}): void {
  const principal = c.get('principal');
  const denied: Principal = { ...principal, can: () => false, canCatalog: false, ...patch };
  if (patch.problem !== undefined) delete denied.user;
  c.set('principal', denied);
  c.set('user', denied.user);
}
