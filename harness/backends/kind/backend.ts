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
import { join, resolve } from 'node:path';
import { dockerStatus } from '../../containers/docker.ts';
import type { Fault, Scenario } from '../../scenario/resolved.ts';
import { ActionStack } from '../actions.ts';
import {
  type Backend,
  type BackendCandidate,
  type BackendCluster,
  type BackendInfo,
  failProvision,
  type ProvisionContext,
} from '../provider.ts';
import { type KindCli, kindCli } from './cli.ts';
import { KIND_NODE_IMAGE, planNodes } from './config.ts';
import { applyKindNodeFault } from './faults.ts';
import { clusterName } from './names.ts';
import {
  createCluster,
  exportNodeLogs,
  type KindRun,
  markRun,
  prepareNodes,
  startStubs,
  watchCluster,
} from './provision.ts';

export { followKindStubs, nodeRegistries } from './provision.ts';

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

/** A kind backend; nothing runs until `provision`. */
export function kindBackend(input: KindBackendOptions = {}): Backend {
  const options = { exportLogs: process.env.PULLSTORM_KIND_EXPORT_LOGS === '1', ...input };
  const cli = options.cli ?? kindCli();
  const image = options.nodeImage ?? KIND_NODE_IMAGE;
  const stack = new ActionStack();
  let run: KindRun | undefined;
  let versions: Record<string, string> = {};
  let emit: ProvisionContext['emit'] = () => undefined;

  async function provision(scenario: Scenario, ctx: ProvisionContext): Promise<BackendCluster> {
    emit = ctx.emit;
    run = openRun(scenario, ctx);
    const opened = run;
    markRun(opened);
    let provisioned = false;
    try {
      const mounts = await prepareNodes(opened);
      const atTeardown = options.exportLogs
        ? () => (provisioned ? exportNodeLogs(opened, opened.log) : undefined)
        : undefined;
      const api = await createCluster(opened, mounts, atTeardown);
      const stubs = await startStubs(opened, scenario, ctx);
      const made = await watchCluster(opened, api, scenario, stubs, ctx);
      versions = made.versions;
      provisioned = true;
      return made.cluster;
    } catch (error) {
      // Before the cluster goes: its nodes' logs are the only way to see why (kubelet, containerd).
      await exportNodeLogs(opened, opened.log);
      return failProvision(error, teardown, ctx.runId);
    }
  }

  /** Names the cluster and plans its nodes; refuses disk limits without root before anything is made. */
  function openRun(scenario: Scenario, ctx: ProvisionContext): KindRun {
    const name = clusterName(ctx.runId);
    const runDir = resolve(ctx.outDir, 'kind');
    const plan = planNodes(name, scenario.backend.nodes);
    if (plan.some((p) => p.node?.diskBytes) && process.getuid?.() !== 0) {
      throw new RangeError(
        'backend kind: diskBytes needs root (a size-limited tmpfs is mounted on the host for the node)',
      );
    }
    const log = ctx.log ?? (() => undefined);
    return {
      stack,
      cli,
      image,
      waitSeconds: options.waitSeconds,
      name,
      runId: ctx.runId,
      runDir,
      kubeconfig: join(runDir, 'kubeconfig'),
      plan,
      nodes: [],
      log,
      signal: ctx.signal,
      registries: [],
    };
  }

  /** Stops following the stubs after a last drain, so their final requests reach the log. */
  async function quiesce(): Promise<void> {
    const following = run?.relay;
    await following?.stop();
  }

  /** Undoes every provisioning step in reverse (the stack's order); idempotent. */
  async function teardown(): Promise<void> {
    try {
      await stack.undoAll({
        label: 'kind teardown',
        onStep: (step) => run?.log(`kind: teardown: undo ${step}`),
      });
    } finally {
      if (run) {
        run.relay = undefined;
        run.cluster = undefined;
      }
    }
  }

  return {
    info: () => KIND_INFO,
    provision,
    quiesce,
    get cluster() {
      return run?.cluster;
    },
    versions: () => versions,
    async applyRegistryFault(fault: Fault) {
      const relay = run?.relay;
      if (relay === undefined)
        throw new RangeError(`fault ${fault.id}: the kind backend has no registry stubs (not provisioned)`);
      return relay.applyFault(fault);
    },
    applyNodeFault: (fault: Fault) =>
      applyKindNodeFault(fault, run?.nodes ?? [], run?.registries ?? [], emit),
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
