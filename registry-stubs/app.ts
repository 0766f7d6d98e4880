/**
 * The registry as a Hono app: `createRegistryApp(options)` works in-process (`app.request()`) and
 * behind any server. Middleware order: observe → classify (route, names, client, principal) →
 * fault layers → path grammar checks → authorization → one dispatching handler.
 */
import { Hono } from 'hono';
import { authorize, createAuthRuntime, identify } from './auth/guard.ts';
import type { AuthOptions } from './auth/options.ts';
import { classifyPath } from './classify.ts';
import type { RegistryContext, RegistryEnv, RegistryMiddleware } from './context.ts';
import { toRegistryError } from './errors.ts';
import { observeRequests, type RequestListener } from './events.ts';
import { type RegistryLimits, resolveLimits } from './limits.ts';
import { endpointOf } from './listen.ts';
import { dispatch, validateTarget } from './routes/dispatch.ts';
import { createUploadGuard, type UploadGuard } from './routes/upload-guard.ts';
import { MemoryStore } from './storage/memory.ts';
import type { Store } from './storage/types.ts';
import { trackRequests, type WorkTracker } from './work.ts';

/** Options of `createRegistryApp`; everything is optional. */
export interface RegistryAppOptions {
  /** Where content lives; default a new `MemoryStore`. */
  store?: Store;
  /** Authentication; default `{ mode: 'none' }`. */
  auth?: AuthOptions;
  /** Middlewares run after classification and before auth and handlers (the fault engine); default none. */
  layers?: RegistryMiddleware[];
  /** Called once per finished request; default none (and then bodies are not metered at all). */
  onRequest?: RequestListener;
  /** Clock in milliseconds for tokens, rate-limit windows and events; default `Date.now`. */
  now?: () => number;
  /** Told of every request from arrival until its body is sent (the harness's run clock); default none. */
  work?: WorkTracker;
  /** How to find the client's address; default the Node socket's remote address when served by listen.ts. */
  clientAddress?: (c: RegistryContext) => string | undefined;
  /** How to find the endpoint (front door) a request came through; default the door that delivered its socket (listen.ts). */
  endpointName?: (c: RegistryContext) => string | undefined;
  /** Handles `/_pullstorm/*` (the fault control API) before observation, faults and auth; default none. */
  control?: RegistryMiddleware;
  /** Limits and timeouts (limits.ts); the app enforces the upload ones; default `DEFAULT_LIMITS`. */
  limits?: RegistryLimits;
  /** The upload guard to use (startRegistry passes its own, to sweep it on a timer); default a new one. */
  uploads?: UploadGuard;
}

/**
 * Remote address from @hono/node-server's bindings, when present (absent in `app.request()`);
 * IPv4-mapped IPv6 (`::ffff:10.0.0.1`) is unwrapped so per-client faults match either listener.
 */
export function socketAddress(c: RegistryContext): string | undefined {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress?.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');
}

/** Creates the registry app. */
export function createRegistryApp(options: RegistryAppOptions = {}): Hono<RegistryEnv> {
  const now = options.now ?? Date.now;
  const limits = resolveLimits(options.limits);
  const store = options.store ?? new MemoryStore({ now, uploadMemoryBytes: limits.uploadMemoryBytes });
  const uploads = options.uploads ?? createUploadGuard(store, limits, now);
  const auth = createAuthRuntime(options.auth, now);
  const clientAddress = options.clientAddress ?? socketAddress;
  const endpointName = options.endpointName ?? endpointOf;
  const app = new Hono<RegistryEnv>();
  app.onError((err, c) => toRegistryError(err).getResponse(c.req.method === 'HEAD'));
  // Registered first, so control requests are never observed, faulted or authorised as registry ones.
  if (options.control !== undefined) app.all('/_pullstorm/*', options.control);
  if (options.work !== undefined) app.use('*', trackRequests(options.work));
  if (options.onRequest !== undefined) app.use('*', observeRequests(options.onRequest, now));
  app.use('*', async function classifyRequest(c, next) {
    const target = classifyPath(c.req.path);
    c.set('target', target);
    c.set('route', target.route);
    c.set('repository', target.repository);
    c.set('reference', target.reference);
    c.set('client', clientAddress(c));
    c.set('endpoint', endpointName(c));
    const principal = await identify(auth, c.req.header('Authorization'));
    c.set('principal', principal);
    c.set('user', principal.user);
    await next();
    if (target.route === 'token') return;
    try {
      c.res.headers.set('Docker-Distribution-API-Version', 'registry/2.0');
    } catch {
      // A layer may answer with a Response whose headers are immutable (e.g. a proxied fetch).
    }
  });
  for (const layer of options.layers ?? []) app.use('*', layer);
  app.use('*', validateTarget);
  app.use('*', authorize(auth));
  app.all('*', dispatch({ store, auth, uploads }));
  return app;
}
