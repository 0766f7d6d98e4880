/**
 * The embedded cluster: pods scheduled over {@link ClusterNode}s, each node's kubelet played by a
 * {@link NodeAgent} (image manager, disk, GC) and one {@link PodWorker} per pod; everything observable
 * through the events it emits. `stop()` removes what the cluster created on the nodes but never stops
 * the nodes: whoever started them owns them.
 */

import { credentialHash, type PullCredential } from '../kubelet/credentials.ts';
import { seededRandom } from '../kubelet/seeded-random.ts';
import { createDeployments, type DeploymentSpec, type ScaleOptions } from './deployments.ts';
import * as msg from './messages.ts';
import { NodeAgent } from './node-agent.ts';
import { NodePicker } from './node-picker.ts';
import { type ClusterOptions, type ResolvedClusterOptions, resolveClusterOptions } from './options.ts';
import { PodWorker } from './pod-worker.ts';
import { isWorkTracker, trackNode } from './tracked-node.ts';
import type { PodSpec, PodStatus } from './types.ts';
import { waitForPods } from './wait.ts';

/** How long deleting a pod waits for a sync in flight (a pull has no deadline) before removing it anyway. */
const terminateBoundMs = 5_000;

/** A running embedded cluster. */
export interface Cluster extends AsyncDisposable {
  readonly runId: string;
  /** Schedules and starts a pod; throws RangeError when no node fits or the name is taken. */
  createPod(spec: PodSpec): PodStatus;
  /** Deletes a pod: stops its worker and removes its container and sandbox. */
  deletePod(name: string, namespace?: string): Promise<void>;
  /** Creates a deployment with `replicas` pods (created at once). */
  createDeployment(spec: DeploymentSpec): Promise<void>;
  /** Scales a deployment; a scale-up spreads pod creation evenly over `rampMs` (a pull storm). */
  scale(name: string, replicas: number, options?: ScaleOptions): Promise<void>;
  /** Current pod states, in creation order. */
  pods(): PodStatus[];
  /**
   * Resolves with the pods once `predicate` holds, checked after every pod change and every emitted
   * event; rejects with an Error named `TimeoutError` after `timeoutMs` (wall-clock).
   */
  waitFor(predicate: (pods: PodStatus[]) => boolean, timeoutMs: number): Promise<PodStatus[]>;
  /** The node agents (image manager, GC) by node name, for scenarios that need kubelet internals. */
  readonly agents: ReadonlyMap<string, NodeAgent>;
  /** Stops workers and loops and removes pods' containers; idempotent. */
  stop(): Promise<void>;
}

/** Hashes the cluster's pull secrets once (KEP-2535 compares credentials by hash). */
async function hashSecrets(o: ResolvedClusterOptions): Promise<Map<string, Omit<PullCredential, 'source'>>> {
  const out = new Map<string, Omit<PullCredential, 'source'>>();
  for (const [name, { username, password }] of Object.entries(o.pullSecrets)) {
    const auth = { username, password };
    out.set(name, { auth, hash: await credentialHash(auth) });
  }
  return out;
}

