/**
 * Route classification from the raw path. Repository names may contain `/` and even words like
 * `manifests` or `blobs`, so the path is matched with anchored patterns whose reference part
 * cannot contain `/` (the name takes the rest), rather than with router parameters.
 */
import type { Target } from './context.ts';

const patterns: readonly [RegExp, Target['route']][] = [
  [/^\/v2\/(.+)\/manifests\/([^/]+)$/, 'manifest'],
  // `uploads` without the trailing slash too; never a digest, so it cannot be a blob path.
  [/^\/v2\/(.+)\/blobs\/uploads\/?()$/, 'upload'],
  [/^\/v2\/(.+)\/blobs\/uploads\/([^/]+)$/, 'upload'],
  [/^\/v2\/(.+)\/blobs\/([^/]+)$/, 'blob'],
  [/^\/v2\/(.+)\/tags\/list$/, 'tags'],
  [/^\/v2\/(.+)\/referrers\/([^/]+)$/, 'referrers'],
];

/** Classifies a request path (no query string) into a route family with its name and reference. */
export function classifyPath(path: string): Target {
  if (path === '/v2' || path === '/v2/') return { route: 'base' };
  if (path === '/v2/_catalog') return { route: 'catalog' };
  if (path === '/token') return { route: 'token' };
  for (const [pattern, route] of patterns) {
    const match = pattern.exec(path);
    if (match === null) continue;
    const target: Target = { route, repository: match[1]! };
    if (match[2] !== undefined && match[2] !== '') target.reference = match[2];
    return target;
  }
  return { route: 'unknown' };
}
