/**
 * A containerd node as a container: the node image (image.ts) run through testcontainers with its own
 * network namespace, /etc/hosts and resolv.conf, its disk a size-limited tmpfs, and containerd's state
 * directory bind-mounted from the host so the host-side CRI client dials the socket in it (a unix
 * socket works across the mount: same kernel, same inode; the node's netns does not matter).
 *
 * Privileges: containerd mounts overlayfs and runs runc, so the container gets every capability but
 * SYS_RESOURCE and no seccomp filter (`--privileged` fails on some hosts, this one included).
 *
 * Per-node faults: DNS through /etc/hosts (`setHostsEntry`); network faults are not applied inside
 * the node (no tc or iptables in the image) but in front of the registry — the connection fault
 * layer (registry-stubs/faults/net) gives each node its own front door on the gateway address with
 * its own port, and the node's hosts.toml names that door (`registries` or `writeRegistry`).
 */

import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { GenericContainer, type StartedTestContainer, Wait } from 'testcontainers';
import { runLabels } from '../../containers/labels.ts';
import { type CriClient, createCriClient } from '../containerd/cri/client.ts';
import type { VersionResponse } from '../containerd/cri/types.ts';
import type { NodeRegistry } from '../containerd/options.ts';
import { startAll } from '../start-all.ts';
import { acquireNxdomainResolver, type NxdomainResolver } from './dns.ts';
import { NODE_DIR, NODE_PATHS, renderNodeConfig, renderResolvConf, writeContainerRegistry } from './files.ts';
import { hostsEntries } from './hosts-file.ts';
import { NODE_COMPONENT, nodeImage } from './image.ts';
import {
  LABEL_NODE,
  LABEL_NODE_DIR,
  type NodeMemory,
  readLogTail,
  readMemory,
  removeNode,
} from './lifecycle.ts';
import { networkGateway } from './network.ts';
import { type ContainerNodeOptions, resolveContainerNodeOptions } from './options.ts';

export type { ContainerNodeOptions } from './options.ts';

/** A started container node, with the surface of a process node; `stop()` and disposal are idempotent. */
export interface ContainerNode extends AsyncDisposable {
  readonly name: string;
  readonly runId: string;
  readonly containerId: string;
  /** `pullstorm-<runId>-<name>`. */
  readonly containerName: string;
  /** The node image it runs. */
  readonly image: string;
  /** Host directory of the bind-mounted files: config.toml, certs.d/, hosts, resolv.conf, run/. */
  readonly dir: string;
  /** Host path of containerd's CRI socket (inside: /run/containerd/containerd.sock). */
  readonly socket: string;
  /** Host path of the hosts.toml tree (inside: /etc/containerd/certs.d). */
  readonly configPath: string;
  readonly network: string;
  /** The node's address on `network`. */
  readonly ipAddress: string;
  /** The network's gateway: the host address this node reaches the harness at. */
  readonly gateway: string;
  /** Size of the tmpfs that is the node's disk. */
  readonly diskBytes: number;
  readonly snapshotter: 'overlayfs';
  readonly platform: string;
  readonly sandboxImage: string;
  /** What CRI Version answered at start. */
  readonly version: VersionResponse;
  /** Milliseconds from container create to CRI Version answering from the host (image build excluded). */
  readonly startMs: number;
  /** CRI client on {@link socket}; closed by stop. */
  readonly cri: CriClient;
  /** The testcontainers handle, for exec (`ctr`, `runc` are in the image) and network details. */
  readonly container: StartedTestContainer;
  /** Writes (or rewrites) one registry's hosts.toml; containerd reads it on the next pull. */
  writeRegistry(registry: NodeRegistry): Promise<string>;
  /** Maps `name` to `ip` in the node's /etc/hosts, or removes it (null); Go notices within 5 s. */
  setHostsEntry(name: string, ip: string | null): Promise<void>;
  /** The node's /etc/hosts entries now, name → IP. */
  hostsEntries(): Record<string, string>;
  /** The last `lines` lines of containerd's log (default 40). */
  logTail(lines?: number): Promise<string>;
  /** The container's memory now, from the engine's stats. */
  memory(): Promise<NodeMemory>;
  /** Removes the container (containerd and everything it ran die with it) and the host directory. */
  stop(): Promise<void>;
}

