/**
 * `auth-challenge-error`: requests that carry a token are answered `401` with a Bearer challenge
 * whose `error=` is `error` (RFC 6750: `invalid_token`, `insufficient_scope`, `invalid_request`),
 * whatever the token. Requests without one get the ordinary challenge, so clients fetch a token
 * and then see the error; containerd, seeing the challenge repeat, fails with `pull access denied,
 * repository does not exist or may require authorization: server message: <error>: authorization
 * failed`. Needs token auth.
 */
import { RegistryError } from '../../errors.ts';
import { bearerChallenge, schemeOf } from '../challenge.ts';
import { choice, type OptionSpecs, resolveOptions } from '../options.ts';
import type { HttpFault } from '../types.ts';

/** Options of `authChallengeError()`. */
export interface AuthChallengeErrorOptions {
  /** The challenge's `error`; default `invalid_token`. */
  error?: 'invalid_token' | 'insufficient_scope' | 'invalid_request';
}

/** The options, described once. */
export const AUTH_CHALLENGE_ERROR_OPTIONS: OptionSpecs = {
  error: {
    type: 'string',
    doc: "the challenge's error= value",
    default: 'invalid_token',
    check: choice(['invalid_token', 'insufficient_scope', 'invalid_request']),
  },
};

const messages = {
  invalid_token: 'bearer token is invalid or expired',
  insufficient_scope: 'token does not grant the access this request needs',
  invalid_request: 'the authorization request is malformed',
} as const;

/** Token-bearing requests get a challenge with `error=`. */
export function authChallengeError(options: AuthChallengeErrorOptions = {}): HttpFault {
  const { error } = resolveOptions<Required<AuthChallengeErrorOptions>>(
    'auth-challenge-error',
    AUTH_CHALLENGE_ERROR_OPTIONS,
    options,
  );
  return {
    name: 'auth-challenge-error',
    options: { error },
    needsAuth: 'token',
    start: ({ auth }) => ({
      wants: (c) => c.get('route') !== 'token' && c.get('route') !== 'unknown' && schemeOf(c) === 'bearer',
      handle: async function challengeError(c) {
        throw new RegistryError('UNAUTHORIZED', messages[error], {
          headers: { 'WWW-Authenticate': bearerChallenge(c, auth, error) },
        });
      },
    }),
  };
}
