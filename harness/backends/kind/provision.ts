/**
 * The kind backend's provisioning, phase by phase (backend.ts strings them together): the nodes'
 * host directories and marker → `kind create cluster` and every node Ready → the stubs and their
 * event relay → the nodes' hosts.toml, the run namespace, pull secrets and the watched cluster. Each
 * phase pushes the undo of what it makes on the run's ActionStack, most of them before the step
 * itself (as kind's `create` leaves a cluster when it fails half-way), so teardown is the stack undone
 * in reverse: relay, watches, stubs, node logs, the cluster, the nodes' directories, the marker last.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Scenario } from '../../scenario/resolved.ts';
import type { ActionStack } from '../actions.ts';
import { clientNodeApi, type KubeApi } from '../kubeconfig/api.ts';
import { createKubeCluster } from '../kubeconfig/cluster.ts';
import { loadContext } from '../kubeconfig/context.ts';
import { namespaceManifest } from '../kubeconfig/manifests.ts';
import { LABEL_NODE, runNamespace } from '../kubeconfig/names.ts';
import { createPullSecrets } from '../kubeconfig/pull-secrets.ts';
import type { BackendCluster, ProvisionContext } from '../provider.ts';
import { directAccess, type RemoteStubs, remoteStubs } from '../remote-stub.ts';
import type { KindCli } from './cli.ts';
import { type KindNodePlan, kindClusterConfig, type NodeMounts, renderKindConfig } from './config.ts';
import { prepareContainerdRoot, unmountContainerdRoot } from './disk.ts';
import type { KindNodeState } from './faults.ts';
import { type NodeRegistryHost, removeNodeCertsD, writeNodeCertsD } from './hosts.ts';
import { waitNodesReady } from './ready.ts';
import { type KindStub, startKindStubs, stopKindStubs } from './registry.ts';
import { removeMarker, writeMarker } from './state.ts';

/** What one run's phases share; `relay`, `registries` and `cluster` are set as the phases make them. */
export interface KindRun {
  stack: ActionStack;
  cli: KindCli;
  /** The node image. */
  image: string;
  /** `--wait` and the nodes' Ready wait, in seconds; default kind's and 120 s. */
  waitSeconds: number | undefined;
  name: string;
  runId: string;
  runDir: string;
  kubeconfig: string;
  plan: KindNodePlan[];
  /** The nodes' host directories, for node faults. */
  nodes: KindNodeState[];
  log: (line: string) => void;
  signal: AbortSignal | undefined;
  relay?: RemoteStubs;
  registries: NodeRegistryHost[];
  cluster?: BackendCluster;
}

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

/** `kind export logs`, best effort: a failure to export is logged, never thrown. */
export async function exportNodeLogs(run: KindRun, log: (line: string) => void): Promise<void> {
  const dir = join(run.runDir, 'logs');
  await run.cli.exportLogs(run.name, dir).then(
    () => log(`kind: node logs exported to ${dir}`),
    (e: unknown) => log(`kind: could not export node logs: ${(e as Error).message}`),
  );
}

/** The run's own files first, undone last: the kubeconfig, and the marker `pullstorm clean` reads. */
export function markRun(run: KindRun): void {
  const { stack } = run;
  // Only when every other undo worked: the marker is how `pullstorm clean` finishes a teardown that
  // failed or never ran.
  stack.defer('remove the run marker', () => (stack.failed === 0 ? removeMarker(run.name) : undefined));
  stack.defer('remove the kubeconfig', () => rm(run.kubeconfig, { force: true }));
}

/** Each node's certs.d directory and, where the scenario limits disk, its tmpfs containerd root. */
export async function prepareNodes(run: KindRun): Promise<Record<string, NodeMounts>> {
  const { stack, runDir, nodes, log } = run;
  const mounts: Record<string, NodeMounts> = {};
  for (const p of run.plan) {
    const certsD = join(runDir, p.container, 'certs.d');
    stack.defer(`remove ${p.container}'s certs.d`, () => removeNodeCertsD(certsD));
    await mkdir(certsD, { recursive: true });
    const root = p.node?.diskBytes ? join(runDir, p.container, 'containerd') : undefined;
    nodes.push({ plan: p, certsD, ...(root ? { root } : {}) });
    // Registered before the mount: unmounting is safe when the mount never happened.
    if (root) stack.defer(`unmount ${p.container}'s containerd root`, () => unmountContainerdRoot(root));
    await writeMarker({
      cluster: run.name,
      runId: run.runId,
      pid: process.pid,
      roots: nodes.flatMap((n) => (n.root ? [n.root] : [])),
    });
    if (root)
      log(
        `kind: seeding ${p.container}'s containerd root (${(await prepareContainerdRoot(root, p.node!.diskBytes!, run.image)).seedBytes} bytes)`,
      );
    mounts[p.container] = { certsD, ...(root ? { containerdRoot: root } : {}) };
  }
  return mounts;
}

