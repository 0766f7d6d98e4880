/**
 * `refused`: the endpoint stops listening, so the kernel answers SYNs with RST and clients see
 * ECONNREFUSED — Go `dial tcp <ip>:<port>: connect: connection refused`. Clearing listens again
 * on the same address and port.
 */
import { resolveScope, SCOPE_KEYS, type ScopeOptions } from './scope.ts';
import type { NetFault } from './types.ts';
import { checkChoice, checkKeys, problemsOf, throwIfAny } from './validate.ts';

/** Options of `refused()`. */
export interface RefusedOptions extends Pick<ScopeOptions, 'endpoints'> {
  /** What happens to open connections: `reset` (RST, as when the registry process dies) or `keep`; default `reset`. */
  existing?: 'reset' | 'keep';
}

/** Nothing listens while applied: the address is simply left unbound. */
const nobodyListens = { occupy: async () => async () => {} };

/** The endpoint refuses connections (and by default resets the open ones). */
export function refused(options: RefusedOptions = {}): NetFault {
  const problems = problemsOf('refused');
  checkKeys(problems, options, [...SCOPE_KEYS, 'existing']);
  checkChoice(problems, 'existing', options.existing, ['reset', 'keep']);
  // Listener faults take endpoints only; resolveScope says so if probability/maxCount slip in.
  const scope = resolveScope(problems, options as ScopeOptions, false);
  throwIfAny(problems);
  const existing = options.existing ?? 'reset';
  return {
    name: 'refused',
    options: { existing },
    scope,
    start: () => ({
      listener: nobodyListens,
      ...(existing === 'reset' && {
        existing: function resetOnRefused(conn) {
          conn.reset();
          return true;
        },
      }),
    }),
  };
}
