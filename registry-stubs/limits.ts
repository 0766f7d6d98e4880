/**
 * The stub's limits on what one client may make it hold, and its connection timeouts, with their
 * defaults in one place (the `serve --help` text and the README list the same numbers). The
 * timeouts are Node's own defaults, which Node only enforces on a server that listens itself, so
 * listen.ts turns them on for connections handed in through the front doors too.
 */

/** Limits and timeouts of a stub; every field optional, defaults in {@link DEFAULT_LIMITS}. */
export interface RegistryLimits {
  /** A request's headers must arrive within this; default 60 000 ms (Node's `headersTimeout`). */
  headersTimeoutMs?: number;
  /** A whole request (headers and body) must arrive within this; default 300 000 ms (Node's `requestTimeout`). */
  requestTimeoutMs?: number;
  /** A keep-alive connection idle between requests is closed after this; default 5 000 ms (Node's `keepAliveTimeout`). */
  keepAliveTimeoutMs?: number;
  /**
   * A connection with no bytes either way for this long is closed, mid-request too; default 0, off
   * (Node's `timeout`), because the blackhole and stall faults hold connections idle on purpose.
   */
  idleTimeoutMs?: number;
  /** Largest blob an upload may grow to: 413 BLOB_UPLOAD_INVALID past it; default 10 GiB. */
  maxBlobBytes?: number;
  /** Bytes of unfinished uploads the memory store holds at once, over all sessions; default 512 MiB. */
  uploadMemoryBytes?: number;
  /** Upload sessions one client (remote address) may have open; 429 TOOMANYREQUESTS past it; default 100. */
  maxUploadsPerClient?: number;
  /** An upload session with no new chunk for this long is purged, its data too; default 3 600 000 ms (1 h). */
  uploadMaxAgeMs?: number;
}

/** Limits with every default filled in. */
export type ResolvedLimits = Required<RegistryLimits>;

/** The defaults. */
export const DEFAULT_LIMITS: ResolvedLimits = {
  headersTimeoutMs: 60_000,
  requestTimeoutMs: 300_000,
  keepAliveTimeoutMs: 5_000,
  idleTimeoutMs: 0,
  maxBlobBytes: 10 * 1024 ** 3,
  uploadMemoryBytes: 512 * 1024 ** 2,
  maxUploadsPerClient: 100,
  uploadMaxAgeMs: 3_600_000,
};

// Smallest sensible value of each; 0 is allowed only where it means "off".
const minimum: ResolvedLimits = {
  headersTimeoutMs: 1,
  requestTimeoutMs: 0,
  keepAliveTimeoutMs: 0,
  idleTimeoutMs: 0,
  maxBlobBytes: 1,
  uploadMemoryBytes: 1,
  maxUploadsPerClient: 1,
  uploadMaxAgeMs: 1_000,
};

/** Fills in defaults; a RangeError naming every bad field, what was expected and what was given. */
export function resolveLimits(limits: RegistryLimits = {}): ResolvedLimits {
  const problems: string[] = [];
  for (const [key, value] of Object.entries(limits)) {
    if (!Object.hasOwn(DEFAULT_LIMITS, key)) {
      problems.push(`unknown limit '${key}'; expected one of ${Object.keys(DEFAULT_LIMITS).join(', ')}`);
      continue;
    }
    const min = minimum[key as keyof ResolvedLimits];
    if (value !== undefined && !(Number.isSafeInteger(value) && value >= min)) {
      problems.push(`${key}: expected an integer of at least ${min}, got ${String(value).slice(0, 40)}`);
    }
  }
  // Node refuses a headers timeout longer than the request timeout (unless that is off).
  const resolved = { ...DEFAULT_LIMITS, ...definedOnly(limits) };
  if (resolved.requestTimeoutMs !== 0 && resolved.headersTimeoutMs > resolved.requestTimeoutMs) {
    problems.push(
      `headersTimeoutMs: expected at most requestTimeoutMs (${resolved.requestTimeoutMs}), got ${resolved.headersTimeoutMs}`,
    );
  }
  if (problems.length > 0) throw new RangeError(`limits: ${problems.join('; ')}`);
  return resolved;
}

function definedOnly(limits: RegistryLimits): RegistryLimits {
  return Object.fromEntries(Object.entries(limits).filter(([, v]) => v !== undefined));
}

/** Applies the connection timeouts to a Node HTTP server (listening or fed by front doors). */
export function applyTimeouts(
  server: {
    headersTimeout: number;
    requestTimeout: number;
    keepAliveTimeout: number;
    timeout: number;
    connectionsCheckingInterval?: number;
  },
  limits: ResolvedLimits,
): void {
  // Node checks header and request deadlines every 30 s by default; short ones are checked more often.
  const shortest = Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs || Number.POSITIVE_INFINITY);
  server.connectionsCheckingInterval = Math.max(100, Math.min(30_000, Math.floor(shortest / 4)));
  server.headersTimeout = limits.headersTimeoutMs;
  server.requestTimeout = limits.requestTimeoutMs;
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.timeout = limits.idleTimeoutMs;
}
