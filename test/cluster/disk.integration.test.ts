/**
 * Node disk through the embedded cluster on real containerd nodes with size-limited tmpfs roots:
 * a pull bigger than the disk fails with `no space left on device` (CRI code Unknown, so kubelet
 * shows it bare), and kubelet's image GC frees an unused image once usage passes the high threshold,
 * after first reporting that nothing was old enough (`FreeDiskSpaceFailed`).
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContainerdNode } from '../../harness/backends/containerd/node.ts';
import type { NodeDisk } from '../../harness/events/types.ts';
import { largeImage } from '../../registry-stubs/fixtures/catalogue.ts';
import type { RunningRegistry } from '../../registry-stubs/index.ts';
import { containerdStatus, skipNote } from '../helpers/containerd-status.ts';
import { clusterOver, disposeAll, hostOf, startFixtureRegistry, startNode } from './helpers.ts';

const containerd = await containerdStatus();

const MiB = 1024 * 1024;
const large = largeImage({ sizeBytes: 20 * MiB, layers: 4 });
const gcImages = ['a', 'b', 'c'].map((n, i) =>
  largeImage({ sizeBytes: 6 * MiB, layers: 1, seed: 10 + i, repository: `pullstorm/gc-${n}` }),
);
let registry: RunningRegistry | undefined;
let host = '';
let full: ContainerdNode | undefined;
let gc: ContainerdNode | undefined;

beforeAll(async () => {
  registry = await startFixtureRegistry([large, ...gcImages]);
  host = hostOf(registry);
  // 16 MiB cannot hold 20 MiB of layers; 40 MiB holds three 6 MiB images (content + snapshot ≈ 36 MiB).
  [full, gc] = await Promise.all([
    startNode(registry, 'disk-full', { rootTmpfsBytes: 16 * MiB }),
    startNode(registry, 'disk-gc', { rootTmpfsBytes: 40 * MiB }),
  ]);
});

afterAll(() => disposeAll(registry, full, gc));

describe.skipIf(!containerd.available)(`node disk${skipNote(containerd)}`, () => {
  it('a pull larger than the tmpfs root fails with "no space left on device"', async () => {
    await using c = await clusterOver([full!]);
    const image = `${host}/pullstorm/large:1.0`;
    c.cluster.createPod({ name: 'big', image });
    await c.cluster.waitFor((pods) => pods.some((p) => p.reason === 'ErrImagePull'), 30_000);
    const failed = c.k8s('big').find(([r, m]) => r === 'Failed' && m.startsWith('Failed to pull image'))!;
    // Unknown is shown bare; download-time or unpack-time depending on how far the layers got.
    expect(failed[1]).toMatch(
      new RegExp(
        `^Failed to pull image "${image}": failed to pull and unpack image "${image}": (failed to copy: .*|write .*|failed to extract layer sha256:.*)no space left on device`,
      ),
    );
    const disk = c.events.filter((e): e is NodeDisk => e.kind === 'node.disk');
    expect(disk.length).toBeGreaterThan(0);
    expect(disk[0]).toMatchObject({ node: 'disk-full', capacityBytes: 16 * MiB });
  });

  it('image GC removes an unused image past the high threshold, keeping images in use', async () => {
    const ref = (n: string) => `${host}/pullstorm/gc-${n}:1.0`;
    for (const n of ['a', 'b', 'c']) await gc!.cri.pullImage(ref(n));
    // GC every 5 min / 100 = 3 s; minimum age 2 min / 100 = 1.2 s.
    await using c = await clusterOver([gc!]);
    c.cluster.createPod({ name: 'keeper', image: ref('c') });
    const nodeEvents = () => c.k8sEvents('disk-gc').filter((e) => e.involvedObject.kind === 'Node');
    await c.cluster.waitFor(() => nodeEvents().length > 0, 10_000);
    // The first run finds usage over 85 % but every image just detected, so too young to remove.
    expect(nodeEvents()[0]).toMatchObject({ reason: 'FreeDiskSpaceFailed', type: 'Warning' });
    expect(nodeEvents()[0]!.message).toMatch(
      /^Failed to garbage collect required amount of images\. Attempted to free \d+ bytes, but only found 0 bytes eligible to free\.$/,
    );
    const tags = async () => (await gc!.cri.listImages()).flatMap((i) => i.repoTags);
    const deadline = Date.now() + 10_000;
    while (
      (await tags()).filter((t) => t === ref('a') || t === ref('b')).length === 2 &&
      Date.now() < deadline
    ) {
      await new Promise((r) => setTimeout(r, 200));
    }
    const left = await tags();
    expect(left.filter((t) => t === ref('a') || t === ref('b'))).toHaveLength(1);
    expect(left).toContain(ref('c')); // used by a container
    expect(left).toContain(`${host}/pullstorm/pause:3.9`); // the sandbox image
    expect(c.cluster.pods()[0]).toMatchObject({ phase: 'Running' });
    // GC reads the disk again after removing: usage is back under the high threshold.
    const disk = () => c.events.filter((e): e is NodeDisk => e.kind === 'node.disk').at(-1)!;
    await c.cluster.waitFor(() => disk().usedBytes / disk().capacityBytes! < 0.85, 5_000);
  });
});
