/**
 * The registry stub's entry point: `startRegistry(options)` seeds a store, builds the app and
 * listens; the returned handle is `AsyncDisposable` (`await using registry = await startRegistry()`).
 */

import type { Hono } from 'hono';
import { PullstormError } from '../vocab/errors.ts';
import { createRegistryApp, type RegistryAppOptions } from './app.ts';
import type { RegistryEnv } from './context.ts';
import type { RegistryRequestEvent } from './events.ts';
import { controlApi, controlOnlyApp } from './faults/control.ts';
import { createFaultEngine, type FaultEngine, type FaultEvent } from './faults/engine.ts';
import { createNetFaults } from './faults/net/index.ts';
import { createEventFeed } from './feed.ts';
import { type ResolvedLimits, resolveLimits } from './limits.ts';
import {
  type Endpoint,
  type EndpointOptions,
  type Listener,
  listen,
  listenThroughDoors,
  type TlsOptions,
} from './listen.ts';
import { createStubMetrics, meterUploads, type StubMetrics, withMetrics } from './metrics.ts';
import type { ImageBundle } from './oci/types.ts';
import { createUploadGuard, sweepEvery } from './routes/upload-guard.ts';
import { seed } from './seed.ts';
import { createStore } from './storage/index.ts';
import type { StorageOptions, Store } from './storage/types.ts';
import type { CertificateVariants } from './tls/variants.ts';

export { createRegistryApp, type RegistryAppOptions, socketAddress } from './app.ts';
export type { AccessRule, AuthOptions, AuthUser } from './auth/options.ts';
export { classifyPath } from './classify.ts';
export type * from './context.ts';
export { routeKinds } from './context.ts';
export { type ErrorBody, type ErrorCode, errorStatus, RegistryError } from './errors.ts';
export type { RegistryRequestEvent, RequestListener } from './events.ts';
export type { FaultEngine, FaultEvent, FaultSpec, FaultSummary } from './faults/engine.ts';
export {
  EVENTS_PATH,
  FEED_CAPACITY,
  FEED_MAX_BYTES,
  FEED_PAGE_MAX,
  FEED_WAIT_MAX_MS,
  type FeedEvent,
  type FeedPage,
} from './feed.ts';
export { DEFAULT_LIMITS, type RegistryLimits, type ResolvedLimits, resolveLimits } from './limits.ts';
export {
  type Endpoint,
  type EndpointOptions,
  endpointOf,
  type Listener,
  type ListenOptions,
  listen,
  type TlsOptions,
} from './listen.ts';
export { seed, storedManifest } from './seed.ts';
export { createStore, DiskStore, MemoryStore } from './storage/index.ts';
export type { StorageOptions, Store, StoredManifest } from './storage/types.ts';

/** Options of `startRegistry`; all optional. */
export interface StartRegistryOptions extends Omit<RegistryAppOptions, 'store'> {
  /** Address to bind; default 127.0.0.1. */
  host?: string;
  /** Port; default 0 (ephemeral). */
  port?: number;
  /** HTTPS certificate; default plain HTTP. */
  tls?: TlsOptions | undefined;
  /** Storage; default `{ kind: 'memory' }`. */
  storage?: StorageOptions;
  /** Images seeded before listening; default none. */
  images?: readonly ImageBundle[];
  /**
   * Serve through one front door per endpoint (node), so connection faults apply and HTTP faults
   * can be scoped by node; default none (the registry listens on host:port itself).
   */
  endpoints?: readonly EndpointOptions[];
  /** Receives `fault.applied`, `fault.cleared` and `fault.hit`, HTTP and connection faults alike; default none. */
  onFaultEvent?: (event: FaultEvent) => void;
  /**
   * Token the control API (`/_pullstorm/faults`) and the event feed (`/_pullstorm/events`, every
   * request and fault event of this registry) require, as `X-Pullstorm-Control-Token` or
   * `Authorization: Bearer`; default none (both disabled, 404).
   */
  controlToken?: string;
  /**
   * Certificates the TLS certificate faults serve (`certificateVariants()`); default none. A fault
   * whose variant is missing answers FAULT_NOT_APPLICABLE with `certificatesHint`.
   */
  certificates?: Partial<CertificateVariants>;
  /** How to get missing certificate variants, for that answer; default names `certificateVariants()`. */
  certificatesHint?: string;
  /**
   * Also serve the control API and the event feed on a listener of their own (same TLS as the
   * registry, never behind a front door), so a `refused` or `blackhole` on the registry cannot cut
   * the controller off; needs `controlToken`. Default none (they answer on the registry's port only).
   */
  controlListener?: { host?: string; port?: number };
}

/** A running registry. */
export interface RunningRegistry extends AsyncDisposable {
  /** `http(s)://host:port`. */
  url: string;
  host: string;
  port: number;
  store: Store;
  app: Hono<RegistryEnv>;
  /** Applies and clears faults at run time. */
  faults: FaultEngine;
  /** The front doors, in the order given; empty without `endpoints`. `url` is the first one's. */
  endpoints: Endpoint[];
  /** `http(s)://host:port` of the control listener; undefined without `controlListener`. */
  controlUrl?: string;
  /** Stops the server and drops its connections (idempotent). */
  close(): Promise<void>;
}

