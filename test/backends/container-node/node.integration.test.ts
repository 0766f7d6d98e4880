/**
 * containerd nodes as containers, against the real engine and the real stub registry. The stub runs
 * in this process, bound to the Docker bridge's gateway (the host's address on the bridge), so nodes
 * reach it and the traffic never leaves this machine. Texts observed (containerd 1.6.20, Go 1.19.8):
 *
 * - name missing from the node's /etc/hosts, resolv.conf naming the harness's NXDOMAIN responder:
 *   `… failed to do request: Head "http://registry.pullstorm:<port>/v2/pullstorm/tiny/manifests/1.0":
 *   dial tcp: lookup registry.pullstorm on <gateway>:53: no such host` (CRI code Unknown); it shows
 *   up to 5 s after the entry is removed (Go caches /etc/hosts for 5 s).
 * - a node whose hosts.toml `server` is another endpoint, refusing: `… failed to do request: Head
 *   "http://<gateway>:<port>/v2/pullstorm/tiny/manifests/1.0?ns=registry.pullstorm%3A<p>": dial tcp
 *   <gateway>:<port>: connect: connection refused` — containerd adds `?ns=<namespace>` whenever the
 *   host it asks is not the one in the image reference.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildNodeImage,
  cleanupContainerNodes,
  networkGateway,
  startContainerNode,
  startContainerNodes,
} from '../../../harness/backends/container-node/index.ts';
import { formatKubeletPullError, isCriError } from '../../../harness/backends/containerd/cri/errors.ts';
import { cleanupContainers, dockerClient, dockerStatus } from '../../../harness/containers/index.ts';
import { fixtureImages } from '../../../registry-stubs/fixtures/catalogue.ts';
import { type RunningRegistry, startRegistry } from '../../../registry-stubs/index.ts';

const docker = await dockerStatus();
const runId = `test-${crypto.randomUUID().slice(0, 8)}`;
const NAME = 'registry.pullstorm';
const MiB = 1024 * 1024;

async function containerExists(id: string): Promise<boolean> {
  const engine = (await dockerClient()).container.dockerode;
  return engine
    .getContainer(id)
    .inspect()
    .then(
      () => true,
      (error: { statusCode?: number }) => (error.statusCode === 404 ? false : Promise.reject(error)),
    );
}

/** A port on `host` where nothing listens (bound, then closed). */
async function closedPort(host: string): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe.skipIf(!docker.available)(
  `containerd node containers${docker.available ? '' : ` (skipped: ${docker.reason})`}`,
  () => {
    let gateway: string;
    let registry: RunningRegistry;
    let ns: string;
    let tiny: string;
    const nodeOptions = (name: string) => ({
      runId,
      name,
      sandboxImage: tiny,
      registries: [{ host: ns, server: `http://${ns}` }],
      extraHosts: { [NAME]: gateway },
    });

    beforeAll(async () => {
      gateway = await networkGateway();
      registry = await startRegistry({
        host: gateway,
        port: 0,
        images: fixtureImages({ include: ['tiny'] }),
      });
      ns = `${NAME}:${registry.port}`;
      tiny = `${ns}/pullstorm/tiny:1.0`;
    });
    afterAll(async () => {
      await cleanupContainerNodes(runId);
      await registry?.close();
    });

    it('builds the image from scratch without any pull, and reuses it by content hash', async () => {
      const engine = (await dockerClient()).container.dockerode;
      const since = Math.floor(Date.now() / 1000) - 1;
      const first = await buildNodeImage();
      const second = await buildNodeImage();
      const until = Math.floor(Date.now() / 1000) + 1;
      console.info(
        `node image ${first.name}: ${first.built ? 'built' : 'found'} in ${Math.round(first.durationMs)} ms`,
      );
      expect(first.name).toMatch(/^pullstorm\/containerd-node:[0-9a-f]{16}$/);
      expect(second).toMatchObject({ name: first.name, built: false });
      const info = await engine.getImage(first.name).inspect();
      expect(info.RootFS.Layers).toHaveLength(1); // FROM scratch plus one COPY
      expect(info.Config.Entrypoint).toEqual([
        '/usr/bin/containerd',
        '--config',
        '/etc/containerd/config.toml',
      ]);
      expect(info.Config.Labels).toMatchObject({
        pullstorm: 'true',
        'pullstorm.component': 'containerd-node',
      });
      const events = await new Promise<string>((resolve, reject) => {
        engine.getEvents({ since, until, filters: { type: ['image'], event: ['pull'] } }, (error, stream) => {
          if (error || !stream) return reject(error);
          let text = '';
          stream.on('data', (chunk: Buffer) => {
            text += chunk.toString();
          });
          stream.on('end', () => resolve(text));
        });
      });
      expect(events).toBe('');
    });

    it('starts a node that answers CRI Version from the host and pulls from the stub', async () => {
      await using node = await startContainerNode(nodeOptions('basic'));
      expect(node.version).toMatchObject({ runtimeName: 'containerd', runtimeApiVersion: 'v1' });
      expect((await stat(node.socket)).isSocket()).toBe(true);
      expect(node.ipAddress).not.toBe(gateway);
      const { imageRef } = await node.cri.pullImage(tiny);
      expect(imageRef).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect((await node.cri.imageStatus(tiny))?.repoTags).toContain(tiny);
      // The other binaries run in the image too (their libraries are there).
      for (const argv of [
        ['/usr/bin/runc', '--version'],
        ['/usr/bin/containerd-shim-runc-v2', '-v'],
      ]) {
        const result = await node.container.exec(argv);
        expect(result.exitCode, result.output).toBe(0);
      }
      const ctr = await node.container.exec(['/usr/bin/ctr', '-n', 'k8s.io', 'images', 'ls', '-q']);
      expect(ctr.stdout).toContain(tiny);
      // logfmt escapes the quotes around the reference.
      expect(await node.logTail()).toContain(`PullImage \\"${tiny}\\" returns image reference`);
    });

    it('a name removed from /etc/hosts fails the pull with "no such host"', async () => {
      await using node = await startContainerNode(nodeOptions('dns'));
      await node.cri.pullImage(tiny);
      await node.setHostsEntry(NAME, null);
      expect(await readFile(`${node.dir}/hosts`, 'utf8')).not.toContain(NAME);
      // Go re-reads /etc/hosts at most every 5 s, so the first pulls may still succeed.
      let error: unknown;
      for (const deadline = Date.now() + 10_000; Date.now() < deadline && !error; ) {
        error = await node.cri.pullImage(tiny).then(
          () => undefined,
          (e: unknown) => e,
        );
        if (!error) await new Promise((resolve) => setTimeout(resolve, 250));
      }
      expect(isCriError(error, 'Unknown')).toBe(true);
      const url = `http://${ns}/v2/pullstorm/tiny/manifests/1.0`;
      const details = `failed to pull and unpack image "${tiny}": failed to resolve reference "${tiny}": failed to do request: Head "${url}": dial tcp: lookup ${NAME} on ${gateway}:53: no such host`;
      expect(isCriError(error) && error.details).toBe(details);
      // kubelet ≥ 1.28 shows a code-Unknown CRI error bare.
      expect(isCriError(error) && formatKubeletPullError(error)).toBe(details);
      await node.setHostsEntry(NAME, gateway);
      expect(node.hostsEntries()).toEqual({ [NAME]: gateway });
    });

    it('two nodes, two endpoints: one pulls, the other is refused', async () => {
      const refusedPort = await closedPort(gateway);
      const [healthy, faulted] = await Promise.all([
        startContainerNode(nodeOptions('iso-a')),
        startContainerNode({
          ...nodeOptions('iso-b'),
          // Stands in for this node's own front door with a `refused` fault (registry-stubs/faults/net).
          registries: [{ host: ns, server: `http://${gateway}:${refusedPort}` }],
        }),
      ]);
      await using _a = healthy;
      await using _b = faulted;
      await expect(healthy.cri.pullImage(tiny)).resolves.toMatchObject({ imageRef: expect.any(String) });
      const error = await faulted.cri.pullImage(tiny).catch((e: unknown) => e);
      const at = `${gateway}:${refusedPort}`;
      expect(isCriError(error) && error.details).toBe(
        `failed to pull and unpack image "${tiny}": failed to resolve reference "${tiny}": failed to do request: Head "http://${at}/v2/pullstorm/tiny/manifests/1.0?ns=${encodeURIComponent(ns)}": dial tcp ${at}: connect: connection refused`,
      );
    });

    it('stop removes the container and the directory, and leaves no mounts on the host', async () => {
      const node = await startContainerNode(nodeOptions('stop'));
      await node.cri.pullImage(tiny);
      await node.stop();
      await node.stop(); // idempotent
      expect(await containerExists(node.containerId)).toBe(false);
      await expect(stat(node.dir)).rejects.toMatchObject({ code: 'ENOENT' });
      const mounts = await readFile('/proc/self/mountinfo', 'utf8');
      expect(mounts).not.toContain(node.dir);
      expect(mounts).not.toContain(node.containerId);
    });

    it('cleanupContainers(runId) removes a node left running; cleanupContainerNodes also its directory', async () => {
      const leftRun = `${runId}-left`;
      const left = await startContainerNode({ ...nodeOptions('left'), runId: leftRun });
      left.cri.close(); // as if the process that started it had died
      expect(await cleanupContainers(leftRun)).toEqual([left.containerId]);
      expect(await containerExists(left.containerId)).toBe(false);
      await left.stop(); // a gone container is not an error; the directory goes
      await expect(stat(left.dir)).rejects.toMatchObject({ code: 'ENOENT' });

      const again = await startContainerNode({ ...nodeOptions('left2'), runId: leftRun });
      again.cri.close();
      expect(await cleanupContainerNodes(leftRun)).toEqual([again.containerId]);
      await expect(stat(again.dir)).rejects.toMatchObject({ code: 'ENOENT' });
      await again.stop();
    });

    it('a node whose containerd dies at start fails with its log and leaves nothing behind', async () => {
      const failRun = `${runId}-fail`;
      const before = new Set(await readdir(tmpdir()));
      const error = await startContainerNode({
        ...nodeOptions('dies'),
        runId: failRun,
        logLevel: 'bogus' as 'info', // containerd refuses an unknown level and exits
        startTimeoutMs: 10_000,
      }).catch((e: unknown) => e as Error);
      expect(error).toBeInstanceOf(Error);
      console.info(`failed start: ${(error as Error).message.split('\n').slice(0, 3).join(' | ')}`);
      expect((error as Error).message).toContain('containerd log tail:');
      expect(await cleanupContainers(failRun)).toEqual([]);
      const left = (await readdir(tmpdir())).filter(
        (d) => !before.has(d) && d.startsWith(`pullstorm-${failRun}`),
      );
      expect(left).toEqual([]);
    });

    it.each([1, 5])('measures start time and memory of %i node(s)', async (n) => {
      const begun = performance.now();
      const { name: _, ...common } = nodeOptions('');
      await using nodes = await startContainerNodes(n, { ...common, namePrefix: `m${n}` });
      const wallMs = performance.now() - begun;
      await Promise.all(nodes.map((node) => node.cri.pullImage(tiny)));
      const memory = await Promise.all(nodes.map((node) => node.memory()));
      const rows = nodes.map(
        (node, i) =>
          `${node.name}: start ${Math.round(node.startMs)} ms, working set ${(memory[i]!.workingSetBytes / MiB).toFixed(1)} MiB, usage ${(memory[i]!.usageBytes / MiB).toFixed(1)} MiB`,
      );
      console.info(`${n} container node(s) started in ${Math.round(wallMs)} ms (wall)\n${rows.join('\n')}`);
      for (const [i, node] of nodes.entries()) {
        expect(node.startMs).toBeLessThan(30_000);
        expect(memory[i]!.workingSetBytes).toBeGreaterThan(MiB);
        expect(memory[i]!.workingSetBytes).toBeLessThan(512 * MiB);
      }
    });
  },
);
