/**
 * The registry stub's entry point: `startRegistry(options)` seeds a store, builds the app and
 * listens; the returned handle is `AsyncDisposable` (`await using registry = await startRegistry()`).
 */
import type { Hono } from 'hono';
import { createRegistryApp, type RegistryAppOptions } from './app.ts';
import type { RegistryEnv } from './context.ts';
import { listen, type TlsOptions } from './listen.ts';
import type { ImageBundle } from './oci/types.ts';
import { seed } from './seed.ts';
import { createStore } from './storage/index.ts';
import type { StorageOptions, Store } from './storage/types.ts';

export { createRegistryApp, type RegistryAppOptions, socketAddress } from './app.ts';
export type { AccessRule, AuthOptions, AuthUser } from './auth/options.ts';
export { classifyPath } from './classify.ts';
export type * from './context.ts';
export { routeKinds } from './context.ts';
export { type ErrorBody, type ErrorCode, errorStatus, RegistryError } from './errors.ts';
export type { RegistryRequestEvent, RequestListener } from './events.ts';
export { type Listener, type ListenOptions, listen, type TlsOptions } from './listen.ts';
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
}

/** A running registry. */
export interface RunningRegistry extends AsyncDisposable {
  /** `http(s)://host:port`. */
  url: string;
  host: string;
  port: number;
  store: Store;
  app: Hono<RegistryEnv>;
  /** Stops the server and drops its connections (idempotent). */
  close(): Promise<void>;
}

/** Seeds, builds and starts a registry; resolves once it is listening. */
export async function startRegistry(options: StartRegistryOptions = {}): Promise<RunningRegistry> {
  const { host, port, tls, storage, images, ...appOptions } = options;
  const store = createStore(storage);
  for (const image of images ?? []) await seed(store, image);
  const app = createRegistryApp({ ...appOptions, store });
  const listener = await listen(app.fetch, { host, port, tls });
  return {
    url: listener.url,
    host: listener.host,
    port: listener.port,
    store,
    app,
    close: () => listener.close(),
    [Symbol.asyncDispose]: () => listener.close(),
  };
}
