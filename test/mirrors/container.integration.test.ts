/**
 * `type: container` with a real image run by Docker: distribution 2.8 built here from Debian's
 * binary (no registry is reachable, so `registry:2` cannot be pulled), its config written by the
 * scenario's `files` with `{{origin}}` — the origin's door on the Docker bridge's gateway. A run
 * through the CLI proves pods pull through it and nothing is left in Docker afterwards; a mirror
 * that never answers /v2/ fails with its log tail.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupContainers, dockerClient, dockerStatus } from '../../harness/containers/index.ts';
import { LABEL_RUN_ID } from '../../harness/containers/labels.ts';
import { networkGateway } from '../../harness/containers/network.ts';
import { startContainerMirror } from '../../harness/mirrors/container.ts';
import { MirrorNotReadyError } from '../../harness/mirrors/process.ts';
import { cleanRuns } from '../../harness/run/clean.ts';
import { containerdStatus } from '../helpers/containerd-status.ts';
import { cli, removeTempDirs, tempDir } from '../run/helpers.ts';
import { DISTRIBUTION_PROXY_CONFIG, distributionImage } from './distribution-image.ts';
import { originBlobGets } from './helpers.ts';

const docker = await dockerStatus();
const containerd = await containerdStatus();
const testRunId = `test-${crypto.randomUUID().slice(0, 8)}`;

afterAll(async () => {
  await removeTempDirs();
  if (docker.available) await cleanupContainers(testRunId);
});

const reason = !docker.available ? docker.reason : !containerd.available ? containerd.reason : '';

/** 4 nodes (1 real, 3 virtual) pull a 2 MiB image through the distribution image as a container mirror. */
async function containerScenario(faults: object[] = []): Promise<string> {
  return JSON.stringify({
    apiVersion: 'pullstorm.dev/v1alpha1',
    kind: 'Scenario',
    name: 'container-mirror',
    backend: {
      nodes: [
        { name: 'real', count: 1 },
        { name: 'edge', count: 3, kind: 'virtual' },
      ],
    },
    registries: [
      {
        name: 'registry',
        fixtures: { include: ['large'], largeSizeBytes: '2Mi', largeLayers: 2 },
        mirrors: [
          {
            name: 'cache',
            type: 'container',
            image: await distributionImage(),
            port: 5000,
            files: { '/etc/docker/registry/config.yml': DISTRIBUTION_PROXY_CONFIG },
          },
        ],
      },
    ],
    workload: [{ kind: 'deployment', name: 'app', image: 'registry/pullstorm/large:1.0', replicas: 4 }],
    faults,
    expectations: [{ type: 'allPodsRunning', within: '1m' }],
    timeout: '2m',
  });
}

