/**
 * Real containers on the storm's nodes (the image already present): how long N pods take to start
 * and to be removed, and what the containerd daemons, their shims and the pods' own processes cost.
 */
import { fromContainerdNode } from '../../harness/backends/containerd/cluster-node.ts';
import type { ContainerdNode } from '../../harness/backends/containerd/node.ts';
import { pidsInCgroup } from '../../harness/backends/containerd/system.ts';
import { createCluster } from '../../harness/cluster/index.ts';
import { createDeployment, stormImage } from './cluster-storm.ts';
import { type CpuUse, nodePids, startCpuMeter, sumRss } from './proc-stats.ts';
import type { StubProcess } from './stub-process.ts';

/** Pods with real containers on the storm's nodes (image already present): start cost and memory. */
export interface ContainerRunResult {
  nodes: number;
  pods: number;
  running: number;
  /** Until every container runs. */
  wallSeconds: number;
  /** Removing them all (cluster stop: containers and sandboxes). */
  removeSeconds: number;
  cpu: CpuUse<'containerd'>;
  /** The containerd daemons, summed, with the pods running. */
  daemonRss: number;
  /** Their shims (one per pod), summed. */
  shimRss: number;
  /** The pods' own processes (the fixture program), summed. */
  podRss: number;
  shims: number;
}

/** Runs `pods` containers of the storm image over `nodes` and removes them again. */
export async function runContainers(
  stub: StubProcess,
  nodes: ContainerdNode[],
  pods: number,
  timeoutMs: number,
): Promise<ContainerRunResult> {
  const clusterNodes = await Promise.all(nodes.map((n) => fromContainerdNode(n)));
  const cluster = await createCluster({ runId: 'bench-containers', nodes: clusterNodes, emit: () => {} });
  let removeSeconds = 0;
  try {
    const all = async () => (await Promise.all(nodes.map(nodePids))).flat();
    const meter = await startCpuMeter({ containerd: all });
    const t0 = performance.now();
    await createDeployment(cluster, { name: 'run', replicas: pods, template: { image: stormImage(stub) } });
    const done = await cluster
      .waitFor((p) => p.length === pods && p.every((x) => x.phase === 'Running' && !x.reason), timeoutMs)
      .catch(() => cluster.pods());
    const wallSeconds = (performance.now() - t0) / 1000;
    const cpu = await meter.stop();
    const daemonPids = await all();
    const daemonRss = await sumRss(nodes.map((n) => n.pid));
    const shimRss = (await sumRss(daemonPids)) - daemonRss;
    const podRss = await sumRss((await Promise.all(nodes.map((n) => pidsInCgroup(n.cgroupParent)))).flat());
    const r0 = performance.now();
    await cluster.stop();
    removeSeconds = (performance.now() - r0) / 1000;
    return {
      nodes: nodes.length,
      pods,
      running: done.filter((p) => p.phase === 'Running' && !p.reason).length,
      wallSeconds,
      removeSeconds,
      cpu,
      daemonRss,
      shimRss,
      podRss,
      shims: daemonPids.length - nodes.length,
    };
  } finally {
    await cluster.stop();
  }
}
