/**
 * Request observation: one `registry.request` event per finished request, emitted when the
 * response body has been handed on completely (or the client went away), so `bytes` counts what
 * was really sent, after any fault layer changed the body.
 *
 * Every request is recorded, credentials or not (a harness needs its 401s), so each record is
 * bounded instead: the path, repository, reference and user are cut to 256 (bounded.ts)
 * characters, which keeps an event under about 1.5 KiB whatever the client sent. What an
 * unauthenticated client can cost is then one bounded record in a feed bounded in bytes (feed.ts).
 */
import { clip } from './bounded.ts';
import type { RegistryMiddleware, RouteKind } from './context.ts';
import { meterStream } from './streams.ts';

/** One finished registry request; the fault engine and the event log consume these. */
export interface RegistryRequestEvent {
  kind: 'registry.request';
  /** ISO time the request arrived. */
  time: string;
  method: string;
  /** Request path without the query (never credentials). */
  path: string;
  route: RouteKind;
  repository?: string;
  /** Manifest tag or digest, blob digest, referrers subject or upload session id. */
  reference?: string;
  status: number;
  /** Body bytes handed to the connection. */
  bytes: number;
  /** Remote address, when the server knows it. */
  client?: string;
  /** Authenticated user name; never a password or token. */
  user?: string;
  /** Endpoint (node) the request came in through, when served through front doors. */
  endpoint?: string;
  /** Names of the faults that touched the request, in apply order. */
  faults?: string[];
  /** From arrival until the body was sent (or abandoned). */
  durationMs: number;
  /** Present (true) when the body was not sent completely: the client disconnected or the stream failed. */
  aborted?: true;
}

const clipped = (text: string | undefined) => (text === undefined ? undefined : clip(text));

/** Receives request events; exceptions it throws are swallowed so observation cannot break serving. */
export type RequestListener = (event: RegistryRequestEvent) => void;

/** Middleware (outermost) that reports every request to `listener`; `now` defaults to `Date.now`. */
export function observeRequests(listener: RequestListener, now: () => number = Date.now): RegistryMiddleware {
  return async function observeRequest(c, next) {
    const started = now();
    await next();
    const res = c.res;
    const emit = (bytes: number, complete: boolean) => {
      const event: RegistryRequestEvent = {
        kind: 'registry.request',
        time: new Date(started).toISOString(),
        method: c.req.method,
        path: clip(c.req.path),
        route: c.get('route') ?? 'unknown',
        status: res.status,
        bytes,
        durationMs: now() - started,
      };
      const optional = {
        repository: clipped(c.get('repository')),
        reference: clipped(c.get('reference')),
        client: c.get('client'),
        user: clipped(c.get('user')),
        endpoint: c.get('endpoint'),
        faults: c.get('faults'),
      };
      for (const [key, value] of Object.entries(optional)) {
        if (value !== undefined) (event as unknown as Record<string, unknown>)[key] = value;
      }
      if (!complete) event.aborted = true;
      try {
        listener(event);
      } catch {
        // An observer's bug must not turn into a failed pull.
      }
    };
    // HEAD bodies are dropped by Hono after this point without being read, so never meter them.
    if (c.req.method === 'HEAD' || res.body === null) {
      emit(0, true);
      return;
    }
    c.res = new Response(meterStream(res.body, emit), res);
  };
}
