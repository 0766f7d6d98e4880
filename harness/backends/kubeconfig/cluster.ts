/**
 * The embedded cluster's surface over a real Kubernetes API: pods, deployments and scale-ups are
 * created in the run's namespace; pods and events are observed with list+watch (watch.ts) and
 * written as the same `k8s.event` / `pod.state` events the embedded cluster writes (mapping.ts).
 * kubelet, the scheduler and the ReplicaSet controller are the real ones here, so unlike the embedded
 * cluster nothing is modelled: what the log holds is what the cluster said.
 */
import type { CoreV1Event, V1Pod } from '@kubernetes/client-node';
import type { DeploymentSpec, ScaleOptions } from '../../cluster/deployments.ts';
import { sleepUntil } from '../../cluster/timing.ts';
import type { PodSpec, PodStatus } from '../../cluster/types.ts';
import { waitForPods } from '../../cluster/wait.ts';
import type { RunEvent } from '../../events/types.ts';
import { systemClock } from '../../kubelet/clock.ts';
import type { BackendCluster } from '../provider.ts';
import type { KubeApi } from './api.ts';
import { explainKubeError, serverMessage } from './errors.ts';
import { deploymentManifest, type ManifestContext, podManifest } from './manifests.ts';
import { eventSignature, podStateSignature, toKubeEvent, toPodState, toPodStatus } from './mapping.ts';
import { LABEL_COMPONENT, runSelector } from './names.ts';
import { type ReflectOptions, reflect } from './watch.ts';

/** Options of `createKubeCluster`. */
export interface KubeClusterOptions extends ManifestContext {
  api: KubeApi;
  emit: (event: RunEvent) => void;
  /** Also watch Node events in `default` (disk pressure, image GC); only for clusters we own; default false. */
  nodeEvents?: boolean;
  /** Node events before this ISO time are ignored (cluster bring-up noise); default now. */
  since?: string;
  /**
   * Objects whose events are not the run's (the kubeconfig backend's own stub pods in the same
   * namespace); default none. Pods are told apart by label already: only `workload` pods are watched.
   */
  ignore?: (involved: { kind: string; name: string }) => boolean;
  /** Rewrites a pod's image reference before creation (e.g. to the stub's node address); default as is. */
  image?: (image: string) => string;
  /** Watch retry tuning and the error hook; defaults as in watch.ts (errors go to `log`). */
  watch?: ReflectOptions;
  /** Where watch failures are told while they are retried; default silent. */
  log?: (line: string) => void;
}

