/**
 * The disk-full fault at a node: a ballast file that fills a size-limited containerd root (a tmpfs,
 * never the host's disk) to the level the fault asks, and whose removal is the clear. Shared by
 * every backend that can reach a node's root (embedded containerd, kind).
 */
import { open, rm, statfs } from 'node:fs/promises';
import { join } from 'node:path';

/** The ballast file's name in a filled root (same as the embedded backend's). */
export const BALLAST = 'pullstorm-ballast';

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
