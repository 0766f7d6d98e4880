/**
 * Start-up and teardown of real containerd nodes (process mode, started in parallel, ready when CRI
 * Version answers on all), and what a node costs in memory: containerd and its shims, idle, after
 * pulling `pullstorm/tiny`, and with one tiny pod running.
 */
import {
  type ContainerdNode,
  type StartNodesOptions,
  startNodes,
} from '../../harness/backends/containerd/node.ts';
import { runPod } from '../../harness/backends/containerd/run.ts';
import { pidsInCgroup } from '../../harness/backends/containerd/system.ts';
import { SANDBOX_HOST, SANDBOX_IMAGE } from '../../harness/backends/embedded/nodes.ts';
import { withCleanup } from './cleanup.ts';
import { machineCpu, nodePids, sumRss } from './proc-stats.ts';
import type { StubProcess } from './stub-process.ts';

/** Start and teardown seconds of one node count, one sample per repetition. */
export interface StartupRow {
  nodes: number;
  startSeconds: number[];
  teardownSeconds: number[];
  /** Share of the machine's CPU (all cores) busy while the nodes started, per repetition. */
  machineBusy: number[];
}

/** Bytes per node (sums divided by the node count). */
export interface MemoryRow {
  nodes: number;
  idle: number;
  afterPull: number;
  /** containerd + shims with one running tiny pod per node. */
  withPod: number;
  /** The pod's own processes (pause and the fixture program) per node. */
  podProcesses: number;
}

/** Options; defaults are the brief's: 1, 10 and 50 nodes, 3 repetitions, memory at 10 and 50. */
export interface StartupOptions {
  counts?: number[];
  repetitions?: number;
  memoryCounts?: number[];
}

const settle = () => new Promise((r) => setTimeout(r, 2_000));

/** Node options that pull from the stub and the sandbox registry over plain http. */
export function benchNodeOptions(stub: StubProcess, sandboxUrl: string): StartNodesOptions {
  return {
    registries: [
      { host: stub.authority, server: stub.url },
      { host: SANDBOX_HOST, server: sandboxUrl },
    ],
    sandboxImage: SANDBOX_IMAGE,
    // 50 daemons starting at once on 2 cores take longer than the 20 s default allows.
    startTimeoutMs: 180_000,
    logLevel: 'warn',
  };
}

/** Stops every node in parallel; idempotent (node.stop is). */
export async function stopNodes(nodes: readonly ContainerdNode[]): Promise<void> {
  const results = await Promise.allSettled(nodes.map((n) => n.stop()));
  const errors = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
  if (errors.length) throw new AggregateError(errors, `stopping ${errors.length} node(s) failed`);
}

async function daemonRss(nodes: readonly ContainerdNode[]): Promise<number> {
  return sumRss((await Promise.all(nodes.map(nodePids))).flat());
}

async function measureMemory(nodes: ContainerdNode[], stub: StubProcess): Promise<MemoryRow> {
  const n = nodes.length;
  await settle();
  const idle = (await daemonRss(nodes)) / n;
  await Promise.all(nodes.map((node) => node.cri.pullImage(`${stub.authority}/pullstorm/tiny:1.0`)));
  await settle();
  const afterPull = (await daemonRss(nodes)) / n;
  const runs = await Promise.all(
    nodes.map((node) => runPod(node, { name: 'mem', image: `${stub.authority}/pullstorm/tiny:1.0` })),
  );
  try {
    const notRunning = runs.filter((r) => r.state !== 'CONTAINER_RUNNING').length;
    if (notRunning) throw new Error(`${notRunning} of ${n} tiny pods did not run`);
    await settle();
    const withPod = (await daemonRss(nodes)) / n;
    const pods = (await Promise.all(nodes.map((node) => pidsInCgroup(node.cgroupParent)))).flat();
    return { nodes: n, idle, afterPull, withPod, podProcesses: (await sumRss(pods)) / n };
  } finally {
    await Promise.allSettled(runs.map((r) => r.remove()));
  }
}

/** Starts and stops node sets; measures memory on the first repetition of `memoryCounts`. */
export async function clusterStartup(stub: StubProcess, sandboxUrl: string, options: StartupOptions = {}) {
  const counts = options.counts ?? [1, 10, 50];
  const repetitions = options.repetitions ?? 3;
  const memoryCounts = options.memoryCounts ?? [10, 50];
  const rows: StartupRow[] = [];
  const memory: MemoryRow[] = [];
  for (const n of counts) {
    const row: StartupRow = { nodes: n, startSeconds: [], teardownSeconds: [], machineBusy: [] };
    rows.push(row);
    for (let rep = 0; rep < repetitions; rep++) {
      const cpu0 = await machineCpu();
      const t0 = performance.now();
      const starting = startNodes(n, { ...benchNodeOptions(stub, sandboxUrl), namePrefix: `s${n}-${rep}` });
      await withCleanup(starting, stopNodes, async (nodes) => {
        row.startSeconds.push((performance.now() - t0) / 1000);
        const cpu1 = await machineCpu();
        row.machineBusy.push((cpu1.busy - cpu0.busy) / (cpu1.total - cpu0.total));
        if (rep === 0 && memoryCounts.includes(n)) memory.push(await measureMemory(nodes, stub));
        const t1 = performance.now();
        await stopNodes(nodes);
        row.teardownSeconds.push((performance.now() - t1) / 1000);
      });
    }
  }
  return { rows, memory, repetitions };
}
