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
import { rm, statfs } from 'node:fs/promises';
import { execa } from 'execa';
import { mountTmpfs } from '../containerd/system.ts';
import { CONTAINERD_ROOT } from './config.ts';

export { BALLAST, fillRoot } from '../disk-ballast.ts';

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
