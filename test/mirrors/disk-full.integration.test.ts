/**
 * A real distribution 2.8 proxy whose cache is a 2 MiB tmpfs (`diskBytes`, mounted by the
 * harness) in front of an origin with 2 MiB layers: a layer never fits. What was seen here
 * (December 2026), and what this test holds it to: distribution streams every blob whole to the
 * client (200) while its store fails with ENOSPC ("Error committing to storage: … no space left
 * on device" in its log), so a node never notices — and the origin serves every request, because
 * nothing is ever cached.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cacheDir } from '../../harness/mirrors/disk.ts';
import { startProcessMirror } from '../../harness/mirrors/start.ts';
import type { RegistryRequestEvent } from '../../registry-stubs/events.ts';
import { fixtureImages } from '../../registry-stubs/fixtures/catalogue.ts';
import { startRegistry } from '../../registry-stubs/index.ts';
import { getBlob, hasDistribution, layersOf } from './helpers.ts';

const isRoot = process.getuid?.() === 0;
const REPO = 'pullstorm/large';

describe.skipIf(!hasDistribution || !isRoot)(
  'distribution with a full disk (diskBytes: a 2 MiB tmpfs)',
  () => {
    it('serves every blob whole (200) while failing to cache it with ENOSPC, so the origin serves each request', async () => {
      const requests: RegistryRequestEvent[] = [];
      await using origin = await startRegistry({
        endpoints: [{ name: 'mirror', host: '127.0.0.1' }],
        images: fixtureImages({ include: ['large'], largeSizeBytes: 8 * 1024 * 1024, largeLayers: 2 }),
        onRequest: (e) => requests.push(e),
      });
      const root = await mkdtemp(join(tmpdir(), 'pullstorm-mirror-test-'));
      const storeErrors: string[] = [];
      const mirror = await startProcessMirror({
        runId: 'mirror-disk-full-test',
        name: 'cache',
        type: 'distribution',
        origin: origin.endpoints[0]!.url,
        root,
        endpoints: [{ name: 'node', host: '127.0.0.1' }],
        diskBytes: 2 * 1024 * 1024,
        onRequest: () => undefined,
        onStoreError: (message) => storeErrors.push(message),
      });
      try {
        const mounts = await readFile('/proc/self/mounts', 'utf8');
        expect(mounts).toContain(`pullstorm-mirror-tmpfs ${cacheDir(mirror.dir)} tmpfs`);
        const url = mirror.endpoints[0]!.url;
        const [layer] = await layersOf(url, REPO, '1.0');
        const originGets = () =>
          requests.filter((r) => r.route === 'blob' && r.method === 'GET' && r.reference === layer).length;
        const sizes: number[] = [];
        for (let i = 0; i < 3; i++) {
          const r = await getBlob(url, REPO, layer!);
          expect(r.status).toBe(200);
          sizes.push(r.bytes);
        }
        expect(new Set(sizes).size).toBe(1);
        expect(sizes[0]).toBeGreaterThan(2 * 1024 * 1024);
        // Nothing was cached: the origin served every one of the three (plus the first store attempt).
        await expect.poll(originGets, { timeout: 5_000 }).toBeGreaterThanOrEqual(3);
        // The harness reads the failure from distribution's log, as the run's `mirror.store-error`.
        await mirror.drain();
        await expect
          .poll(() => storeErrors.join('\n'), { timeout: 5_000 })
          .toMatch(/^Error committing to storage: .*no space left on device/);
      } finally {
        await mirror.close();
      }
      // The tmpfs went with the mirror.
      expect(await readFile('/proc/self/mounts', 'utf8')).not.toContain(cacheDir(mirror.dir));
    });
  },
);
