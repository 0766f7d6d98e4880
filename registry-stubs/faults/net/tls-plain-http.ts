/**
 * `tls-plain-http`: a TLS client is answered in plain HTTP, as by a registry that serves http on
 * the port the client expects https on. The ClientHello reaches the HTTP server as garbage and
 * it answers `HTTP/1.1 400 Bad Request`: Go `http: server gave HTTP response to HTTPS client`,
 * Node/OpenSSL `wrong version number` (ERR_SSL_WRONG_VERSION_NUMBER), curl exit 35.
 */
import { resolveScope, SCOPE_KEYS, type ScopeOptions } from './scope.ts';
import type { NetFault } from './types.ts';
import { checkKeys, problemsOf, throwIfAny } from './validate.ts';

/** Options of `tlsPlainHttp()`: the scope only. */
export type TlsPlainHttpOptions = ScopeOptions;

/** Chosen TLS connections skip TLS and go to the HTTP server as they are. */
export function tlsPlainHttp(options: TlsPlainHttpOptions = {}): NetFault {
  const problems = problemsOf('tls-plain-http');
  checkKeys(problems, options, SCOPE_KEYS);
  const scope = resolveScope(problems, options);
  throwIfAny(problems);
  return {
    name: 'tls-plain-http',
    options: {},
    scope,
    needsTls: true,
    start: () => ({
      connection: async function answerPlainHttp(conn, next) {
        conn.plainHttp = true;
        await next();
      },
    }),
  };
}
