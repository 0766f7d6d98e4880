/**
 * Response surgery for faults that change what the handlers answered. Hono's `c.res` setter
 * copies the old response's headers onto a new one, which would put the old Content-Length back
 * on a changed body; `replaceResponse` clears it first so the new response is exactly as built.
 */
import type { RegistryContext } from '../context.ts';

/** Makes `res` the response, with exactly its own headers. */
export function replaceResponse(c: RegistryContext, res: Response): void {
  c.res = undefined;
  c.res = res;
}

/** Sets `headers` on the response, rebuilding it when its headers are immutable (a proxied fetch). */
export function setHeaders(c: RegistryContext, headers: Record<string, string>): void {
  try {
    for (const [name, value] of Object.entries(headers)) c.res.headers.set(name, value);
  } catch {
    const merged = new Headers(c.res.headers);
    for (const [name, value] of Object.entries(headers)) merged.set(name, value);
    const { body, status, statusText } = c.res;
    replaceResponse(c, new Response(body, { status, statusText, headers: merged }));
  }
}

/** The response with `body` instead of its own, status and headers kept (plus `headers`). */
export function withBody(
  c: RegistryContext,
  body: ReadableStream<Uint8Array> | null,
  headers: Record<string, string> = {},
): void {
  const merged = new Headers(c.res.headers);
  for (const [name, value] of Object.entries(headers)) merged.set(name, value);
  const { status, statusText } = c.res;
  replaceResponse(c, new Response(body, { status, statusText, headers: merged }));
}

/**
 * The `wants` of the blob-body faults: blob GETs, only of `digests` when given (default every blob).
 * The body itself is checked after `next()` with {@link hasBlobBody}.
 */
export function blobGets(digests: readonly string[] | undefined): (c: RegistryContext) => boolean {
  const only = digests === undefined ? undefined : new Set(digests);
  return (c) =>
    c.get('route') === 'blob' &&
    c.req.method === 'GET' &&
    (only === undefined || only.has(c.get('reference') ?? ''));
}

/** True for GET requests whose response carries a blob body (200, or 206 for a Range). */
export function hasBlobBody(c: RegistryContext): boolean {
  return c.req.method === 'GET' && (c.res.status === 200 || c.res.status === 206) && c.res.body !== null;
}

/** Offset of the first body byte in the whole blob: the Content-Range start of a 206, else 0. */
export function bodyOffset(res: Response): number {
  const match = /^bytes (\d+)-/.exec(res.headers.get('Content-Range') ?? '');
  return match === null ? 0 : Number(match[1]);
}

/** The declared body length, or undefined. */
export function contentLength(res: Response): number | undefined {
  const value = res.headers.get('Content-Length');
  return value === null ? undefined : Number(value);
}
