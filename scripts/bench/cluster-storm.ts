/**
 * The pull storm: a deployment over real containerd nodes (image only: a pod is Running once its
 * image is) plus one pod on each of many virtual nodes, all pulling one large image from one stub
 * process. Measured from the event log (`analyze`): pull latency, registry load, amplification; and
 * from /proc: CPU of the harness, the stub and containerd, and their peak memory.
 */

import { monitorEventLoopDelay } from 'node:perf_hooks';
import { analyze, type LogEvent, type Percentiles, percentiles } from '../../harness/analyze/index.ts';
import { fromContainerdNode } from '../../harness/backends/containerd/cluster-node.ts';
import type { ContainerdNode } from '../../harness/backends/containerd/node.ts';
import { fromVirtualNode } from '../../harness/backends/virtual/cluster-node.ts';
import {
  createVirtualNode,
  createVirtualNodePool,
  loopbackAddress,
  type VirtualNode,
} from '../../harness/backends/virtual/index.ts';
import {
  type Cluster,
  type ClusterNode,
  createCluster,
  type DeploymentSpec,
} from '../../harness/cluster/index.ts';
import type { RunEvent } from '../../harness/events/types.ts';
import { type CpuUse, startCpuMeter, sumRss } from './proc-stats.ts';
import { rssBytes } from './processes.ts';
import type { StubProcess } from './stub-process.ts';
import { startThreadCpu, type ThreadCpu } from './thread-cpu.ts';

/** The image every storm pod runs (served by the stub process as `pullstorm/storm:1.0`). */
export const stormImage = (stub: StubProcess) => `${stub.authority}/pullstorm/storm:1.0`;

/**
 * createDeployment, going on after a pod-name collision: deployments.ts draws 5 random characters
 * per pod (27^5 names) and a clash throws out of the ramp (about 3 % per 1,000 pods), where the
 * ReplicaSet controller would just try another name. `scale` creates the pods still missing.
 */
export async function createDeployment(cluster: Cluster, spec: DeploymentSpec): Promise<void> {
  const clash = (err: unknown) => err instanceof RangeError && /already exists/.test(err.message);
  try {
    await cluster.createDeployment(spec);
  } catch (err) {
    if (!clash(err)) throw err;
    for (let attempt = 1; ; attempt++) {
      try {
        return await cluster.scale(spec.name, spec.replicas ?? 0);
      } catch (again) {
        if (!clash(again) || attempt >= 5) throw again;
      }
    }
  }
}

/** Virtual nodes per cluster; see `shardNodes` in {@link StormOptions}. */
export const defaultShardNodes = Number.POSITIVE_INFINITY;

/** One storm. */
export interface StormOptions {
  stub: StubProcess;
  /** Started real nodes, the storm's own (fresh: they must not hold the image yet). */
  nodes: ContainerdNode[];
  /** Pods of the deployment over the real nodes. */
  realPods: number;
  /** Virtual nodes, one pod each. */
  virtualNodes: number;
  /** Payload bytes of the image (for the report; the stub already serves it). */
  imageBytes: number;
  /**
   * Virtual nodes go into clusters of this many; default all in one (scheduling is O(log nodes) per
   * pod). Each cluster has its own ReplicaSet controller pace, so shards create pods faster.
   */
  shardNodes?: number;
  /** Pull worker threads hosting the virtual nodes; 0 runs them on the main thread. Default 2. */
  threads?: number;
  /** Virtual pulls in flight at most (the pool's `maxPullsInFlight`); default unlimited. */
  pullSlots?: number;
  /** Bound on waiting for every pod to run. */
  timeoutMs: number;
}

