/**
 * The `kind` backend: real Kubernetes in Docker. Provisioning, in order, each undone at teardown:
 * per-node certs.d directories (and tmpfs containerd roots where the scenario limits disk) → the
 * generated config → `kind create cluster` (its kubeconfig in the run directory, never in
 * ~/.kube/config) → the stub containers on the `kind` network → each node's hosts.toml and CAs →
 * the run namespace, pull secrets and the watched cluster (kubeconfig/cluster.ts). From the moment
 * the stubs run until teardown, each stub's event feed is followed through the mapped port of its
 * control listener and relayed to the event log (remote-stub.ts), and registry faults go to the
 * stubs' control APIs there. A
 * marker lets `pullstorm clean` delete the cluster if this process is killed before its teardown runs.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { dockerStatus } from '../../containers/docker.ts';
import type { Fault, Scenario } from '../../scenario/resolved.ts';
import { ActionStack } from '../actions.ts';
import { clientNodeApi } from '../kubeconfig/api.ts';
import { createKubeCluster } from '../kubeconfig/cluster.ts';
import { loadContext } from '../kubeconfig/context.ts';
import { namespaceManifest } from '../kubeconfig/manifests.ts';
import { LABEL_NODE, runNamespace } from '../kubeconfig/names.ts';
import { createPullSecrets } from '../kubeconfig/pull-secrets.ts';
import {
  type Backend,
  type BackendCandidate,
  type BackendCluster,
  type BackendInfo,
  failProvision,
  type ProvisionContext,
} from '../provider.ts';
import { directAccess, type RemoteStubs, remoteStubs } from '../remote-stub.ts';
import { type KindCli, kindCli } from './cli.ts';
import {
  KIND_NODE_IMAGE,
  kindClusterConfig,
  type NodeMounts,
  planNodes,
  renderKindConfig,
} from './config.ts';
import { prepareContainerdRoot, unmountContainerdRoot } from './disk.ts';
import { applyKindNodeFault, type KindNodeState } from './faults.ts';
import { type NodeRegistryHost, removeNodeCertsD, writeNodeCertsD } from './hosts.ts';
import { clusterName } from './names.ts';
import { waitNodesReady } from './ready.ts';
import { type KindStub, startKindStubs, stopKindStubs } from './registry.ts';
import { removeMarker, writeMarker } from './state.ts';

/** Options of `kindBackend`. */
export interface KindBackendOptions {
  /** Node image (`--node-image`); default KIND_NODE_IMAGE (pinned by digest). */
  nodeImage?: string;
  /** The kind CLI; default `kindCli()` (the `kind` on PATH, through execa). */
  cli?: KindCli;
  /** `kind create cluster --wait`, and again for every node to be Ready; default 120 s. */
  waitSeconds?: number;
  /**
   * `kind export logs <out>/kind/logs` at every teardown, not only when provisioning fails; default
   * `PULLSTORM_KIND_EXPORT_LOGS=1` in the environment (the CI workflow sets it, so a failed run's
   * artifacts hold the nodes' logs beside its reports).
   */
  exportLogs?: boolean;
}

/** What the kind backend can do. */
export const KIND_INFO: BackendInfo = {
  name: 'kind',
  capabilities: {
    provision: true,
    nodeFaults: true,
    diskFaults: true,
    startsContainers: true,
    perNodeNetwork: false,
    connectionFaults: true,
    verifiesTls: true,
  },
  notes: [
    'per-node network faults: every node reaches the stubs through the one kind Docker network',
    'disk faults need root (a tmpfs is mounted on the host for each node with diskBytes)',
    "connection and TLS faults act on each stub's registry port (serve's front door) for every node at once; the harness steers the stub through its control port, which they never touch",
    'tls-no-ip-san shows only to clients that dial an IP; the nodes dial the stubs by name',
  ],
};

/** Every registry's hosts.toml entry as the nodes see it (mirror stubs listed before their origin). */
export function nodeRegistries(stubs: readonly KindStub[]): NodeRegistryHost[] {
  return stubs
    .filter((s) => s.name === s.registry)
    .map((s) => ({
      registry: s.registry,
      host: s.host,
      server: s.nodeUrl,
      ...(s.caPem ? { caPem: s.caPem } : {}),
      mirrors: stubs
        .filter((m) => m.registry === s.registry && m.name !== s.registry)
        .map((m) => ({ url: m.nodeUrl, ...(m.caPem ? { caPem: m.caPem } : {}) })),
    }));
}

