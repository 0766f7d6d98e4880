/**
 * The node's disk is a size-limited tmpfs at /var/lib/containerd; pulling more than fits gives
 * containerd's real `no space left on device`, in one of two forms depending on how far the three
 * concurrent downloads got (both observed with a 24 MiB disk and 32 MiB of layers):
 * - download: `failed to copy: write /var/lib/containerd/io.containerd.content.v1.content/ingest/
 *   <x>/data: no space left on device`
 * - unpack: `failed to extract layer sha256:<d>: mount callback failed on /var/lib/containerd/
 *   tmpmounts/containerd-mount<n>: write …/data/layer-0.bin: no space left on device: unknown`
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cleanupContainerNodes,
  networkGateway,
  startContainerNode,
} from '../../../harness/backends/container-node/index.ts';
import { isCriError } from '../../../harness/backends/containerd/cri/errors.ts';
import { dockerStatus } from '../../../harness/containers/index.ts';
import { fixtureImages } from '../../../registry-stubs/fixtures/catalogue.ts';
import { type RunningRegistry, startRegistry } from '../../../registry-stubs/index.ts';

const docker = await dockerStatus();
const runId = `test-${crypto.randomUUID().slice(0, 8)}`;
const MiB = 1024 * 1024;

describe.skipIf(!docker.available)(
  `container node disk${docker.available ? '' : ` (skipped: ${docker.reason})`}`,
  () => {
    let gateway: string;
    let registry: RunningRegistry;

    beforeAll(async () => {
      gateway = await networkGateway();
      // 32 MiB of incompressible layers: a 24 MiB disk cannot hold them once, let alone unpacked too.
      const images = fixtureImages({ include: ['tiny', 'large'], largeSizeBytes: 32 * MiB });
      registry = await startRegistry({ host: gateway, port: 0, images });
    });
    afterAll(async () => {
      await cleanupContainerNodes(runId);
      await registry?.close();
    });

    it('pulling pullstorm/large onto a 24 MiB disk fails with "no space left on device"', async () => {
      const ns = `registry.pullstorm:${registry.port}`;
      await using node = await startContainerNode({
        runId,
        name: 'full',
        sandboxImage: `${ns}/pullstorm/tiny:1.0`,
        registries: [{ host: ns, server: `http://${ns}` }],
        extraHosts: { 'registry.pullstorm': gateway },
        diskBytes: 24 * MiB,
      });
      // The small image still fits: the disk works until it is full.
      await node.cri.pullImage(`${ns}/pullstorm/tiny:1.0`);
      const ref = `${ns}/pullstorm/large:1.0`;
      const error = await node.cri.pullImage(ref).catch((e: unknown) => e);
      expect(isCriError(error, 'Unknown')).toBe(true);
      const details = isCriError(error) ? error.details : String(error);
      console.info(`disk full (24 MiB tmpfs): ${details}`);
      expect(details).toMatch(
        new RegExp(
          `^failed to pull and unpack image "${ref}": (failed to copy: write /var/lib/containerd/io\\.containerd\\.content\\.v1\\.content/ingest/[0-9a-f]+/data|failed to extract layer sha256:[0-9a-f]{64}): .*no space left on device`,
        ),
      );
      // The disk is the container's own tmpfs: what containerd used stays under its size.
      const [fs] = await node.cri.imageFsInfo();
      expect(Number(fs?.usedBytes?.value ?? 0)).toBeLessThanOrEqual(24 * MiB);
    });
  },
);
