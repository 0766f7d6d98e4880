/**
 * Provisioning a scenario's nodes. Real nodes are containerd daemons started in parallel, each with
 * a hosts.toml per scenario registry that sends `<registry>.pullstorm.test:5000` to that node's own
 * door (mirrors first, in file order; the registry's CA when it serves TLS) and a size-limited
 * tmpfs root when the node has `diskBytes`. Virtual nodes get the same hosts and their own source
 * address. The sandbox (pause) image comes from a harness-internal registry no fault touches and is
 * pulled while provisioning, as a real node has its pause image before any pod arrives.
 */
import { mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { fixtureProgram } from '../../../registry-stubs/fixtures/elf.ts';
import { buildImage, buildLayer, manifestBundle } from '../../../registry-stubs/fixtures/image.ts';
import { type RunningRegistry, startRegistry } from '../../../registry-stubs/index.ts';
import type { ImageBundle } from '../../../registry-stubs/oci/types.ts';
import type { ClusterNode } from '../../cluster/index.ts';
import type { ExternalHostSettings } from '../../mirrors/external.ts';
import type { Node, Scenario } from '../../scenario/resolved.ts';
import { fromContainerdNode } from '../containerd/cluster-node.ts';
import { type ContainerdNode, type NodeRegistry, startContainerdNode } from '../containerd/node.ts';
import { hostPlatform } from '../containerd/options.ts';
import { registryHost } from '../names.ts';
import { fromVirtualNode } from '../virtual/cluster-node.ts';
import type { VirtualHostSettings, VirtualHostsConfig } from '../virtual/hosts.ts';
import { createVirtualNode, type VirtualNode } from '../virtual/index.ts';
import type { Stubs } from './registries.ts';

/** The sandbox image's host: outside `pullstorm.test`, so no scenario registry can shadow it. */
export const SANDBOX_HOST = 'sandbox.pullstorm.internal:5000';
/** The sandbox image: the tiny fixture under another name, so it never pre-pulls a pod's image. */
export const SANDBOX_IMAGE = `${SANDBOX_HOST}/pullstorm/pause:3.9`;

/**
 * The sandbox image: the tiny fixture's program with a marker file of its own, so no blob is shared
 * with a fixture. containerd's content store is keyed by digest: a pause image that were the tiny
 * fixture under another name would leave a pod's `pullstorm/tiny` pull nothing to download.
 */
export function sandboxImage(): ImageBundle {
  const layer = buildLayer([
    {
      path: '/pullstorm',
      data: fixtureProgram(hostPlatform() === 'linux/arm64' ? 'aarch64' : 'x86_64'),
      mode: 0o755,
    },
    { path: '/etc/pullstorm-pause', data: 'pullstorm sandbox (pause) image\n' },
  ]);
  const [os, architecture] = hostPlatform().split('/') as [string, string];
  const image = buildImage({ platform: { os, architecture }, layers: [layer], entrypoint: ['/pullstorm'] });
  return manifestBundle('pullstorm/pause', '3.9', image, 'pullstorm sandbox image');
}

/** Starts the harness-internal registry that serves the sandbox image (plain HTTP, loopback). */
export async function startSandboxRegistry(): Promise<RunningRegistry> {
  return startRegistry({ images: [sandboxImage()] });
}

/** A provisioned node: what the cluster schedules on, and the backend handle behind it. */
export interface ProvisionedNode {
  spec: Node;
  cluster: ClusterNode;
  containerd?: ContainerdNode;
  virtual?: VirtualNode;
  /** The virtual node's hosts (read on every pull), for node faults that rewrite them. */
  virtualHosts?: Record<string, VirtualHostsConfig>;
  /** Each scenario registry's hosts.toml as written at start, by registry host. */
  registries: Map<string, NodeRegistry>;
}

/** The hosts.toml of every scenario registry as `node` sees it (containerd paths under `configPath`). */
export function nodeRegistries(stubs: Stubs, node: string, configPath: string): NodeRegistry[] {
  const byRegistry = new Map<string, Stubs>();
  for (const s of stubs) byRegistry.set(s.registry, [...(byRegistry.get(s.registry) ?? []), s]);
  return [...byRegistry].map(([registry, [origin, ...mirrors]]) => {
    const host = registryHost(registry);
    // writeNodeRegistry puts the CA beside the hosts.toml; mirrors share the registry's CA.
    const ca = origin!.caPem ? join(configPath, host, 'ca.pem') : undefined;
    return {
      host,
      server: origin!.door(node).url,
      ...(origin!.caPem ? { caPem: origin!.caPem } : {}),
      // A mirror scoped to some nodes is not in the others' hosts.toml: they pull direct.
      hosts: mirrors
        .filter((m) => !m.nodes || m.nodes.includes(node))
        .map((m) => ({
          url: m.door(node).url,
          capabilities: ['pull', 'resolve'],
          ...(m.hostSettings ? entrySettings(m.hostSettings) : ca ? { ca } : {}),
        })),
    };
  });
}

/** An external mirror's hosts.toml keys (its CA by path). */
function entrySettings(s: ExternalHostSettings) {
  const { ca, ...rest } = s;
  return { ...rest, ...(ca ? { ca: ca.file } : {}) };
}

/** The external mirrors' settings by URL, for virtual nodes (their CA as PEM). */
export function externalSettingsByUrl(stubs: Stubs): Map<string, VirtualHostSettings> {
  const found = new Map<string, VirtualHostSettings>();
  for (const s of stubs) {
    if (!s.hostSettings) continue;
    const { ca, ...rest } = s.hostSettings;
    found.set(s.door('').url, { ...rest, ...(ca ? { caPem: ca.pem } : {}) });
  }
  return found;
}

/** The same configuration for a virtual node (PEM instead of file paths). */
export function virtualHosts(
  registries: NodeRegistry[],
  caOf: (host: string) => string | undefined,
  external: ReadonlyMap<string, VirtualHostSettings> = new Map(),
) {
  const hosts: Record<string, VirtualHostsConfig> = {};
  for (const r of registries) {
    const caPem = caOf(r.host);
    hosts[r.host] = {
      server: r.server!,
      ...(caPem ? { caPem } : {}),
      hosts: (r.hosts ?? []).map((h) => ({
        url: h.url,
        capabilities: h.capabilities ?? ['pull', 'resolve'],
        ...(external.get(h.url) ?? (caPem ? { caPem } : {})),
      })),
    };
  }
  return hosts;
}

/** Options of {@link provisionNodes}. */
export interface ProvisionNodesOptions {
  scenario: Scenario;
  runId: string;
  /** The run's state directory (node directories go under it). */
  stateDir: string;
  stubs: Stubs;
  sandbox: RunningRegistry;
  /** Loopback address of each node, by name. */
  addresses: ReadonlyMap<string, string>;
  /** Name server of the containerd nodes (their own resolv.conf); default the machine's. */
  nameserver?: string;
}

/** Starts every node in parallel; if any fails, stops those that started and throws them all. */
export async function provisionNodes(o: ProvisionNodesOptions): Promise<ProvisionedNode[]> {
  const caOf = (host: string) => o.stubs.find((s) => registryHost(s.registry) === host)?.caPem;
  const settled = await Promise.allSettled(
    o.scenario.backend.nodes.map(async (spec, i): Promise<ProvisionedNode> => {
      if (spec.kind === 'virtual') {
        const registries = nodeRegistries(o.stubs, spec.name, '/nonexistent');
        const hosts = virtualHosts(registries, caOf, externalSettingsByUrl(o.stubs));
        const virtual = createVirtualNode({
          name: spec.name,
          platform: spec.platform,
          hosts,
          clientAddress: o.addresses.get(spec.name)!,
        });
        const records = new Map(registries.map((r) => [r.host, r]));
        return { spec, cluster: fromVirtualNode(virtual), virtual, virtualHosts: hosts, registries: records };
      }
      const dir = await mkdtemp(join(o.stateDir, `${i}-`));
      const registries = nodeRegistries(o.stubs, spec.name, join(dir, 'certs.d'));
      const node = await startContainerdNode({
        name: spec.name.slice(0, 40),
        dir,
        runId: o.runId,
        labels: { 'pullstorm.io/scenario': o.scenario.name, 'pullstorm.io/node': spec.name },
        registries: [...registries, { host: SANDBOX_HOST, server: o.sandbox.url }],
        sandboxImage: SANDBOX_IMAGE,
        ...(spec.diskBytes ? { rootTmpfsBytes: spec.diskBytes } : {}),
        ...(o.nameserver === undefined ? {} : { nameserver: o.nameserver }),
      });
      try {
        await node.cri.pullImage(SANDBOX_IMAGE);
        const base = await fromContainerdNode(node, { runId: o.runId });
        // The scenario's node name, which may be longer than the backend's path-safe one.
        const cluster: ClusterNode = { ...base, name: spec.name };
        return { spec, cluster, containerd: node, registries: new Map(registries.map((r) => [r.host, r])) };
      } catch (error) {
        await node.stop().catch(() => undefined);
        throw error;
      }
    }),
  );
  const nodes = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failures = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason as unknown] : []));
  if (failures.length > 0) {
    await stopNodes(nodes).catch((error: unknown) => failures.push(error));
    const first = failures[0] instanceof Error ? failures[0].message : String(failures[0]);
    throw new AggregateError(failures, `${failures.length} node(s) failed to start: ${first}`);
  }
  return nodes;
}

/** Stops every node (containerd daemons torn down, virtual pullers closed); throws failures together. */
export async function stopNodes(nodes: ProvisionedNode[]): Promise<void> {
  const results = await Promise.allSettled(
    nodes.map((n) => (n.containerd ? n.containerd.stop() : n.virtual?.close())),
  );
  const errors = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
  if (errors.length > 0) throw new AggregateError(errors, `stopping ${errors.length} node(s) failed`);
}
