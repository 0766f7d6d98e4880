/**
 * `tls-stall`: TCP is accepted and the TLS handshake never starts — the server never reads the
 * ClientHello — so the client's handshake times out (containerd: 10 s, Go
 * `net/http: TLS handshake timeout`; Node: the client's own timeout). Only on TLS doors.
 */
import { resolveScope, SCOPE_KEYS, type ScopeOptions } from './scope.ts';
import { deadline } from './signals.ts';
import { checkMaxStall, DEFAULT_MAX_STALL_MS, holdNew } from './stall.ts';
import type { NetFault } from './types.ts';
import { checkKeys, problemsOf, throwIfAny } from './validate.ts';

/** Options of `tlsStall()`. */
export interface TlsStallOptions extends ScopeOptions {
  /** Safety bound: a held connection is dropped after this long; default 1 h. */
  maxStallMs?: number;
}

/** New TLS connections hang before the handshake; held ones go on when cleared. */
export function tlsStall(options: TlsStallOptions = {}): NetFault {
  const problems = problemsOf('tls-stall');
  checkKeys(problems, options, [...SCOPE_KEYS, 'maxStallMs']);
  checkMaxStall(problems, options.maxStallMs);
  const scope = resolveScope(problems, options);
  throwIfAny(problems);
  const maxStallMs = options.maxStallMs ?? DEFAULT_MAX_STALL_MS;
  return {
    name: 'tls-stall',
    options: { maxStallMs },
    scope,
    needsTls: true,
    start: (run) => ({ connection: holdNew('tlsStall', run, deadline(maxStallMs, run.cleared)) }),
  };
}
