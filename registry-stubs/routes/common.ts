/**
 * What every route handler gets and a few header helpers shared by the route families.
 */
import type { AuthRuntime } from '../auth/guard.ts';
import type { RegistryContext } from '../context.ts';
import type { Store } from '../storage/types.ts';
import type { UploadGuard } from './upload-guard.ts';

/** What handlers need besides the request. */
export interface RouteDeps {
  store: Store;
  auth: AuthRuntime;
  /** Upload limits: sessions per client, blob size, expiry. */
  uploads: UploadGuard;
}

/** A handler for one method of one route family. */
export type RouteHandler = (c: RegistryContext, deps: RouteDeps) => Promise<Response> | Response;

/** Handlers of one route family by HTTP method. */
export type MethodTable = Readonly<Partial<Record<string, RouteHandler>>>;

/** The request's repository name (checked before handlers run). */
export function repositoryOf(c: RegistryContext): string {
  return c.get('target').repository ?? '';
}

/** The request's reference (tag, digest or upload id; checked before handlers run). */
export function referenceOf(c: RegistryContext): string {
  return c.get('target').reference ?? '';
}

/** An empty-bodied response with explicit `Content-Length: 0`, as clients expect on 201/202/204. */
export function emptyResponse(status: number, headers: Record<string, string>): Response {
  const init = new Headers(headers);
  if (status !== 204) init.set('Content-Length', '0');
  return new Response(null, { status, headers: init });
}

/** A JSON response with an exact Content-Length (no charset games with clients that hash bodies). */
export function jsonResponse(value: unknown, headers: Record<string, string> = {}, status = 200): Response {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  const init = new Headers(headers);
  if (!init.has('Content-Type')) init.set('Content-Type', 'application/json');
  init.set('Content-Length', String(bytes.byteLength));
  return new Response(bytes, { status, headers: init });
}

/** The canonical URL path of a blob. */
export function blobPath(repository: string, digest: string): string {
  return `/v2/${repository}/blobs/${digest}`;
}

/** The URL path of an upload session. */
export function uploadPath(repository: string, id: string): string {
  return `/v2/${repository}/blobs/uploads/${id}`;
}