/** Starts observing and returns the cluster surface; resolves once the first lists are in. */
export async function createKubeCluster(o: KubeClusterOptions): Promise<BackendCluster> {
  const { api, namespace, runId } = o;
  const since = o.since ?? new Date().toISOString();
  const rewrite = o.image ?? ((image: string) => image);
  // The run's workload only: a backend's own pods (the in-cluster stubs) share the run label.
  const workloadSelector = runSelector(runId, { [LABEL_COMPONENT]: 'workload' });
  const pods = new Map<string, PodStatus>();
  const podSeen = new Map<string, string>();
  const eventSeen = new Map<string, string>();
  const listeners = new Set<() => void>();
  const changed = () => {
    for (const listener of listeners) listener();
  };

  const onPod = (type: 'ADDED' | 'MODIFIED' | 'DELETED', pod: V1Pod) => {
    const status = toPodStatus(pod);
    const key = `${status.namespace}/${status.name}`;
    if (type === 'DELETED') pods.delete(key);
    else pods.set(key, status);
    const signature = podStateSignature(status);
    if (type !== 'DELETED' && podSeen.get(status.uid) !== signature) {
      podSeen.set(status.uid, signature);
      o.emit(toPodState(status, new Date().toISOString()));
    }
    changed();
  };
  const onEvent = (type: 'ADDED' | 'MODIFIED' | 'DELETED', raw: CoreV1Event) => {
    if (type === 'DELETED') return; // events expire after an hour; that is not news
    const event = toKubeEvent(raw);
    if (!event) return;
    if (o.ignore?.({ kind: event.involvedObject.kind, name: event.involvedObject.name })) return;
    if (event.involvedObject.kind === 'Node' && event.lastTimestamp < since) return;
    const uid = raw.metadata?.uid ?? `${event.involvedObject.name}/${event.reason}/${event.firstTimestamp}`;
    const signature = eventSignature(event);
    if (eventSeen.get(uid) === signature) return; // a relist delivers what was already written
    eventSeen.set(uid, signature);
    o.emit(event);
    changed();
  };

  // A refused first list or watch rejects `synced` (watch.ts): provisioning fails with the reason.
  const watching = (what: string): ReflectOptions => ({
    what,
    onError: (error, retryInMs) =>
      o.log?.(`watch ${what} failed, retrying in ${retryInMs} ms: ${serverMessage(error)}`),
    ...o.watch,
  });
  const reflectors = [
    reflect(api.pods(namespace, workloadSelector), onPod, watching(`pods in namespace ${namespace}`)),
    reflect(api.events(namespace), onEvent, watching(`events in namespace ${namespace}`)),
    ...(o.nodeEvents
      ? [
          reflect(
            api.events('default', 'involvedObject.kind=Node'),
            onEvent,
            watching('Node events in namespace default'),
          ),
        ]
      : []),
  ];
  try {
    await Promise.all(reflectors.map((r) => r.synced));
  } catch (error) {
    for (const r of reflectors) r.stop();
    throw error;
  }

  let stopping: Promise<void> | undefined;
  const alive = () => {
    if (stopping) throw new Error('the cluster is stopped');
  };

  async function createPod(spec: PodSpec): Promise<PodStatus> {
    alive();
    try {
      const created = await api.createPod(
        spec.namespace ?? namespace,
        podManifest({ ...spec, image: rewrite(spec.image) }, o),
      );
      const status = toPodStatus(created);
      if (!pods.has(`${status.namespace}/${status.name}`))
        pods.set(`${status.namespace}/${status.name}`, status);
      changed();
      return status;
    } catch (error) {
      if ((error as { code?: number }).code === 409)
        throw new RangeError(`pod ${namespace}/${spec.name} already exists`);
      throw explainKubeError(`create pod ${spec.name} in namespace ${namespace}`, error);
    }
  }

  const desired = new Map<string, { replicas: number; ramp: AbortController }>();

  async function createDeployment(spec: DeploymentSpec): Promise<void> {
    alive();
    if (desired.has(spec.name)) throw new RangeError(`deployment ${spec.name} already exists`);
    desired.set(spec.name, { replicas: spec.replicas ?? 0, ramp: new AbortController() });
    const template = { ...spec.template, image: rewrite(spec.template.image) };
    await api
      .createDeployment(namespace, deploymentManifest({ ...spec, template }, o))
      .catch((error: unknown) => {
        throw explainKubeError(`create deployment ${spec.name} in namespace ${namespace}`, error);
      });
  }

  /**
   * As the embedded controller ramps: new replica i (from 0) is added at i × rampMs / missing, by
   * raising `spec.replicas` one at a time; a new scale supersedes a ramp in progress. A scale-down is
   * one update (the ReplicaSet controller picks the victims).
   */
  async function scaleTo(name: string, replicas: number, options: ScaleOptions = {}): Promise<void> {
    alive();
    const d = desired.get(name);
    if (!d) throw new RangeError(`deployment ${name} does not exist`);
    if (!Number.isInteger(replicas) || replicas < 0)
      throw new RangeError(`replicas must be an integer >= 0, got ${replicas}`);
    const rampMs = options.rampMs ?? 0;
    if (!(rampMs >= 0)) throw new RangeError(`rampMs must be >= 0, got ${rampMs}`);
    d.ramp.abort();
    d.ramp = new AbortController();
    const signal = d.ramp.signal;
    const missing = replicas - d.replicas;
    if (missing <= 1 || rampMs === 0) {
      d.replicas = replicas;
      return api.scaleDeployment(namespace, name, replicas);
    }
    const from = d.replicas;
    const start = Date.now();
    for (let i = 0; i < missing && !signal.aborted && !stopping; i++) {
      await sleepUntil(systemClock, start + (i * rampMs) / missing, signal);
      if (signal.aborted || stopping) break;
      d.replicas = from + i + 1;
      await api.scaleDeployment(namespace, name, d.replicas);
    }
  }

  async function stop(): Promise<void> {
    stopping ??= (async () => {
      for (const d of desired.values()) d.ramp.abort();
      for (const r of reflectors) r.stop();
      listeners.clear();
      const selector = workloadSelector;
      // Deployments first, so their ReplicaSets stop recreating the pods deleted next.
      await api.deleteByLabel('deployments', namespace, selector);
      await api.deleteByLabel('pods', namespace, selector);
    })();
    return stopping;
  }

  return {
    runId,
    createPod,
    deletePod: (name, ns) =>
      api.deleteByLabel('pods', ns ?? namespace, workloadSelector, `metadata.name=${name}`),
    createDeployment,
    scale: scaleTo,
    pods: () => [...pods.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt)),
    waitFor: (predicate, timeoutMs) => waitForPods(() => [...pods.values()], listeners, predicate, timeoutMs),
    stop,
    [Symbol.asyncDispose]: stop,
  };
}
