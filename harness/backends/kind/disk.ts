/**
 * A size-limited containerd root for a kind node. kind's config has no size option and no tmpfs
 * mount (v1alpha4 `Mount` is a bind mount only), so the limit is made on the host: a tmpfs mounted at
 * a host directory, bind-mounted at `/var/lib/containerd` (config.ts). Root only, as any mount.
 *
 * The node image keeps its preloaded images (pause, CNI, CoreDNS…) under `/var/lib/containerd`, and
 * the mount hides them; without them the node would try to pull them from the internet. So the tmpfs
 * is first seeded with the image's own directory (a privileged `cp -a`, keeping the overlay
 * snapshots' xattrs and whiteouts), then shrunk to what the seed uses plus the scenario's
 * `diskBytes`: `diskBytes` is what is left for the scenario's images, as on the embedded backend.
 */
import { open, rm, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { mountTmpfs } from '../containerd/system.ts';
import { CONTAINERD_ROOT } from './config.ts';

/** The ballast file's name in a filled root (same as the embedded backend's). */
export const BALLAST = 'pullstorm-ballast';
/** First size of the tmpfs while seeding; only a cap, tmpfs uses memory as files are written: 8 GiB. */
const SEED_CAP_BYTES = 8 * 1024 ** 3;

/** Bytes used on the filesystem at `dir`. */
async function usedBytes(dir: string): Promise<number> {
  const s = await statfs(dir);
  return (s.blocks - s.bfree) * s.bsize;
}

/** Copies `image`'s containerd root into `dir` (privileged, so xattrs and whiteout devices survive). */
export async function seedFromImage(dir: string, image: string): Promise<void> {
  await execa('docker', [
    'run',
    '--rm',
    '--privileged',
    '--entrypoint',
    'cp',
    '--volume',
    `${dir}:/seed`,
    image,
    '-a',
    `${CONTAINERD_ROOT}/.`,
    '/seed/',
  ]);
}

/**
 * Mounts a tmpfs at `dir`, seeds it (default: `image`'s containerd root) and limits it to the seed
 * plus `diskBytes`. Unmounts again on failure.
 */
export async function prepareContainerdRoot(
  dir: string,
  diskBytes: number,
  image: string,
  seed: (dir: string, image: string) => Promise<void> = seedFromImage,
): Promise<{ seedBytes: number }> {
  await mountTmpfs(dir, SEED_CAP_BYTES);
  try {
    await seed(dir, image);
    const seedBytes = await usedBytes(dir);
    // tmpfs takes a new size on remount as long as it is not below what is in use.
    await execa('mount', ['-o', `remount,size=${seedBytes + diskBytes}`, dir]);
    return { seedBytes };
  } catch (error) {
    await unmountContainerdRoot(dir);
    throw error;
  }
}

/** Unmounts (lazily when busy) and removes the directory; safe when never mounted. */
export async function unmountContainerdRoot(dir: string): Promise<void> {
  const r = await execa('umount', [dir], { reject: false });
  if (r.exitCode !== 0 && /busy/i.test(String(r.stderr)))
    await execa('umount', ['-l', dir], { reject: false });
  await rm(dir, { recursive: true, force: true });
}

/**
 * Fills the root at `dir` with zeros until `freeBytes` are left or `fillPercent` of it is used — the
 * catalogue's disk-full options; neither given means full (freeBytes 0). Resolves with the clear,
 * which deletes the ballast.
 */
export async function fillRoot(
  dir: string,
  options: { fillPercent?: number; freeBytes?: number } = {},
): Promise<() => Promise<void>> {
  const file = join(dir, BALLAST);
  const s = await statfs(dir);
  const capacity = s.blocks * s.bsize;
  const keepFree =
    options.freeBytes ?? (options.fillPercent === undefined ? 0 : capacity * (1 - options.fillPercent / 100));
  let left = Math.max(0, s.bavail * s.bsize - keepFree);
  const chunk = new Uint8Array(1 << 20);
  const handle = await open(file, 'w');
  try {
    while (left > 0) {
      const { bytesWritten } = await handle.write(chunk, 0, Math.min(chunk.length, left));
      left -= bytesWritten;
    }
  } catch (error) {
    // Full before the target: what was asked for, give or take a page.
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    await handle.close();
  }
  return () => rm(file, { force: true });
}
