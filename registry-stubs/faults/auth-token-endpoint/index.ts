/**
 * `auth-token-endpoint`: the token service fails while the registry is fine. With a `status`
 * (500–599) the token endpoint answers it — containerd: `failed to fetch anonymous token:
 * unexpected status from GET request to …/token?…: 503 Service Unavailable`. With `refused` or
 * `dns` the registry's challenges send clients to a realm nobody answers: port 2 of the same host
 * (`dial tcp …:2: connect: connection refused`) or a host under `.invalid` that never resolves
 * (`dial tcp: lookup auth.pullstorm.invalid…: no such host`). Needs token auth.
 */
import { RegistryError } from '../../errors.ts';
import { realmOf } from '../challenge.ts';
import { setHeaders } from '../http.ts';
import { unresolvableHost } from '../net/dns.ts';
import { choice, either, integer, type OptionSpecs, resolveOptions } from '../options.ts';
import type { HttpFault } from '../types.ts';

/** Options of `authTokenEndpoint()`. */
export interface AuthTokenEndpointOptions {
  /** The token endpoint's answer: an HTTP status 500–599, or `refused` / `dns` (unreachable); default 503. */
  status?: number | 'refused' | 'dns';
}

/** The options, described once. */
export const AUTH_TOKEN_ENDPOINT_OPTIONS: OptionSpecs = {
  status: {
    type: 'integer|string',
    doc: "the token endpoint's answer: a status 500-599, or 'refused' / 'dns' for an unreachable realm",
    default: 503,
    check: either(
      integer(500, 599),
      choice(['refused', 'dns']),
      "a status from 500 to 599, 'refused' or 'dns'",
    ),
  },
};

const reasons: Record<number, string> = {
  500: 'token service failed',
  502: 'bad gateway in front of the token service',
  503: 'token service unavailable',
  504: 'token service timed out',
};

/** The realm an unreachable token service is given in challenges. */
function unreachableRealm(origin: URL, how: 'refused' | 'dns'): string {
  if (how === 'dns') return `${origin.protocol}//${unresolvableHost('auth')}/token`;
  // Nothing listens on port 2 on an ordinary host, so the connect is refused at once; port 1 would
  // do too, but fetch() refuses to dial it at all ("bad port"), which is not what a realm does.
  const host = origin.hostname.includes(':') ? `[${origin.hostname}]` : origin.hostname;
  return `${origin.protocol}//${host}:2/token`;
}

/** The token service fails. */
export function authTokenEndpoint(options: AuthTokenEndpointOptions = {}): HttpFault {
  const { status } = resolveOptions<Required<AuthTokenEndpointOptions>>(
    'auth-token-endpoint',
    AUTH_TOKEN_ENDPOINT_OPTIONS,
    options,
  );
  const base = { name: 'auth-token-endpoint', options: { status }, needsAuth: 'token' as const };
  if (typeof status === 'number') {
    return {
      ...base,
      start: () => ({
        wants: (c) => c.get('route') === 'token',
        handle: async function failTokenEndpoint() {
          throw new RegistryError('UNKNOWN', reasons[status] ?? `token service failed with ${status}`, {
            status,
          });
        },
      }),
    };
  }
  return {
    ...base,
    start: ({ auth }) => ({
      wants: (c) => c.get('route') !== 'token',
      handle: async function unreachableTokenEndpoint(c, next) {
        await next();
        const challenge = c.res.headers.get('WWW-Authenticate');
        if (c.res.status !== 401 || challenge === null || !/^Bearer\s/i.test(challenge)) return false;
        const realm = realmOf(c, auth);
        const moved = unreachableRealm(new URL(c.req.url), status);
        setHeaders(c, { 'WWW-Authenticate': challenge.replace(`realm="${realm}"`, `realm="${moved}"`) });
        return true;
      },
    }),
  };
}
