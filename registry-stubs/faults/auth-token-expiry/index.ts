/**
 * `auth-token-expiry`: tokens issued while applied say `expires_in: expiresInSeconds` and really
 * expire then: a request carrying one afterwards gets the registry's `401` with
 * `error="invalid_token"`. containerd caches a token until `expires_in` and then fetches a new
 * one, so a well-behaved client recovers; a client that keeps a token longer fails with
 * `401 Unauthorized`. Tokens issued before the fault keep their lifetime; tokens issued during it
 * stay short-lived after it is cleared only as far as the client believes `expires_in`.
 * Needs token auth.
 */
import { jsonResponse } from '../../routes/common.ts';
import { denyPrincipal } from '../challenge.ts';
import { replaceResponse } from '../http.ts';
import { integer, type OptionSpecs, resolveOptions } from '../options.ts';
import type { HttpFault } from '../types.ts';

/** Options of `authTokenExpiry()`. */
export interface AuthTokenExpiryOptions {
  /** Lifetime of tokens issued while applied, in seconds; default 5. */
  expiresInSeconds?: number;
}

/** The options, described once. */
export const AUTH_TOKEN_EXPIRY_OPTIONS: OptionSpecs = {
  expiresInSeconds: {
    type: 'integer',
    doc: 'lifetime of tokens issued while applied',
    default: 5,
    unit: 'seconds',
    check: integer(1, 86_400),
  },
};

/** Tokens remembered at most; the oldest are forgotten first (they expired long ago). */
const MAX_TOKENS = 100_000;

/** Issued tokens expire after `expiresInSeconds`. */
export function authTokenExpiry(options: AuthTokenExpiryOptions = {}): HttpFault {
  const { expiresInSeconds } = resolveOptions<Required<AuthTokenExpiryOptions>>(
    'auth-token-expiry',
    AUTH_TOKEN_EXPIRY_OPTIONS,
    options,
  );
  return {
    name: 'auth-token-expiry',
    options: { expiresInSeconds },
    needsAuth: 'token',
    start({ now }) {
      // Token → clock time (ms) it expires at; insertion order is issue order.
      const expiries = new Map<string, number>();
      const bearer = (header: string | undefined) => /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1];
      const expired = (header: string | undefined) =>
        now() >= (expiries.get(bearer(header) ?? '') ?? Infinity);
      return {
        wants: (c) => c.get('route') === 'token' || expired(c.req.header('Authorization')),
        handle: async function expireTokens(c, next) {
          if (c.get('route') !== 'token') {
            denyPrincipal(c, { via: 'bearer', problem: 'invalid_token' });
            await next();
            return true;
          }
          await next();
          if (c.res.status !== 200) return false;
          const body = (await c.res.clone().json()) as { token?: string; expires_in?: number };
          if (typeof body.token !== 'string') return false;
          expiries.set(body.token, now() + expiresInSeconds * 1000);
          if (expiries.size > MAX_TOKENS) expiries.delete(expiries.keys().next().value as string);
          replaceResponse(c, jsonResponse({ ...body, expires_in: expiresInSeconds }));
          return true;
        },
      };
    },
  };
}
