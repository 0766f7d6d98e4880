/**
 * `reset`: a chosen connection gets `afterBytes` response bytes and then an RST — mid-blob with
 * the default 1 MiB. Clients see ECONNRESET (`read: connection reset by peer`); containerd, whose
 * copy wanted the full size, `failed to read expected number of bytes: unexpected EOF`.
 */
import { resolveScope, SCOPE_KEYS, type ScopeOptions } from './scope.ts';
import type { NetFault } from './types.ts';
import { checkKeys, checkNumber, problemsOf, throwIfAny } from './validate.ts';

/** Options of `reset()`. */
export interface ResetOptions extends ScopeOptions {
  /**
   * Response bytes a chosen connection still gets before the RST; default 1 MiB. Counted on the
   * connection (HTTP headers included, keep-alive responses added up), before TLS.
   */
  afterBytes?: number;
  /**
   * Longest wait for the client to take the bytes already written before the RST (which drops
   * whatever is still queued in the kernel), ms; default 1000. 0 resets at once.
   */
  drainMs?: number;
}

/** Default `afterBytes`: 1 MiB, past the manifests and into the first layer blob. */
export const DEFAULT_RESET_AFTER_BYTES = 1024 * 1024;

/** Resets chosen connections after `afterBytes` response bytes. */
export function reset(options: ResetOptions = {}): NetFault {
  const problems = problemsOf('reset');
  checkKeys(problems, options, [...SCOPE_KEYS, 'afterBytes', 'drainMs']);
  checkNumber(problems, 'afterBytes', options.afterBytes, { integer: true });
  checkNumber(problems, 'drainMs', options.drainMs, { max: 60_000 });
  const scope = resolveScope(problems, options);
  throwIfAny(problems);
  const afterBytes = options.afterBytes ?? DEFAULT_RESET_AFTER_BYTES;
  const drainMs = options.drainMs ?? 1000;
  return {
    name: 'reset',
    options: { afterBytes, drainMs },
    scope,
    start: () => ({
      connection: async function resetMidBlob(conn, next) {
        if (afterBytes < conn.shaping.resetAfterBytes) {
          conn.shaping.resetAfterBytes = afterBytes;
          conn.shaping.resetDrainMs = drainMs;
        }
        await next();
      },
    }),
  };
}