/** Follows every stub's feed into the event log through its control port; problems go to `ctx.log`. */
export function followKindStubs(stubs: readonly KindStub[], ctx: Pick<ProvisionContext, 'emit' | 'log'>) {
  const log = ctx.log ?? (() => undefined);
  return remoteStubs(
    stubs.map((s) => ({
      name: s.name,
      access: directAccess({ url: s.controlUrl, caPem: s.caPem }),
      token: s.controlToken,
    })),
    { emit: ctx.emit, onError: (e) => log(`kind: ${e.message}`), log: (l) => log(`kind: ${l}`) },
  );
}

/** A kind backend; nothing runs until `provision`. */
export function kindBackend(input: KindBackendOptions = {}): Backend {
  const options = { exportLogs: process.env.PULLSTORM_KIND_EXPORT_LOGS === '1', ...input };
  const cli = options.cli ?? kindCli();
  const image = options.nodeImage ?? KIND_NODE_IMAGE;
  const stack = new ActionStack();
  let cluster: BackendCluster | undefined;
  let versions: Record<string, string> = {};
  const nodes: KindNodeState[] = [];
  let registries: NodeRegistryHost[] = [];
  let relay: RemoteStubs | undefined;
  let emit: ProvisionContext['emit'] = () => undefined;
  let emitLog: (line: string) => void = () => undefined;

  async function provision(scenario: Scenario, ctx: ProvisionContext): Promise<BackendCluster> {
    const log = ctx.log ?? (() => undefined);
    emit = ctx.emit;
    emitLog = log;
    const name = clusterName(ctx.runId);
    const runDir = resolve(ctx.outDir, 'kind');
    const plan = planNodes(name, scenario.backend.nodes);
    if (plan.some((p) => p.node?.diskBytes) && process.getuid?.() !== 0) {
      throw new RangeError(
        'backend kind: diskBytes needs root (a size-limited tmpfs is mounted on the host for the node)',
      );
    }
    const kubeconfig = join(runDir, 'kubeconfig');
    // Undone last, and only when every other undo worked: the marker is how `pullstorm clean` finishes a
    // teardown that failed or never ran.
    stack.defer('remove the run marker', () => (stack.failed === 0 ? removeMarker(name) : undefined));
    stack.defer('remove the kubeconfig', () => rm(kubeconfig, { force: true }));
    let provisioned = false;
    try {
      const mounts: Record<string, NodeMounts> = {};
      for (const p of plan) {
        const certsD = join(runDir, p.container, 'certs.d');
        stack.defer(`remove ${p.container}'s certs.d`, () => removeNodeCertsD(certsD));
        await mkdir(certsD, { recursive: true });
        const root = p.node?.diskBytes ? join(runDir, p.container, 'containerd') : undefined;
        nodes.push({ plan: p, certsD, ...(root ? { root } : {}) });
        // Registered before the mount: unmounting is safe when the mount never happened.
        if (root) stack.defer(`unmount ${p.container}'s containerd root`, () => unmountContainerdRoot(root));
        await writeMarker({
          cluster: name,
          runId: ctx.runId,
          pid: process.pid,
          roots: nodes.flatMap((n) => (n.root ? [n.root] : [])),
        });
        if (root)
          log(
            `kind: seeding ${p.container}'s containerd root (${(await prepareContainerdRoot(root, p.node!.diskBytes!, image)).seedBytes} bytes)`,
          );
        mounts[p.container] = { certsD, ...(root ? { containerdRoot: root } : {}) };
      }
      const configPath = join(runDir, 'kind-config.yaml');
      await writeFile(configPath, renderKindConfig(kindClusterConfig(plan, mounts, image)));
      log(`kind: creating cluster ${name} (${plan.length} node${plan.length > 1 ? 's' : ''}, ${image})`);
      // Registered before `kind create`: a create that fails half-way leaves a cluster behind.
      stack.defer('delete the kind cluster', () => cli.deleteCluster(name, kubeconfig));
      if (options.exportLogs)
        stack.defer('export the node logs', () =>
          provisioned ? exportLogs(name, join(runDir, 'logs'), emitLog) : undefined,
        );
      await cli.createCluster({
        name,
        configPath,
        image,
        kubeconfigPath: kubeconfig,
        ...(options.waitSeconds ? { waitSeconds: options.waitSeconds } : {}),
        ...(ctx.signal ? { signal: ctx.signal } : {}),
      });
      const { kc } = loadContext({ kubeconfigPath: kubeconfig });
      const api = clientNodeApi(kc);
      // `--wait` covers the control-plane only; workers still NotReady would leave pods Pending.
      await waitNodesReady(api, plan.length, {
        ...(options.waitSeconds ? { timeoutMs: options.waitSeconds * 1000 } : {}),
        ...(ctx.signal ? { signal: ctx.signal } : {}),
      });
      log(`kind: all ${plan.length} node${plan.length > 1 ? 's' : ''} Ready`);
      const stubs = await startKindStubs(ctx.runId, scenario.registries);
      stack.defer('stop the stubs', () => stopKindStubs(stubs));
      // Registered before the relay, so teardown drains the stubs' last events first; the cluster goes
      // whole with `kind delete`, stopping ours only ends the watches first.
      stack.defer('stop watching the cluster', () => cluster?.stop());
      relay = followKindStubs(stubs, ctx);
      // Before the containers go: the last drain brings the requests of the run's final moments.
      stack.defer('stop following the stubs', quiesce);
      registries = nodeRegistries(stubs);
      for (const n of nodes) await writeNodeCertsD(n.certsD, registries);
      const namespace = runNamespace(ctx.runId);
      await api.createNamespace(namespaceManifest(ctx.runId, namespace));
      await createPullSecrets(
        api,
        scenario.registries,
        (name) => registries.find((h) => h.registry === name)!.host,
        {
          runId: ctx.runId,
          namespace,
        },
      );
      versions = { kubernetes: `${await api.version()} (real kubelet)`, 'kind node image': image };
      cluster = await createKubeCluster({
        api,
        runId: ctx.runId,
        namespace,
        nodeLabel: LABEL_NODE,
        emit: ctx.emit,
        log: (line) => log(`kind: ${line}`),
        nodeEvents: true,
      });
      provisioned = true;
      return cluster;
    } catch (error) {
      // Before the cluster goes: its nodes' logs are the only way to see why (kubelet, containerd).
      await exportLogs(name, join(runDir, 'logs'), log);
      return failProvision(error, teardown, ctx.runId);
    }
  }

  /** `kind export logs`, best effort: a failure to export is logged, never thrown. */
  async function exportLogs(name: string, dir: string, log: (line: string) => void): Promise<void> {
    await cli.exportLogs(name, dir).then(
      () => log(`kind: node logs exported to ${dir}`),
      (e: unknown) => log(`kind: could not export node logs: ${(e as Error).message}`),
    );
  }

  /** Stops following the stubs after a last drain, so their final requests reach the log. */
  async function quiesce(): Promise<void> {
    const following = relay;
    await following?.stop();
  }

  /** Undoes every provisioning step in reverse (the stack's order); idempotent. */
  async function teardown(): Promise<void> {
    try {
      await stack.undoAll({
        label: 'kind teardown',
        onStep: (step) => emitLog(`kind: teardown: undo ${step}`),
      });
    } finally {
      relay = undefined;
      cluster = undefined;
    }
  }

  return {
    info: () => KIND_INFO,
    provision,
    quiesce,
    get cluster() {
      return cluster;
    },
    versions: () => versions,
    async applyRegistryFault(fault: Fault) {
      if (relay === undefined)
        throw new RangeError(`fault ${fault.id}: the kind backend has no registry stubs (not provisioned)`);
      return relay.applyFault(fault);
    },
    applyNodeFault: (fault: Fault) => applyKindNodeFault(fault, nodes, registries, emit),
    teardown,
    [Symbol.asyncDispose]: teardown,
  };
}

/** The detection candidate: not applicable without kind on PATH, broken without Docker. */
export function kindCandidate(
  options: KindBackendOptions & { docker?: typeof dockerStatus } = {},
): BackendCandidate {
  const cli = options.cli ?? kindCli();
  return {
    name: 'kind',
    type: 'kind',
    async probe() {
      const version = await cli.version();
      if (version === undefined) {
        return {
          status: 'not-applicable',
          reason: 'kind is not on PATH (install: see .github/workflows/kind.yml or kind.sigs.k8s.io)',
        };
      }
      const docker = await (options.docker ?? dockerStatus)();
      if (!docker.available)
        return { status: 'broken', reason: `${version}, but Docker is not available: ${docker.reason}` };
      return { status: 'ready', detail: version, create: () => kindBackend({ ...options, cli }) };
    },
  };
}