/** Starts one container node (building the image first if needed) and waits for CRI Version. */
export async function startContainerNode(options: ContainerNodeOptions): Promise<ContainerNode> {
  const o = resolveContainerNodeOptions(options);
  const [image, gateway] = await Promise.all([nodeImage(), networkGateway(o.network)]);
  const dir = await mkdtemp(join(tmpdir(), `pullstorm-${o.runId}-${o.name}-`));
  const socket = join(dir, NODE_DIR.run, 'containerd.sock');
  const configPath = join(dir, NODE_DIR.certs);
  const containerName = `pullstorm-${o.runId}-${o.name}`;
  let dns: NxdomainResolver | undefined;
  let started: StartedTestContainer | undefined;
  let cri: CriClient | undefined;
  let startLog: ReturnType<typeof firstLines> | undefined;
  const teardown = () => removeNode({ id: started?.getId(), cri, dns, dir });
  try {
    // sun_path is 108 bytes; the host dials the socket by its host path.
    if (new TextEncoder().encode(socket).length > 107) {
      throw new RangeError(`node dir too long for a unix socket path (max ~80 bytes): "${dir}"`);
    }
    await Promise.all([mkdir(join(dir, NODE_DIR.run)), mkdir(configPath)]);
    const hosts = hostsEntries(join(dir, NODE_DIR.hosts), o.extraHosts);
    await hosts.write();
    await writeFile(join(dir, NODE_DIR.config), renderNodeConfig(o.sandboxImage, o.logLevel));
    await Promise.all(o.registries.map((r) => writeContainerRegistry(configPath, r)));
    const mounts: Parameters<GenericContainer['withBindMounts']>[0] = [
      { source: join(dir, NODE_DIR.config), target: NODE_PATHS.config, mode: 'ro' },
      { source: join(dir, NODE_DIR.run), target: NODE_PATHS.state },
      { source: configPath, target: NODE_PATHS.certs },
      // Docker leaves /etc/hosts and /etc/resolv.conf alone when the container mounts its own.
      { source: join(dir, NODE_DIR.hosts), target: '/etc/hosts' },
    ];
    if (o.dns === 'nxdomain') {
      dns = await acquireNxdomainResolver(gateway);
      await writeFile(join(dir, NODE_DIR.resolv), renderResolvConf(gateway));
      mounts.push({ source: join(dir, NODE_DIR.resolv), target: '/etc/resolv.conf', mode: 'ro' });
    }
    // The first lines explain a containerd that dies at start, before there is a container to ask.
    startLog = firstLines(40);
    const container = new GenericContainer(image.name)
      .withName(containerName)
      .withLabels({ ...runLabels(o.runId, NODE_COMPONENT), [LABEL_NODE]: o.name, [LABEL_NODE_DIR]: dir })
      .withNetworkMode(o.network)
      .withAddedCapabilities('ALL')
      .withDroppedCapabilities('SYS_RESOURCE')
      .withSecurityOpt('seccomp=unconfined')
      .withBindMounts(mounts)
      // exec: Docker's tmpfs default is noexec; the shim and pods execute from under both.
      .withTmpFs({ [NODE_PATHS.root]: `rw,exec,size=${o.diskBytes}`, '/tmp': 'rw,exec,size=67108864' })
      .withLogConsumer(startLog.consume)
      .withWaitStrategy(Wait.forLogMessage(/containerd successfully booted/))
      .withStartupTimeout(o.startTimeoutMs);
    const begun = performance.now();
    started = await container.start();
    cri = createCriClient(socket);
    const version = await waitForCri(cri, begun + o.startTimeoutMs);
    const startMs = performance.now() - begun;
    const id = started.getId();
    let stopping: Promise<void> | undefined;
    const stop = () => {
      stopping ??= teardown();
      return stopping;
    };
    const client = cri;
    return {
      name: o.name,
      runId: o.runId,
      containerId: id,
      containerName,
      image: image.name,
      dir,
      socket,
      configPath,
      network: o.network,
      ipAddress: started.getIpAddress(o.network),
      gateway,
      diskBytes: o.diskBytes,
      snapshotter: 'overlayfs',
      platform: o.platform,
      sandboxImage: o.sandboxImage,
      version,
      startMs,
      cri: client,
      container: started,
      writeRegistry: (registry) => writeContainerRegistry(configPath, registry),
      setHostsEntry: (name, ip) => hosts.set(name, ip),
      hostsEntries: () => hosts.entries(),
      logTail: (lines = 40) => readLogTail(id, lines),
      memory: () => readMemory(id),
      stop,
      [Symbol.asyncDispose]: stop,
    };
  } catch (error) {
    const logs = started ? await readLogTail(started.getId(), 20).catch(() => '') : (startLog?.text() ?? '');
    const failure = logs
      ? new Error(`${(error as Error).message}\ncontainerd log tail:\n${logs}`, { cause: error })
      : error;
    await teardown().catch((cleanupError: unknown) => {
      throw new AggregateError(
        [failure, cleanupError],
        `starting container node ${o.name} failed, and so did its cleanup`,
      );
    });
    throw failure;
  }
}

/** A log consumer keeping the first `max` lines of a container's output (then it stops keeping). */
function firstLines(max: number): { consume(stream: Readable): void; text(): string } {
  const lines: string[] = [];
  let partial = '';
  return {
    consume(stream) {
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        if (lines.length >= max) return;
        const parts = (partial + chunk).split('\n');
        partial = parts.pop() ?? '';
        lines.push(...parts.slice(0, max - lines.length));
      });
    },
    text: () => [...lines, partial].filter(Boolean).join('\n'),
  };
}

async function waitForCri(cri: CriClient, deadline: number): Promise<VersionResponse> {
  let last: unknown;
  while (performance.now() < deadline) {
    try {
      return await cri.version({ timeoutMs: 1_000 });
    } catch (error) {
      last = error;
    }
    await sleep(50);
  }
  throw new Error(`containerd's CRI did not answer from the host: ${String(last)}`, { cause: last });
}

/** Options of {@link startContainerNodes}: node options without `name`, plus a name prefix. */
export type StartContainerNodesOptions = Omit<ContainerNodeOptions, 'name'> & {
  /** Nodes are named `<namePrefix>-<i>` from 0. Default `node`. */
  namePrefix?: string;
};

/** Starts `n` container nodes in parallel; if any fails, stops the others and throws. */
export async function startContainerNodes(
  n: number,
  options: StartContainerNodesOptions,
): Promise<ContainerNode[] & AsyncDisposable> {
  const { namePrefix = 'node', ...rest } = options;
  // The image is built once before the nodes race to use it.
  if (Number.isInteger(n) && n >= 1) await nodeImage();
  return startAll(n, (i) => startContainerNode({ ...rest, name: `${namePrefix}-${i}` }), 'container nodes');
}
