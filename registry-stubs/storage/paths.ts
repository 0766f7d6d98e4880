/**
 * Path building for the disk store. Every path is built here from checked segments, and the
 * result is checked to lie under the root, so no name, tag or id can reach outside it.
 * Symbolic links planted inside the root by someone else are not defended against.
 */
import { isAbsolute, relative, resolve, sep } from 'node:path';

// One directory or file name: no separators, no leading dot (so never `.` or `..`), no NUL.
const segmentPattern = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;

/** Thrown when a path would leave the store root; `code` is stable for callers that catch it. */
export class PathEscapeError extends RangeError {
  override readonly name = 'PathEscapeError';
  readonly code = 'PATH_ESCAPE';
}

/** The absolute path of `segments` under `root`; throws `PathEscapeError` for any unsafe segment. */
export function inside(root: string, ...segments: string[]): string {
  for (const segment of segments) {
    if (!segmentPattern.test(segment)) {
      throw new PathEscapeError(
        `refusing path segment '${segment}' under store root ${root}: expected ${segmentPattern.source}`,
      );
    }
  }
  const base = resolve(root);
  const path = resolve(base, ...segments);
  const rel = relative(base, path);
  if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) {
    throw new PathEscapeError(`refusing path ${path}: it is not inside store root ${base}`);
  }
  return path;
}

/** Path segments of a repository name (`team/app` → `team`, `app`). */
export function repoSegments(name: string): string[] {
  return name.split('/');
}
