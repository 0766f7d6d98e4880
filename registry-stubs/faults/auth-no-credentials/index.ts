/**
 * `auth-no-credentials`: the registry starts requiring credentials; requests without a user are
 * refused with the registry's 401 challenge. What that looks like per auth mode:
 * - token: anonymous tokens are still issued (as Docker Hub does) but grant nothing, so clients
 *   get `401` with `error="insufficient_scope"` — containerd: `pull access denied, repository does
 *   not exist or may require authorization: server message: insufficient_scope: authorization failed`;
 * - basic: anonymous rules stop applying, so requests get the Basic challenge;
 * - none: requests without an Authorization header get `401` with a Basic challenge (the registry
 *   has no users, so any credentials a client then sends are accepted). Empty credentials
 *   (`Basic Og==`, which containers/image clients — podman, skopeo, CRI-O — send after a Basic
 *   challenge when they have none) are anonymous, not credentials.
 */
import { basicCredentials } from '../../auth/guard.ts';
import { RegistryError } from '../../errors.ts';
import { basicChallenge, denyPrincipal } from '../challenge.ts';
import type { OptionSpecs } from '../options.ts';
import { resolveOptions } from '../options.ts';
import type { HttpFault } from '../types.ts';

/** Options of `authNoCredentials()`: none besides the scope. */
export type AuthNoCredentialsOptions = Record<string, never>;

/** No options. */
export const AUTH_NO_CREDENTIALS_OPTIONS: OptionSpecs = {};

/** No Authorization header, or Basic credentials with an empty user and password. */
function anonymous(authorization: string | undefined): boolean {
  if (authorization === undefined) return true;
  const credentials = basicCredentials(authorization);
  return credentials !== undefined && credentials.username === '' && credentials.password === '';
}

/** Requests without a user are refused. */
export function authNoCredentials(options: AuthNoCredentialsOptions = {}): HttpFault {
  resolveOptions('auth-no-credentials', AUTH_NO_CREDENTIALS_OPTIONS, options);
  return {
    name: 'auth-no-credentials',
    options: {},
    start: ({ auth }) => ({
      wants: (c) => {
        const route = c.get('route');
        if (route === 'token' || route === 'unknown') return false;
        return auth.mode === 'none' ? anonymous(c.req.header('Authorization')) : c.get('user') === undefined;
      },
      handle: async function authNoCredentials(c, next) {
        if (auth.mode === 'none') {
          throw new RegistryError('UNAUTHORIZED', 'authentication required', {
            headers: { 'WWW-Authenticate': basicChallenge(auth) },
          });
        }
        denyPrincipal(c);
        await next();
      },
    }),
  };
}
