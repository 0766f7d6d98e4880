/**
 * What the registry puts in Hono's context for every request. Fault layers (the fault engine)
 * are `MiddlewareHandler<RegistryEnv>`s and read these with `c.get(...)`.
 */
import type { Context, MiddlewareHandler } from 'hono';

/** The route family a request belongs to, decided from the path before any handler runs. */
export type RouteKind =
  | 'base'
  | 'manifest'
  | 'blob'
  | 'upload'
  | 'tags'
  | 'catalog'
  | 'referrers'
  | 'token'
  | 'unknown';

/** All route kinds, for tables and exhaustive tests. */
export const routeKinds: readonly RouteKind[] = [
  'base',
  'manifest',
  'blob',
  'upload',
  'tags',
  'catalog',
  'referrers',
  'token',
  'unknown',
];

/** A classified request path; names and references are as written, checked later. */
export interface Target {
  route: RouteKind;
  /** Repository name for per-repository routes. */
  repository?: string;
  /** Manifest tag or digest; blob digest; referrers subject digest; upload session id. */
  reference?: string;
}

/** A push/pull/delete action on a repository. */
export type Action = 'pull' | 'push' | 'delete';

/** Who is asking, as far as the credentials told (checked before the fault layers run). */
export interface Principal {
  /** Authenticated user name; undefined for anonymous requests. */
  user?: string;
  /** What the credentials were: none, a Basic password, or a Bearer token. */
  via: 'anonymous' | 'basic' | 'bearer';
  /** Set when credentials were offered but are not valid. */
  problem?: 'bad_credentials' | 'invalid_token';
  /** Whether this principal may do `action` on `repository`. */
  can(repository: string, action: Action): boolean;
  /** Whether this principal may list the catalog. */
  canCatalog: boolean;
}

/** Typed context variables set for every request. */
export interface RegistryVariables {
  route: RouteKind;
  target: Target;
  repository: string | undefined;
  reference: string | undefined;
  /** Remote address of the client, when the server knows it. */
  client: string | undefined;
  /** Authenticated user name, when there is one. */
  user: string | undefined;
  principal: Principal;
  /** Endpoint (node) name of the front door the request came in through, when there is one. */
  endpoint: string | undefined;
  /** Names of the faults that touched the request (set by the fault engine), for its request event. */
  faults: string[] | undefined;
}

/** The Hono environment of the registry app. */
export type RegistryEnv = { Variables: RegistryVariables };

/** A registry middleware, e.g. a fault layer. */
export type RegistryMiddleware = MiddlewareHandler<RegistryEnv>;

/** A registry context. */
export type RegistryContext = Context<RegistryEnv>;