/** Seeds, builds and starts a registry; resolves once it is listening. */
export async function startRegistry(options: StartRegistryOptions = {}): Promise<RunningRegistry> {
  const {
    host,
    port,
    tls,
    storage,
    images,
    endpoints,
    onFaultEvent,
    controlToken,
    certificates,
    certificatesHint,
    controlListener,
    ...appOptions
  } = options;
  if (controlListener !== undefined && !controlToken) {
    throw new TypeError('controlListener: serves the control API, which needs controlToken; got no token');
  }
  const limits = resolveLimits(appOptions.limits);
  const now = options.now ?? Date.now;
  const store = createStore(storage, { now, uploadMemoryBytes: limits.uploadMemoryBytes });
  // Prometheus metrics (metrics.ts): GET /metrics on the control listener, else on the registry's port.
  const metrics = createStubMetrics(() => faults.list());
  const uploads = meterUploads(createUploadGuard(store, limits, now), metrics);
  for (const image of images ?? []) await seed(store, image);
  // With a control token, every event also goes to the feed a harness in another process follows.
  const feed = controlToken ? createEventFeed() : undefined;
  const onFault = feed === undefined ? onFaultEvent : tee<FaultEvent>(feed.push, onFaultEvent);
  const onRequest = tee<RegistryRequestEvent>(
    metrics.request,
    feed === undefined ? appOptions.onRequest : tee<RegistryRequestEvent>(feed.push, appOptions.onRequest),
  );
  const net = endpoints === undefined ? undefined : createNetFaults({ onEvent: onFault, now: options.now });
  const faults = createFaultEngine({
    store,
    auth: options.auth,
    now: options.now,
    onEvent: onFault,
    net,
    certificates,
    certificatesHint,
  });
  const control = controlApi(faults, controlToken, feed);
  const app = createRegistryApp({
    ...appOptions,
    store,
    onRequest,
    layers: [faults.layer, ...(appOptions.layers ?? [])],
    control,
    limits,
    uploads,
  });
  const registryFetch = controlListener === undefined ? withMetrics(app.fetch, metrics) : app.fetch;
  if (net !== undefined) {
    const doors = await listenThroughDoors(registryFetch, {
      endpoints: endpoints!,
      tls,
      faults: net,
      limits,
    });
    const first = doors.endpoints[0]!;
    const side = await listenForControl(
      controlListener,
      control,
      first.url,
      tls,
      limits,
      doors.close,
      metrics,
    );
    const stopSweeping = sweepEvery(uploads, limits);
    const close = async () => {
      stopSweeping();
      feed?.close();
      await net.clearAll();
      await Promise.all([doors.close(), side?.close()]);
    };
    return {
      ...first,
      store,
      app,
      faults,
      endpoints: doors.endpoints,
      ...(side !== undefined && { controlUrl: side.url }),
      close,
      [Symbol.asyncDispose]: close,
    };
  }
  const listener = await listen(registryFetch, { host, port, tls, limits });
  const side = await listenForControl(
    controlListener,
    control,
    listener.url,
    tls,
    limits,
    listener.close,
    metrics,
  );
  const stopSweeping = sweepEvery(uploads, limits);
  const close = async () => {
    stopSweeping();
    feed?.close();
    await Promise.all([listener.close(), side?.close()]);
  };
  return {
    url: listener.url,
    host: listener.host,
    port: listener.port,
    store,
    app,
    faults,
    endpoints: [],
    ...(side !== undefined && { controlUrl: side.url }),
    close,
    [Symbol.asyncDispose]: close,
  };
}

/**
 * The control listener could not listen (its port in use, …): told apart from the registry's own
 * listen error, which stays the socket's. `code` is the socket error's (`EADDRINUSE`, …), `cause` it.
 */
export class ControlListenError extends PullstormError {
  override readonly name = 'ControlListenError';
  readonly code: string | undefined;
  constructor(cause: unknown) {
    super(`control listener: ${(cause as Error).message}`, { cause });
    this.code = (cause as { code?: string }).code;
  }
}

/** The control listener when asked for; if it cannot listen, `undo` closes the registry's. */
async function listenForControl(
  where: StartRegistryOptions['controlListener'],
  control: ReturnType<typeof controlApi>,
  registryUrl: string,
  tls: TlsOptions | undefined,
  limits: ResolvedLimits,
  undo: () => Promise<void>,
  metrics: StubMetrics,
): Promise<Listener | undefined> {
  if (where === undefined) return undefined;
  try {
    return await listen(withMetrics(controlOnlyApp(control, registryUrl).fetch, metrics), {
      ...where,
      tls,
      limits,
    });
  } catch (error) {
    await undo();
    throw new ControlListenError(error);
  }
}

/** One listener calling `first`, then `second` when given (the caller's own). */
function tee<T>(first: (event: T) => void, second: ((event: T) => void) | undefined): (event: T) => void {
  return second === undefined
    ? first
    : (event) => {
        first(event);
        second(event);
      };
}
