/**
 * disk-full at a real node: the node's containerd root is a 16 MiB tmpfs, and the test fills it
 * with a ballast file the way the runner does (harness/backends/embedded/node-faults.ts), never touching the
 * host's disk. Observed with containerd 1.6.20, all gRPC Unknown (kubelet shows them bare):
 *
 * - root completely full (the catalogue's default, freeBytes 0): the pull fails before any
 *   download, writing containerd's metadata database: `failed to pull and unpack image "<ref>":
 *   write <root>/io.containerd.metadata.v1.bolt/meta.db: no space left on device` — a third
 *   variant beside FACTS.md's download and unpack texts.
 * - 256 KiB left and 512 KiB layers: the download variant, `failed to copy: write
 *   <root>/io.containerd.content.v1.content/ingest/<ref hash>/data: no space left on device`.
 * - 1 MiB left: sometimes the first layer is downloaded and then its unpack fails — `failed to
 *   extract layer sha256:<diff id>: mount callback failed on <root>/tmpmounts/containerd-mount<n>:
 *   write …/layer-0.bin: no space left on device: unknown` — so that size is not asserted.
 * Removing the ballast is enough: the next pull succeeds, with no restart.
 */
import { open, rm, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureImages } from '../../../registry-stubs/fixtures/catalogue.ts';
import { containerdStatus, skipNote } from '../../helpers/containerd-status.ts';
import {
  type Bench,
  escapeRegExp,
  expectClassified,
  MiB,
  pullAndRemove,
  pullFailure,
  startBench,
} from './helpers.ts';

const containerd = await containerdStatus();

let bench: Bench;

beforeAll(async () => {
  bench = await startBench({
    registry: {
      images: fixtureImages({ include: ['tiny', 'large'], largeSizeBytes: 2 * MiB, largeLayers: 4 }),
    },
    nodes: [{ name: 'disk-a', rootTmpfsBytes: 16 * MiB }],
  });
});
afterAll(() => bench?.close());

/** Writes zeros into `root` until `freeBytes` are left; resolves with the file to delete. */
async function ballast(root: string, freeBytes: number): Promise<string> {
  const file = join(root, 'pullstorm-ballast');
  const { bavail, bsize } = await statfs(root);
  let left = bavail * bsize - freeBytes;
  const chunk = new Uint8Array(MiB);
  const handle = await open(file, 'w');
  try {
    while (left > 0) left -= (await handle.write(chunk, 0, Math.min(chunk.length, left))).bytesWritten;
  } catch (error) {
    // Full a few pages early (tmpfs rounds): as full as asked for.
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    await handle.close();
  }
  return file;
}

async function withBallast<T>(root: string, freeBytes: number, body: () => Promise<T>): Promise<T> {
  const file = await ballast(root, freeBytes);
  try {
    const { bavail, bsize } = await statfs(root);
    expect(bavail * bsize).toBeLessThanOrEqual(freeBytes);
    return await body();
  } finally {
    await rm(file, { force: true });
  }
}

describe.skipIf(!containerd.available)(`disk-full at a containerd node${skipNote(containerd)}`, () => {
  it('disk-full (freeBytes 0): the metadata database cannot grow', async () => {
    const a = bench.node('disk-a');
    const ref = a.ref();
    const { code, text } = await withBallast(a.node.root, 0, () => pullFailure(a, ref));
    expect(code).toBe('Unknown');
    // Usually the metadata database; seen in CI too: the ingest's own `ref`/`total` bookkeeping files.
    const root = escapeRegExp(a.node.root);
    expect(text).toMatch(
      new RegExp(
        `^failed to pull and unpack image "${escapeRegExp(ref)}": write ${root}/(io\\.containerd\\.metadata\\.v1\\.bolt/meta\\.db|io\\.containerd\\.content\\.v1\\.content/ingest/[0-9a-f]{64}/(ref|total)): no space left on device$`,
      ),
    );
    expectClassified('disk-full', ref, text);
    await pullAndRemove(a, ref);
  });

  it('disk-full (256 KiB free, 512 KiB layers): the download cannot be written', async () => {
    const a = bench.node('disk-a');
    const ref = a.ref('large');
    const { code, text } = await withBallast(a.node.root, 256 * 1024, () => pullFailure(a, ref));
    expect(code).toBe('Unknown');
    const ingest = `${a.node.root}/io.containerd.content.v1.content/ingest/`;
    expect(text).toMatch(
      new RegExp(
        `^failed to pull and unpack image "${escapeRegExp(ref)}": (failed to copy: )?write ${escapeRegExp(ingest)}[0-9a-f]{64}/(data|ref|total): no space left on device$`,
      ),
    );
    expectClassified('disk-full', ref, text);
    await pullAndRemove(a, ref);
  });
});
