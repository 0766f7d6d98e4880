/**
 * `blackhole`: the endpoint stops answering. Two ways, both real sockets on loopback:
 * - `syn-drop` (default): SYNs are dropped by the kernel (see syn-drop.ts), so the client's
 *   connect never completes — Go `dial tcp <ip>:<port>: i/o timeout` after containerd's 30 s.
 *   Needs no root, iptables or namespace; works on any address the door can bind.
 * - `stall`: TCP is accepted and then nothing is read or answered — the client times out in the
 *   TLS handshake (containerd: 10 s, `net/http: TLS handshake timeout`) or waiting for a response.
 *   Takes `probability` and `maxCount`, since the door sees each connection.
 * Open connections stop receiving response bytes (`existing: 'stall'`), as in a partition.
 */

import { resolveScope, SCOPE_KEYS, type ScopeOptions } from './scope.ts';
import { deadline } from './signals.ts';
import { checkMaxStall, DEFAULT_MAX_STALL_MS, holdNew, stallOpen } from './stall.ts';
import { synDropListener } from './syn-drop.ts';
import type { NetFault } from './types.ts';
import { checkChoice, checkKeys, problemsOf, throwIfAny } from './validate.ts';

/** Options of `blackhole()`. */
export interface BlackholeOptions extends ScopeOptions {
  /** `syn-drop` (connect times out) or `stall` (accepted, never answered); default `syn-drop`. */
  mode?: 'syn-drop' | 'stall';
  /** Open connections: `stall` their responses or `keep` them working; default `stall`. */
  existing?: 'stall' | 'keep';
  /** Safety bound: after this long held connections are dropped and SYN-drop ends (the address then refuses); default 1 h. */
  maxStallMs?: number;
}

/** The endpoint goes silent. */
export function blackhole(options: BlackholeOptions = {}): NetFault {
  const problems = problemsOf('blackhole');
  checkKeys(problems, options, [...SCOPE_KEYS, 'mode', 'existing', 'maxStallMs']);
  checkChoice(problems, 'mode', options.mode, ['syn-drop', 'stall']);
  checkChoice(problems, 'existing', options.existing, ['stall', 'keep']);
  checkMaxStall(problems, options.maxStallMs);
  const mode = options.mode ?? 'syn-drop';
  const scope = resolveScope(problems, options, mode === 'stall');
  throwIfAny(problems);
  const existing = options.existing ?? 'stall';
  const maxStallMs = options.maxStallMs ?? DEFAULT_MAX_STALL_MS;
  return {
    name: 'blackhole',
    options: { mode, existing, maxStallMs },
    scope,
    start(run) {
      const giveUp = deadline(maxStallMs, run.cleared);
      return {
        ...(mode === 'syn-drop'
          ? { listener: synDropListener(maxStallMs) }
          : { connection: holdNew('blackholeStall', run, giveUp) }),
        ...(existing === 'stall' && { existing: (conn) => stallOpen(conn, run, giveUp) }),
      };
    },
  };
}