/** What one storm measured. */
export interface StormResult {
  realNodes: number;
  realPods: number;
  virtualNodes: number;
  imageBytes: number;
  /** From the first pod created until every pod ran, or until the timeout. */
  wallSeconds: number;
  /** From the first pod created until the last successful pull ended (every node had the image). */
  pulledSeconds: number;
  /** Pods Running at the end (all of them unless `timedOut`). */
  running: number;
  pods: number;
  timedOut: boolean;
  /** First to last pod created (the deployments' ramp is 0: this is the harness's own pace). */
  creationSeconds: number;
  /** Failed pull attempts by error text. */
  failures: Record<string, number>;
  /** Pods that pulled (Pulling → Pulled); the rest found the image already present when they synced. */
  latency: { all: Percentiles; real: Percentiles; virtual: Percentiles };
  registry: {
    requests: number;
    bytesServed: number;
    amplification: number | null;
    originBlobBytes: number;
    uniqueBlobBytes: number;
  };
  cpu: CpuUse<'stub' | 'containerd'>;
  /** Harness CPU seconds per thread group (/proc/self/task). */
  threadCpu: ThreadCpu;
  /** Pull worker threads (0: virtual nodes on the main thread). */
  threads: number;
  /** The harness's event-loop delay during the storm, ms (perf_hooks, 20 ms resolution). */
  loopDelay: { p50: number; p99: number; max: number };
  peakRss: { harness: number; stub: number; containerd: number };
}

/** The real node as a ClusterNode that only pulls: without a runtime a pod is Running once pulled. */
export async function imageOnly(node: ContainerdNode): Promise<ClusterNode> {
  const { runtime: _, ...base } = await fromContainerdNode(node);
  return { ...base, capabilities: { ...base.capabilities, runsContainers: false } };
}

/** Pulling → Pulled (successful) latencies per pod, from kubelet events, split by node. */
function latencies(events: readonly RunEvent[], isReal: (node: string) => boolean) {
  const pulling = new Map<string, number>();
  const real: number[] = [];
  const virtual: number[] = [];
  for (const e of events) {
    if (e.kind !== 'k8s.event') continue;
    const uid = e.involvedObject.uid ?? e.involvedObject.name;
    const at = Date.parse(e.time);
    if (e.reason === 'Pulling') pulling.set(uid, at);
    if (e.reason === 'Pulled' && e.message.startsWith('Successfully pulled') && pulling.has(uid)) {
      (isReal(e.source.host ?? '') ? real : virtual).push(at - pulling.get(uid)!);
      pulling.delete(uid);
    }
  }
  return { real: percentiles(real), virtual: percentiles(virtual) };
}

/** Seconds from the first to the last `Scheduled` event. */
function creationSpan(events: readonly RunEvent[]): number {
  const times = events.flatMap((e) =>
    e.kind === 'k8s.event' && e.reason === 'Scheduled' ? [Date.parse(e.time)] : [],
  );
  return times.length ? (Math.max(...times) - Math.min(...times)) / 1000 : 0;
}

/** Epoch ms of the last successful pull's end (its `Pulled … Successfully pulled` event). */
function lastPull(events: readonly RunEvent[]): number {
  let last = 0;
  for (const e of events) {
    if (e.kind === 'k8s.event' && e.reason === 'Pulled' && e.message.startsWith('Successfully pulled'))
      last = Math.max(last, Date.parse(e.time));
  }
  return last;
}