describe.skipIf(reason !== '')(`a container mirror${reason ? ` (skipped: ${reason})` : ''}`, () => {
  it('runs the image with {{origin}} filled in, and every pod pulls through it', async () => {
    const dir = await tempDir('container-mirror');
    const file = join(dir, 'container.json');
    await writeFile(file, await containerScenario());
    const out = join(dir, 'out');
    const r = await cli(['run', file, '--out', out], { PULLSTORM_STATE_DIR: join(dir, 'state') });
    expect(r.code, r.stderr + r.stdout).toBe(0);

    const originBlobs = await originBlobGets(out);
    // The container fetched the blobs through its door on the gateway; no node went to the origin.
    expect(originBlobs.filter((e) => e.endpoint === 'cache').length).toBeGreaterThanOrEqual(2);
    expect(originBlobs.filter((e) => e.endpoint !== 'cache')).toEqual([]);

    const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8'));
    expect(report.mirrors[0]).toMatchObject({ name: 'cache', type: 'container' });
    expect(report.mirrors[0].originBlobFetches).toBeGreaterThanOrEqual(2);
    expect(report.mirrors[0].unknown).toContain('hitRatio');
    // Torn down: no container of the run is left.
    expect(report.run.id).toMatch(/^container-mirror-/);
    const engine = (await dockerClient()).container.dockerode;
    const left = await engine.listContainers({
      all: true,
      filters: { label: [`${LABEL_RUN_ID}=${report.run.id}`] },
    });
    expect(left).toEqual([]);
    console.info(
      `container mirror: ${originBlobs.length} origin blob GETs, all through the mirror; amplification ${report.mirrors[0].amplification}`,
    );
  }, 180_000);

  it('takes connection faults per node through its doors: refused on two nodes sends them to the origin', async () => {
    const dir = await tempDir('container-mirror-refused');
    const file = join(dir, 'container.json');
    await writeFile(
      file,
      await containerScenario([
        { fault: 'refused', scope: { registry: 'cache', nodes: ['edge-0', 'edge-1'] } },
      ]),
    );
    const out = join(dir, 'out');
    const r = await cli(['run', file, '--out', out], { PULLSTORM_STATE_DIR: join(dir, 'state') });
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const originBlobs = await originBlobGets(out);
    // The refused nodes fell back to the origin (hosts.toml's server); the others still used the mirror.
    const direct = new Set(originBlobs.filter((e) => e.endpoint !== 'cache').map((e) => e.endpoint));
    expect(direct).toEqual(new Set(['edge-0', 'edge-1']));
    expect(originBlobs.filter((e) => e.endpoint === 'cache').length).toBeGreaterThanOrEqual(2);
  }, 180_000);

  it('is found by its run id and removed by pullstorm clean after a killed run', async () => {
    const killed = `${testRunId}-killed`;
    const upstream = createServer((_, res) => res.writeHead(200).end('{}'));
    const gateway = await networkGateway();
    await new Promise<void>((resolve) => upstream.listen(0, gateway, resolve));
    const mirrorUpstreamForClean = `http://${gateway}:${(upstream.address() as { port: number }).port}`;
    // Started and never closed, as a killed run leaves it.
    const mirror = await startContainerMirror({
      runId: killed,
      name: 'left',
      spec: {
        image: await distributionImage(),
        port: 5000,
        env: {},
        files: { '/etc/docker/registry/config.yml': DISTRIBUTION_PROXY_CONFIG },
      },
      // distribution pings its upstream once at start: something must answer there.
      origin: mirrorUpstreamForClean,
      endpoints: [],
    });
    const id = mirror.container.getId();
    await new Promise((resolve) => upstream.close(resolve));
    const state = await tempDir('container-mirror-clean');
    const previous = process.env.PULLSTORM_STATE_DIR;
    process.env.PULLSTORM_STATE_DIR = join(state, 'state');
    try {
      const report = await cleanRuns({ runId: killed });
      expect(report.containers).toEqual([id]);
    } finally {
      if (previous === undefined) delete process.env.PULLSTORM_STATE_DIR;
      else process.env.PULLSTORM_STATE_DIR = previous;
    }
    const engine = (await dockerClient()).container.dockerode;
    expect(
      await engine.listContainers({ all: true, filters: { label: [`${LABEL_RUN_ID}=${killed}`] } }),
    ).toEqual([]);
  }, 60_000);

  it('fails with the tail of its log when the mirror never answers GET /v2/', async () => {
    const image = await distributionImage();
    const error = await startContainerMirror({
      runId: testRunId,
      name: 'broken',
      // No config file: docker-registry exits at once, saying why.
      spec: { image, port: 5000, env: {}, files: {} },
      origin: 'http://127.0.0.1:1',
      endpoints: [],
      readyTimeoutMs: 20_000,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MirrorNotReadyError);
    expect((error as Error).message).toContain('mirror broken (container pullstorm/test-distribution:');
    expect((error as Error).message).toMatch(/last lines of its log:\n.*config\.yml/s);
    // Nothing of the failed start is left in Docker.
    const engine = (await dockerClient()).container.dockerode;
    expect(
      await engine.listContainers({ all: true, filters: { label: [`${LABEL_RUN_ID}=${testRunId}`] } }),
    ).toEqual([]);
  }, 60_000);
});
