/**
 * The shapes every HTTP fault is made of. A factory (`rateLimit()`, `unknownTag()`, …) checks its
 * options once and returns an `HttpFault`; applying it calls `start()`, whose actions live until
 * the fault is cleared — Hono's middleware-factory pattern with a start step, because some faults
 * keep state for one application (token buckets, issued tokens, a re-pointed tag).
 */
import type { Next } from 'hono';
import type { RegistryContext } from '../context.ts';
import type { Store } from '../storage/types.ts';

/** Where a fault is injected, as the catalogue lists it. */
export type FaultWhere = 'registry auth layer' | 'registry' | 'TLS layer' | 'TCP layer' | 'node' | 'fixtures';

/** The registry's authentication as faults need to know it (mode and challenge parameters). */
export interface AuthInfo {
  mode: 'none' | 'basic' | 'token';
  /** `service` of Bearer challenges; default `pullstorm`. */
  service: string;
  /** Realm of Basic challenges; default `pullstorm`. */
  basicRealm: string;
  /** Token realm URL; undefined means `<request origin>/token`. */
  tokenRealm: string | undefined;
}

/** Scope keys the engine evaluates before a fault sees a request. */
export type ScopeKey = 'repository' | 'route' | 'nodes' | 'clients' | 'probability' | 'maxCount' | 'seed';

/** An HTTP fault as its factory made it. */
export interface HttpFault {
  /** Catalogue name, e.g. `rate-limit`; reported as `fault` in events and request events. */
  readonly name: string;
  /** Options with defaults filled in, as reported in `fault.applied`. */
  readonly options: Readonly<Record<string, unknown>>;
  /** The auth mode the registry must have; checked at apply; default any. */
  readonly needsAuth?: 'token';
  /** Scope keys it honours; default all. Store-changing faults honour `repository` only. */
  readonly scopeKeys?: readonly ScopeKey[];
  /** Starts one application; what it returns acts until the fault is cleared. */
  start(run: HttpFaultRun): HttpFaultActions | Promise<HttpFaultActions>;
}

/** What one application of an HTTP fault gets from the engine. */
export interface HttpFaultRun {
  /** Id of the application, as in `fault.applied`. */
  readonly id: string;
  /** The registry's clock in ms (its `now` option), so tests need no real waits. */
  readonly now: () => number;
  /** The application's seeded PRNG, [0, 1); separate from the probability draws. */
  readonly random: () => number;
  readonly store: Store;
  readonly auth: AuthInfo;
  /** Repositories the scope selects (a compiled glob); every repository when unscoped. */
  readonly repository: (name: string) => boolean;
}

/**
 * Runs for a chosen request, in apply order; calls `next()` to go on towards auth and handlers,
 * or throws a `RegistryError` (it renders itself). Returning `false` says the request was left
 * alone after all (a 401 that carried no Bearer challenge, a body-less response): no hit is
 * recorded and `maxCount` is not used up. Named after its fault, so stack traces say which ran.
 */
export type FaultHandler = (c: RegistryContext, next: Next) => Promise<unknown>;

/** What an applied HTTP fault does; each part optional. */
export interface HttpFaultActions {
  /** The requests it can act on, checked before probability and `maxCount`; default every request. */
  wants?(c: RegistryContext): boolean;
  handle?: FaultHandler;
  /** Undoes what `start()` changed (a re-pointed tag); runs when the fault is cleared. */
  clear?(): Promise<void> | void;
}