/** Failed pull attempts counted by node kind and error text. */
function failureTexts(
  events: readonly RunEvent[],
  isReal: (node: string) => boolean,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of events) {
    if (e.kind !== 'pull.attempt' || e.ok) continue;
    // One line per kind of failure: addresses, ports and digests differ from node to node.
    const text = (e.error ?? '?')
      .replace(/sha256:[0-9a-f]{64}/g, 'sha256:…')
      .replace(/\d+\.\d+\.\d+\.\d+(:\d+)?/g, '<addr>');
    const key = `${isReal(e.node) ? 'real' : 'virtual'} node: ${text}`;
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

/** Samples peak RSS of the harness, the stub and the containerd daemons every 500 ms. */
function samplePeaks(stub: StubProcess, nodes: ContainerdNode[]) {
  const peak = { harness: 0, stub: 0, containerd: 0 };
  const pids = nodes.map((n) => n.pid);
  const sample = async () => {
    peak.harness = Math.max(peak.harness, process.memoryUsage().rss);
    peak.stub = Math.max(peak.stub, await rssBytes(stub.pid).catch(() => 0));
    peak.containerd = Math.max(peak.containerd, await sumRss(pids));
  };
  const timer = setInterval(() => void sample(), 500);
  return {
    async stop() {
      clearInterval(timer);
      await sample();
      return peak;
    },
  };
}

/** Runs one storm; stops its clusters and virtual nodes, never the real nodes (the caller's). */
export async function runStorm(o: StormOptions): Promise<StormResult> {
  const events: RunEvent[] = [];
  const emit = (e: RunEvent) => events.push(e);
  const runId = `bench-${crypto.randomUUID().slice(0, 6)}`;
  const shard = o.shardNodes ?? defaultShardNodes;
  const image = stormImage(o.stub);
  const threads = o.threads ?? 2;
  const pool =
    threads > 0
      ? createVirtualNodePool({
          threads,
          ...(o.pullSlots !== undefined && { maxPullsInFlight: o.pullSlots }),
        })
      : undefined;
  const virtual: VirtualNode[] = Array.from({ length: o.virtualNodes }, (_, i) => {
    const options = { name: `vnode-${i}`, clientAddress: loopbackAddress(i) };
    return pool ? pool.createNode(options) : createVirtualNode(options);
  });
  const clusters: { cluster: Cluster; pods: number }[] = [];
  try {
    const realNodes = await Promise.all(o.nodes.map(imageOnly));
    const real = new Set(realNodes.map((n) => n.name));
    if (o.realPods > 0) {
      const cluster = await createCluster({ runId, nodes: realNodes, emit });
      clusters.push({ cluster, pods: o.realPods });
    }
    for (let i = 0; i < virtual.length; i += shard) {
      const nodes = virtual.slice(i, i + shard).map(fromVirtualNode);
      clusters.push({
        cluster: await createCluster({ runId, nodes, emit }),
        pods: nodes.length,
      });
    }
    await o.stub.collect(); // forget anything served before the storm
    const pids = async () => o.nodes.map((n) => n.pid);
    const meter = await startCpuMeter({ stub: async () => [o.stub.pid], containerd: pids });
    const threadCpu = await startThreadCpu();
    const peaks = samplePeaks(o.stub, o.nodes);
    const loop = monitorEventLoopDelay({ resolution: 20 });
    loop.enable();
    const t0 = performance.now();
    const epoch0 = Date.now();
    const deadline = t0 + o.timeoutMs;
    let timedOut = false;
    await Promise.all(
      clusters.map(async ({ cluster, pods }) => {
        // One pod per virtual node: the scheduler puts each on the node with the fewest pods.
        await createDeployment(cluster, { name: 'storm', replicas: pods, template: { image } });
        const left = Math.max(1, deadline - performance.now());
        await cluster
          .waitFor((all) => all.length === pods && all.every((p) => p.phase === 'Running'), left)
          .catch((err: Error) => {
            if (err.name !== 'TimeoutError') throw err;
            timedOut = true;
          });
      }),
    );
    const wallSeconds = (performance.now() - t0) / 1000;
    const cpu = await meter.stop();
    const byThread = await threadCpu.stop();
    const peakRss = await peaks.stop();
    loop.disable();
    const loopDelay = { p50: loop.percentile(50) / 1e6, p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 };
    const pods = clusters.flatMap(({ cluster }) => cluster.pods());
    const requests = await o.stub.collect();
    const log: LogEvent[] = [...events, ...requests];
    const analysis = analyze(log);
    const split = latencies(events, (node) => real.has(node));
    return {
      realNodes: o.nodes.length,
      realPods: o.realPods,
      virtualNodes: o.virtualNodes,
      imageBytes: o.imageBytes,
      wallSeconds,
      pulledSeconds: (lastPull(events) - epoch0) / 1000,
      running: pods.filter((p) => p.phase === 'Running').length,
      pods: o.realPods + o.virtualNodes,
      timedOut,
      creationSeconds: creationSpan(events),
      failures: failureTexts(events, (node) => real.has(node)),
      latency: { all: analysis.pulls.latency, ...split },
      registry: {
        requests: analysis.registry.requests,
        bytesServed: analysis.registry.bytesServed,
        amplification: analysis.registry.amplification,
        originBlobBytes: analysis.registry.originBlobBytes,
        uniqueBlobBytes: analysis.registry.uniqueBlobBytes,
      },
      cpu,
      threadCpu: byThread,
      threads,
      loopDelay,
      peakRss,
    };
  } finally {
    await Promise.allSettled(clusters.map(({ cluster }) => cluster.stop()));
    await Promise.allSettled(virtual.map((v) => v.close()));
    await pool?.close();
  }
}
