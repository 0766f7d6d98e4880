/**
 * The embedded backend (`backend.type: containerd`, the default): real containerd nodes run by this
 * process, the scenario's registry stubs in-process with one front door per node, virtual nodes, and
 * the embedded cluster (harness/cluster) with kubelet's image manager rebuilt. Its provisioning is
 * the run's action list (embedded/provision.ts) on a stack of its own, undone in reverse at teardown, so
 * the runner drives it through the same `Backend` verbs as kind and an existing cluster.
 */
import type { RunningRegistry } from '../../../registry-stubs/index.ts';
import { createRunClock } from '../../kubelet/run-clock.ts';
import type { Fault, Scenario } from '../../scenario/resolved.ts';
import { ActionStack } from '../actions.ts';
import {
  type Backend,
  type BackendCluster,
  type BackendInfo,
  failProvision,
  type ProvisionContext,
} from '../provider.ts';
import { applyNodeFault } from './node-faults.ts';
import type { ProvisionedNode } from './nodes.ts';
import * as act from './provision.ts';
import type { Stubs } from './registries.ts';
import { retainedInfo } from './retain.ts';

/** What the embedded backend can do: everything, each node having its own door to every stub. */
export const EMBEDDED_INFO: BackendInfo = {
  name: 'containerd',
  capabilities: {
    provision: true,
    nodeFaults: true,
    diskFaults: true,
    startsContainers: true,
    perNodeNetwork: true,
    connectionFaults: true,
    verifiesTls: true,
  },
  notes: [
    "kubelet is modelled (harness/kubelet, from kubelet's source); containerd, runc and the registry traffic are real",
  ],
};

/** An embedded backend; nothing runs until `provision`. */
export function embeddedBackend(): Backend {
  const stack = new ActionStack();
  let cluster: BackendCluster | undefined;
  let stubs: Stubs = [];
  let nodes: ProvisionedNode[] = [];
  let outDir = '';
  let emit: ProvisionContext['emit'] = () => undefined;
  let log: (line: string) => void = () => undefined;
  let now = Date.now;

  async function provision(scenario: Scenario, ctx: ProvisionContext): Promise<BackendCluster> {
    if (cluster) throw new Error('the embedded backend is already provisioned');
    const signal = ctx.signal ?? new AbortController().signal;
    const clock = ctx.clock ?? createRunClock('real');
    const run = { runId: ctx.runId, scenario, outDir: ctx.outDir, emit: ctx.emit, clock };
    ({ outDir, emit } = ctx);
    now = () => clock.now();
    log = ctx.log ?? log;
    try {
      const stateDir = await stack.do(act.stateDirectory(run), signal);
      const sandbox: RunningRegistry = await stack.do(act.sandboxRegistry(), signal);
      stubs = await stack.do(act.registries(run), signal);
      nodes = await stack.do(act.nodes(run, stateDir, stubs, sandbox), signal);
      cluster = await stack.do(act.cluster(run, nodes), signal);
      return cluster;
    } catch (error) {
      // Whatever was made goes now: the caller never sees a half-provisioned backend.
      return failProvision(error, teardown, ctx.runId);
    }
  }

  function teardown(): Promise<void> {
    cluster = undefined;
    stubs = [];
    nodes = [];
    return stack.undoAll({ onStep: (name) => log(`teardown: undo ${name}`) });
  }

  return {
    info: () => EMBEDDED_INFO,
    provision,
    get cluster() {
      return cluster;
    },
    applyRegistryFault: (fault: Fault) => act.applyRegistryFault(stubs, fault),
    // Real mirrors log their requests; their last lines belong to the run.
    quiesce: async () => {
      await Promise.all(stubs.map((s) => s.quiesce?.()));
    },
    applyNodeFault: (fault: Fault) => applyNodeFault(fault, { nodes, stubs, emit, now }),
    versions: () => act.nodeVersions(nodes),
    retained: () => retainedInfo(outDir, stubs, nodes),
    teardown,
    [Symbol.asyncDispose]: teardown,
  };
}
