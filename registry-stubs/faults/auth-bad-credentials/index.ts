/**
 * `auth-bad-credentials`: every credential offered is rejected, as after a password rotation the
 * client did not get. Basic credentials get `401` "invalid username or password" with the Basic
 * challenge, at the token endpoint (GET with Basic, and every OAuth POST) and on registry routes;
 * Bearer tokens of a user get `401 error="invalid_token"`, sending the client back to the token
 * endpoint, where its password fails. containerd: `failed to fetch oauth token: unexpected status
 * from POST request to …/token: 401 Unauthorized`. Anonymous requests are left alone.
 */
import { RegistryError } from '../../errors.ts';
import { basicChallenge, denyPrincipal, schemeOf } from '../challenge.ts';
import { type OptionSpecs, resolveOptions } from '../options.ts';
import type { HttpFault } from '../types.ts';

/** Options of `authBadCredentials()`: none besides the scope. */
export type AuthBadCredentialsOptions = Record<string, never>;

/** No options. */
export const AUTH_BAD_CREDENTIALS_OPTIONS: OptionSpecs = {};

/** Every offered credential is rejected. */
export function authBadCredentials(options: AuthBadCredentialsOptions = {}): HttpFault {
  resolveOptions('auth-bad-credentials', AUTH_BAD_CREDENTIALS_OPTIONS, options);
  return {
    name: 'auth-bad-credentials',
    options: {},
    start: ({ auth }) => ({
      wants(c) {
        const route = c.get('route');
        const scheme = schemeOf(c);
        if (route === 'unknown') return false;
        // Every OAuth POST carries a password or refresh token.
        if (route === 'token')
          return auth.mode === 'token' && (c.req.method === 'POST' || scheme === 'basic');
        if (scheme === 'bearer') return auth.mode === 'token' && c.get('user') !== undefined;
        return scheme === 'basic' && auth.mode !== 'token';
      },
      handle: async function authBadCredentials(c, next) {
        if (c.get('route') === 'token' || auth.mode === 'none') {
          throw new RegistryError('UNAUTHORIZED', 'invalid username or password', {
            headers: { 'WWW-Authenticate': basicChallenge(auth) },
          });
        }
        const bearer = schemeOf(c) === 'bearer';
        denyPrincipal(
          c,
          bearer ? { problem: 'invalid_token' } : { via: 'basic', problem: 'bad_credentials' },
        );
        await next();
      },
    }),
  };
}