/**
 * Writes the config and runs `kind create cluster`, then waits for every node to be Ready; `beforeDelete`
 * (the node logs at teardown) is undone just before the cluster is deleted.
 */
export async function createCluster(
  run: KindRun,
  mounts: Record<string, NodeMounts>,
  beforeDelete: (() => Promise<void> | undefined) | undefined,
): Promise<KubeApi> {
  const { name, plan, image, log, waitSeconds, signal } = run;
  const configPath = join(run.runDir, 'kind-config.yaml');
  await writeFile(configPath, renderKindConfig(kindClusterConfig(plan, mounts, image)));
  log(`kind: creating cluster ${name} (${plan.length} node${plan.length > 1 ? 's' : ''}, ${image})`);
  // Registered before `kind create`: a create that fails half-way leaves a cluster behind.
  run.stack.defer('delete the kind cluster', () => run.cli.deleteCluster(name, run.kubeconfig));
  if (beforeDelete) run.stack.defer('export the node logs', beforeDelete);
  await run.cli.createCluster({
    name,
    configPath,
    image,
    kubeconfigPath: run.kubeconfig,
    ...(waitSeconds ? { waitSeconds } : {}),
    ...(signal ? { signal } : {}),
  });
  const { kc } = loadContext({ kubeconfigPath: run.kubeconfig });
  const api = clientNodeApi(kc);
  // `--wait` covers the control-plane only; workers still NotReady would leave pods Pending.
  await waitNodesReady(api, plan.length, {
    ...(waitSeconds ? { timeoutMs: waitSeconds * 1000 } : {}),
    ...(signal ? { signal } : {}),
  });
  log(`kind: all ${plan.length} node${plan.length > 1 ? 's' : ''} Ready`);
  return api;
}

/** Starts the stub containers on the `kind` network and follows their event feeds. */
export async function startStubs(
  run: KindRun,
  scenario: Scenario,
  ctx: ProvisionContext,
): Promise<KindStub[]> {
  const stubs = await startKindStubs(run.runId, scenario.registries);
  run.stack.defer('stop the stubs', () => stopKindStubs(stubs));
  // Registered before the relay, so teardown drains the stubs' last events first; the cluster goes
  // whole with `kind delete`, stopping ours only ends the watches first.
  run.stack.defer('stop watching the cluster', () => run.cluster?.stop());
  const relay = followKindStubs(stubs, ctx);
  run.relay = relay;
  // Before the containers go: the last drain brings the requests of the run's final moments.
  run.stack.defer('stop following the stubs', () => relay.stop());
  return stubs;
}

/** The nodes' hosts.toml and CAs, the run namespace and pull secrets, then the watched cluster. */
export async function watchCluster(
  run: KindRun,
  api: KubeApi,
  scenario: Scenario,
  stubs: KindStub[],
  ctx: ProvisionContext,
): Promise<{ cluster: BackendCluster; versions: Record<string, string> }> {
  const registries = nodeRegistries(stubs);
  run.registries = registries;
  for (const n of run.nodes) await writeNodeCertsD(n.certsD, registries);
  const namespace = runNamespace(run.runId);
  await api.createNamespace(namespaceManifest(run.runId, namespace));
  await createPullSecrets(
    api,
    scenario.registries,
    (name) => registries.find((h) => h.registry === name)!.host,
    {
      runId: run.runId,
      namespace,
    },
  );
  const versions = { kubernetes: `${await api.version()} (real kubelet)`, 'kind node image': run.image };
  run.cluster = await createKubeCluster({
    api,
    runId: run.runId,
    namespace,
    nodeLabel: LABEL_NODE,
    emit: ctx.emit,
    log: (line) => run.log(`kind: ${line}`),
    nodeEvents: true,
  });
  return { cluster: run.cluster, versions };
}
