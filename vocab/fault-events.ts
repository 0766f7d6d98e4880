/**
 * The events a registry stub's fault engine emits. They are part of the run's event log
 * (harness/events/types.ts re-exports them), but the stub produces them, so they live below both.
 */

/** A fault was applied or cleared. */
export interface FaultChange {
  kind: 'fault.applied' | 'fault.cleared';
  time: string;
  id: string;
  fault: string;
  options?: Record<string, unknown>;
  scope?: Record<string, unknown>;
}

/**
 * A fault touched one connection (connection faults: one per connection it chose) or one request
 * (HTTP faults: one per request it acted on, with the request's method, path and route).
 */
export interface FaultHit {
  kind: 'fault.hit';
  time: string;
  /** Id of the application (as in `fault.applied`). */
  id: string;
  fault: string;
  /** Endpoint (node) the connection or request came to; absent when it came in without a front door. */
  endpoint?: string;
  /** Client address (`ip:port` for connections, `ip` for requests), when known. */
  client?: string;
  /** The request's method, path (no query) and route family (HTTP faults). */
  method?: string;
  path?: string;
  route?: string;
  repository?: string;
}
