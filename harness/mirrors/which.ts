/** Looking an executable up on PATH, synchronously (preflight checks run before anything starts). */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Whether `bin` is an executable file in one of `path`'s directories. */
export function onPathSync(bin: string, path = process.env.PATH ?? ''): boolean {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    try {
      accessSync(join(dir, bin), constants.X_OK);
      return true;
    } catch {
      // not in this directory
    }
  }
  return false;
}
