/**
 * From a classified request to its handler: grammar checks on the path (after the fault layers,
 * before auth), then one table lookup by route family and method; 405 with `Allow` for a method a
 * route lacks, 404 with a JSON error for paths that are no route at all.
 */
import type { Context } from 'hono';
import { getToken, postToken } from '../auth/endpoint.ts';
import { clip } from '../bounded.ts';
import type { RegistryContext, RegistryEnv, RegistryMiddleware, Target } from '../context.ts';
import { RegistryError } from '../errors.ts';
import { nameProblem, parseDigest, parseReference } from '../grammar.ts';
import { isUploadId } from '../storage/checks.ts';
import { baseRoutes } from './base.ts';
import { blobRoutes } from './blobs.ts';
import type { MethodTable, RouteDeps } from './common.ts';
import { catalogRoutes, tagsRoutes } from './listing.ts';
import { manifestRoutes } from './manifests.ts';
import { referrersRoutes } from './referrers.ts';
import { uploadSessionRoutes, uploadStartRoutes } from './uploads.ts';

const tokenRoutes: MethodTable = {
  GET: (c, { auth }) => getToken(c, auth),
  POST: (c, { auth }) => postToken(c, auth),
};

/**
 * Throws the spec's error for a malformed name, reference or digest in the path. A manifest read
 * (GET/HEAD, `method` given) by a reference that cannot exist is MANIFEST_UNKNOWN (404), as the
 * distribution-spec conformance suite expects for `.INVALID_MANIFEST_NAME`; a PUT keeps 400.
 */
export function checkTarget(target: Target, method?: string): void {
  if (target.repository !== undefined) {
    const problem = nameProblem(target.repository);
    if (problem !== undefined) {
      throw new RegistryError('NAME_INVALID', problem, { detail: { name: clip(target.repository) } });
    }
  }
  const reference = target.reference;
  if (reference === undefined) return;
  if (target.route === 'manifest') {
    const parsed = parseReference(reference);
    if (typeof parsed === 'string' && (method === 'GET' || method === 'HEAD')) {
      throw new RegistryError('MANIFEST_UNKNOWN', `manifest unknown: ${parsed}`, {
        detail: { reference: clip(reference) },
      });
    }
    if (typeof parsed === 'string') {
      throw new RegistryError(reference.includes(':') ? 'DIGEST_INVALID' : 'TAG_INVALID', parsed, {
        detail: { reference: clip(reference) },
      });
    }
  } else if (target.route === 'blob' || target.route === 'referrers') {
    const parsed = parseDigest(reference);
    if (typeof parsed === 'string')
      throw new RegistryError('DIGEST_INVALID', parsed, { detail: { digest: clip(reference) } });
  } else if (target.route === 'upload' && !isUploadId(reference)) {
    throw new RegistryError('BLOB_UPLOAD_UNKNOWN', `'${clip(reference)}' is not an upload session id`, {
      detail: { id: clip(reference) },
    });
  }
}

/** Middleware running `checkTarget` on the request's target. */
export const validateTarget: RegistryMiddleware = async function validateTarget(c, next) {
  checkTarget(c.get('target'), c.req.method);
  await next();
};

function tableFor(target: Target, deps: RouteDeps): MethodTable | undefined {
  switch (target.route) {
    case 'base':
      return baseRoutes;
    case 'manifest':
      return manifestRoutes;
    case 'blob':
      return blobRoutes;
    case 'upload':
      return target.reference === undefined ? uploadStartRoutes : uploadSessionRoutes;
    case 'tags':
      return tagsRoutes;
    case 'catalog':
      return catalogRoutes;
    case 'referrers':
      return referrersRoutes;
    case 'token':
      return deps.auth.config.mode === 'token' ? tokenRoutes : undefined;
    case 'unknown':
      return undefined;
  }
}

/** The final handler: finds the route's handler for the method and runs it. */
export function dispatch(deps: RouteDeps) {
  return async function dispatchRequest(c: Context<RegistryEnv>): Promise<Response> {
    const target = c.get('target');
    const table = tableFor(target, deps);
    if (table === undefined) {
      const path = clip(c.req.path);
      throw new RegistryError('UNSUPPORTED', `no registry route matches ${clip(c.req.method, 20)} ${path}`, {
        status: 404,
        detail: { method: clip(c.req.method, 20), path },
      });
    }
    const handler = table[c.req.method];
    if (handler === undefined) {
      const allowed = Object.keys(table).join(', ');
      const method = clip(c.req.method, 20);
      throw new RegistryError('UNSUPPORTED', `${method} is not supported here; allowed: ${allowed}`, {
        headers: { Allow: allowed },
        detail: { method, path: clip(c.req.path) },
      });
    }
    return handler(c as RegistryContext, deps);
  };
}
