/**
 * A mirror with a full disk: its cache directory (`<dir>/data`, distribution's storage root) on a
 * tmpfs of a fixed size, so caching a blob larger than what is left fails with ENOSPC inside the
 * mirror, never on the host's disk. Linux and root only, like the containerd nodes' tmpfs roots.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';

/** The tmpfs source name, so `mount` output tells a mirror's cache disk apart. */
const SOURCE = 'pullstorm-mirror-tmpfs';

/** Where the cache of the mirror in `dir` lives (distribution's `rootdirectory`). */
export const cacheDir = (dir: string) => join(dir, 'data');

/** Mounts a tmpfs of `bytes` as the cache of the mirror in `dir`. */
export async function mountCacheDisk(dir: string, bytes: number): Promise<void> {
  const target = cacheDir(dir);
  await mkdir(target, { recursive: true });
  const r = await execa('mount', ['-t', 'tmpfs', '-o', `size=${bytes},mode=0700`, SOURCE, target], {
    reject: false,
  });
  if (r.exitCode !== 0)
    throw new Error(
      `mirror disk: expected to mount a ${bytes}-byte tmpfs at ${target} (needs root), got: ${r.stderr.trim() || `exit ${r.exitCode}`}`,
    );
}

/** Unmounts the cache tmpfs of the mirror in `dir` (lazily if busy); nothing when none is mounted. */
export async function unmountCacheDisk(dir: string): Promise<void> {
  const target = cacheDir(dir);
  const r = await execa('umount', [target], { reject: false });
  if (r.exitCode !== 0) await execa('umount', ['-l', target], { reject: false });
}
