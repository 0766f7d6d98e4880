/**
 * The causes a client should show for each fault of the catalogue — what "detected" means for it.
 * The fault engine owns the authoritative map and passes it to `analyze` as `expectedCauses`; this
 * table is the default so a log can be analysed without the engine loaded. A fault that should
 * produce no error at all (a tag overwrite, added latency) expects no cause: it cannot be
 * "detected" by an error, only by its effect (digest drift, pull latency).
 */
import type { CauseId } from '../classify/index.ts';

/** Expected causes by catalogue fault name; `auth-*` names share one entry (see `defaultExpectedCauses`). */
export const DEFAULT_EXPECTED_CAUSES: Readonly<Record<string, readonly CauseId[]>> = {
  auth: ['unauthorized', 'token-endpoint'],
  'rate-limit': ['rate-limited'],
  'tls-unknown-ca': ['tls-unknown-ca'],
  'tls-expired': ['tls-expired'],
  'tls-wrong-host': ['tls-hostname'],
  'tls-no-ip-san': ['tls-hostname'],
  'tls-plain-http': ['http-to-https'],
  // containerd's 10 s handshake timeout, or the 30 s dial when the stall starts earlier.
  'tls-stall': ['tls-handshake-timeout', 'timeout'],
  refused: ['connection-refused'],
  blackhole: ['timeout'],
  dns: ['dns'],
  // A reset inside a blob body reads as a short body.
  reset: ['connection-reset', 'blob-truncated'],
  'unknown-tag': ['not-found'],
  'missing-blob': ['not-found'],
  'corrupt-blob': ['digest-mismatch'],
  'truncated-blob': ['blob-truncated'],
  'wrong-platform': ['wrong-platform'],
  'exec-format': ['exec-format'],
  'server-error': ['server-error', 'connection-refused'],
  down: ['server-error', 'connection-refused'],
  'disk-full': ['disk-full'],
  'tag-overwrite': [],
  latency: [],
  bandwidth: [],
};

/** The default causes for `fault` (`auth-*` → unauthorized/token-endpoint); unknown names expect none. */
export function defaultExpectedCauses(fault: string): string[] {
  const key = fault.startsWith('auth-') ? 'auth' : fault;
  return [...(DEFAULT_EXPECTED_CAUSES[key] ?? [])];
}
