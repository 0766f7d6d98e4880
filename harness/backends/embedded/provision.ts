/**
 * The run's provisioning actions, in order, each with its undo: the run's state directory, the
 * sandbox registry, the scenario's registries, the nodes, the cluster. Undone in reverse, so nodes
 * stop before the registries they pull from and the state directory goes last.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunningRegistry } from '../../../registry-stubs/index.ts';
import { type Cluster, createCluster } from '../../cluster/index.ts';
import type { RunEvent } from '../../events/types.ts';
import type { RunClock } from '../../kubelet/run-clock.ts';
import type { Fault, Scenario } from '../../scenario/resolved.ts';
import type { Action } from '../actions.ts';
import { acquireNxdomainResolver } from '../containerd/nxdomain.ts';
import { LOCAL_NAMESERVER } from '../containerd/resolv-conf.ts';
import { pullSecrets, RUN_MARKER, type RunMarker, stateRoot } from '../names.ts';
import { loopbackAddress } from '../virtual/options.ts';
import { type ProvisionedNode, provisionNodes, startSandboxRegistry, stopNodes } from './nodes.ts';
import { closeStubs, provisionRegistries, type Stubs } from './registries.ts';

/** A run's identity and plumbing, shared by its actions. */
export interface RunContext {
  runId: string;
  scenario: Scenario;
  outDir: string;
  emit: (event: RunEvent) => void;
  /** The run clock: the stubs' time and the cluster's, and what knows when real work is in flight. */
  clock: RunClock;
}

/** Each node's loopback address (doors and virtual source addresses), by node name. */
export function nodeAddresses(scenario: Scenario): Map<string, string> {
  return new Map(scenario.backend.nodes.map((n, i) => [n.name, loopbackAddress(i)]));
}

/** Creates `<state root>/<8 hex>/` with `run.json`; undo removes it (nodes are gone by then). */
export function stateDirectory(ctx: RunContext): Action<string> {
  return {
    name: 'create the state directory',
    async run() {
      const key = [...crypto.getRandomValues(new Uint8Array(4))].map((b) => b.toString(16).padStart(2, '0'));
      const dir = join(stateRoot(), key.join(''));
      await mkdir(dir, { recursive: true });
      const marker: RunMarker = {
        runId: ctx.runId,
        pid: process.pid,
        startedAt: new Date().toISOString(),
        outDir: ctx.outDir,
      };
      await writeFile(join(dir, RUN_MARKER), `${JSON.stringify(marker, null, 2)}\n`);
      return { value: dir, undo: () => rm(dir, { recursive: true, force: true }) };
    },
  };
}

/** Starts the harness-internal registry serving the sandbox image. */
export function sandboxRegistry(): Action<RunningRegistry> {
  return {
    name: 'start the sandbox registry',
    async run() {
      const registry = await startSandboxRegistry();
      return { value: registry, undo: () => registry.close() };
    },
  };
}

/** Starts the scenario's registries and mirrors. */
export function registries(ctx: RunContext): Action<Stubs> {
  return {
    name: 'provision registries',
    async run() {
      const stubs = await provisionRegistries({
        scenario: ctx.scenario,
        addresses: nodeAddresses(ctx.scenario),
        emit: ctx.emit,
        tlsDir: join(ctx.outDir, 'tls'),
        clock: ctx.clock,
        runId: ctx.runId,
      });
      return { value: stubs, undo: () => closeStubs(stubs) };
    },
  };
}

/**
 * Starts the scenario's nodes. containerd nodes resolve names through a local NXDOMAIN responder
 * (`nameserver`), taken before they start and given back after they stop: this machine's resolver is
 * off the machine, and no lookup of a run may leave it.
 */
export function nodes(ctx: RunContext, stateDir: string, stubs: Stubs, sandbox: RunningRegistry) {
  return {
    name: 'provision nodes',
    async run() {
      const real = ctx.scenario.backend.nodes.some((n) => n.kind !== 'virtual');
      const resolver = real ? await acquireNxdomainResolver(LOCAL_NAMESERVER) : undefined;
      try {
        const started = await provisionNodes({
          scenario: ctx.scenario,
          runId: ctx.runId,
          stateDir,
          stubs,
          sandbox,
          addresses: nodeAddresses(ctx.scenario),
          ...(resolver ? { nameserver: resolver.address } : {}),
        });
        const undo = () => stopNodes(started).finally(() => resolver?.release());
        return { value: started, undo };
      } catch (error) {
        await resolver?.release();
        throw error;
      }
    },
  } satisfies Action<ProvisionedNode[]>;
}

/** Creates the embedded cluster over the nodes, with the scenario's kubelet settings. */
export function cluster(ctx: RunContext, provisioned: ProvisionedNode[]): Action<Cluster> {
  const { backend } = ctx.scenario;
  const k = backend.kubelet;
  return {
    name: 'create the cluster',
    async run() {
      const created = await createCluster({
        runId: ctx.runId,
        nodes: provisioned.map((n) => n.cluster),
        emit: ctx.emit,
        clock: ctx.clock,
        ...(backend.seed === undefined ? {} : { seed: backend.seed }),
        kubernetesVersion: backend.kubernetesVersion,
        registryPullQPS: k.registryPullQPS,
        registryBurst: k.registryBurst,
        serializeImagePulls: k.serializeImagePulls,
        ...(k.maxParallelImagePulls === undefined ? {} : { maxParallelImagePulls: k.maxParallelImagePulls }),
        imageGCHighThresholdPercent: k.imageGCHighThresholdPercent,
        imageGCLowThresholdPercent: k.imageGCLowThresholdPercent,
        imageMinimumGCAgeMs: k.imageMinimumGCAgeMs,
        pullSecrets: pullSecrets(ctx.scenario),
      });
      return { value: created, undo: () => created.stop() };
    },
  };
}

/** Applies a registry fault on every stub its scope names (all when it names none). */
export async function applyRegistryFault(stubs: Stubs, fault: Fault): Promise<() => Promise<void>> {
  const targets = stubs.filter((s) => !fault.scope.registry || s.name === fault.scope.registry);
  const { registry: _, ...scope } = fault.scope;
  const clears = await Promise.all(
    targets.map((s) => s.stub.apply({ id: fault.id, fault: fault.fault, options: fault.options, scope })),
  );
  return async () => {
    await Promise.all(clears.map((clear) => clear()));
  };
}

/** What teardown and `--retain` need to know of a run's parts. */
export interface RunParts {
  stubs: Stubs;
  nodes: ProvisionedNode[];
}

/** containerd's version as its CRI answered (`containerd 1.6.20~ds1`, CRI `v1`), when a real node ran. */
export function nodeVersions(provisioned: ProvisionedNode[]): Record<string, string> {
  const version = provisioned.find((n) => n.containerd)?.containerd?.version;
  if (!version) return {};
  return { containerd: `${version.runtimeName} ${version.runtimeVersion}`, cri: version.runtimeApiVersion };
}