/** Starts an embedded cluster over `options.nodes`. */
export async function createCluster(options: ClusterOptions): Promise<Cluster> {
  const listeners = new Set<() => void>();
  const changed = () => {
    for (const listener of listeners) listener();
  };
  // Every event re-checks pending waitFor predicates, so they may look at the event log too.
  const emit = options.emit;
  const o = resolveClusterOptions({
    ...options,
    emit:
      typeof emit === 'function'
        ? (event) => {
            emit(event);
            changed();
          }
        : emit, // left for validation to report
  });
  if (isWorkTracker(o.clock)) {
    const work = o.clock;
    o.nodes = o.nodes.map((node) => trackNode(node, work));
  }
  const secrets = await hashSecrets(o);
  const workers = new Map<string, PodWorker>();
  const agents = new Map<string, NodeAgent>();
  for (const node of o.nodes) {
    const inUse = () =>
      new Set([...workers.values()].filter((w) => w.node === node.name).flatMap((w) => w.imagesInUse()));
    agents.set(node.name, new NodeAgent(node, o, inUse));
  }
  for (const agent of agents.values()) agent.start();
  const picker = new NodePicker(o.nodes.map((n) => n.name));
  let stopping: Promise<void> | undefined;

  // A deployment's pods get random names; their ordinal within the deployment is what repeats.
  const ordinals = new Map<string, number>();
  const jitterKey = (namespace: string, name: string, deployment?: string): string => {
    if (!deployment) return `${namespace}/${name}`;
    const owner = `${namespace}/${deployment}`;
    const n = ordinals.get(owner) ?? 0;
    ordinals.set(owner, n + 1);
    return `${owner}#${n}`;
  };

  function createPod(spec: PodSpec, deployment?: string): PodStatus {
    if (stopping) throw new Error('the cluster is stopped');
    const namespace = spec.namespace ?? 'default';
    const key = `${namespace}/${spec.name}`;
    if (workers.has(key)) throw new RangeError(`pod ${key} already exists`);
    const node = picker.pick(spec.nodeSelector);
    if (node instanceof RangeError) throw node;
    const missing = (spec.imagePullSecrets ?? []).filter((s) => !secrets.has(s));
    if (missing.length) throw new RangeError(`unknown imagePullSecrets: ${missing.join(', ')}`);
    picker.add(node, 1);
    const ref = { name: spec.name, namespace, uid: crypto.randomUUID() };
    const now = new Date(o.clock.now()).toISOString();
    const status: PodStatus = {
      ...ref,
      node,
      image: spec.image,
      ...(deployment ? { deployment } : {}),
      phase: 'Pending',
      restartCount: 0,
      createdAt: now,
    };
    // A secret lives in the pod's namespace; its coordinates matter to KEP-2535's credential checks.
    const credentials = (spec.imagePullSecrets ?? []).map((name) => ({
      ...secrets.get(name)!,
      source: { secret: { uid: `secret-${o.runId}-${namespace}-${name}`, namespace, name } },
    }));
    const worker = new PodWorker(spec, ref, status, {
      agent: agents.get(node)!,
      options: o,
      random: seededRandom(o.seed, jitterKey(namespace, spec.name, deployment)),
      credentials,
      onChange: changed,
    });
    workers.set(key, worker);
    o.emit({
      kind: 'k8s.event',
      time: now,
      involvedObject: { kind: 'Pod', ...ref },
      reason: msg.ContainerEventReason.Scheduled,
      type: 'Normal',
      message: msg.successfullyAssigned(ref, node),
      source: { component: 'default-scheduler' },
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
    });
    worker.start();
    changed();
    return worker.status;
  }

  async function deletePod(name: string, namespace = 'default'): Promise<void> {
    const key = `${namespace}/${name}`;
    const worker = workers.get(key);
    if (!worker) throw new RangeError(`pod ${key} does not exist`);
    workers.delete(key);
    picker.add(worker.node, -1);
    changed();
    await worker.terminate(terminateBoundMs);
  }

  const pods = () => [...workers.values()].map((w) => w.status);

  const waitFor = (predicate: (pods: PodStatus[]) => boolean, timeoutMs: number) =>
    waitForPods(pods, listeners, predicate, timeoutMs);

  const deployments = createDeployments({
    clock: o.clock,
    createPod: (spec, deployment) => createPod(spec, deployment),
    deletePod,
    pods,
    hasPod: (name, namespace = 'default') => workers.has(`${namespace}/${name}`),
  });

  async function stop(): Promise<void> {
    stopping ??= (async () => {
      deployments.stop();
      const all = [...workers.values()];
      workers.clear();
      await Promise.allSettled(all.map((w) => w.terminate(terminateBoundMs)));
      await Promise.allSettled([...agents.values()].map((a) => a.stop()));
      listeners.clear();
    })();
    return stopping;
  }

  return {
    runId: o.runId,
    agents,
    createPod: (spec) => createPod(spec),
    deletePod,
    createDeployment: deployments.create,
    scale: deployments.scale,
    pods,
    waitFor,
    stop,
    [Symbol.asyncDispose]: stop,
  };
}
