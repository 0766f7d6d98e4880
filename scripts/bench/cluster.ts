/**
 * The embedded cluster's benchmark: node start-up, teardown and memory; the cluster's own pod
 * creation cost; a pull storm over real and virtual nodes (sized to fit the time budget, with the
 * full size extrapolated, never pretended); and real containers on the storm's nodes.
 */
import { startNodes } from '../../harness/backends/containerd/node.ts';
import { startSandboxRegistry } from '../../harness/backends/embedded/nodes.ts';
import { withCleanup } from './cleanup.ts';
import { type ContainerRunResult, runContainers } from './cluster-containers.ts';
import { type SchedulingRow, schedulingCost } from './cluster-scheduling.ts';
import {
  benchNodeOptions,
  clusterStartup,
  type MemoryRow,
  type StartupRow,
  stopNodes,
} from './cluster-startup.ts';
import { runStorm, type StormResult } from './cluster-storm.ts';
import { type StubProcess, startStubProcess } from './stub-process.ts';

const MiB = 1024 * 1024;

/** Sizes and budgets; defaults are the brief's. */
export interface ClusterBenchOptions {
  /** Payload of the storm image; default 100 MiB in 4 layers. */
  imageBytes?: number;
  layers?: number;
  realNodes?: number;
  realPods?: number;
  /** The storm asked for: this many virtual nodes; default 2,000. */
  virtualNodes?: number;
  /** Virtual nodes of the calibration storm; default 100. */
  calibrationVirtualNodes?: number;
  /** Run the full storm only when its estimate is within this; default 600 s. */
  fullLimitSeconds?: number;
  /** Otherwise size the storm to take about this long; default 300 s. */
  budgetSeconds?: number;
  /** Containers started on the storm's real nodes; default 100. */
  containerPods?: number;
  startup?: Parameters<typeof clusterStartup>[2];
  schedulingSizes?: number[];
}

/** Everything the benchmark measured. */
export interface ClusterBenchResult {
  startup: { rows: StartupRow[]; memory: MemoryRow[]; repetitions: number };
  scheduling: SchedulingRow[];
  calibration: StormResult;
  storm: StormResult;
  /** Virtual nodes asked for, and the estimate for that size (seconds, from each run's byte rate). */
  asked: {
    virtualNodes: number;
    fromCalibration: number;
    fromStorm: number;
    limitSeconds: number;
    budgetSeconds: number;
  };
  image: { bytes: number; layers: number };
  containers: ContainerRunResult;
}

/** Blob bytes per second the stub served until every node had pulled. */
export const pullRate = (r: StormResult) => r.registry.bytesServed / r.pulledSeconds;

/** Seconds until every node has pulled, with `virtualNodes`, at `r`'s rate. */
function estimateSeconds(r: StormResult, virtualNodes: number): number {
  return ((r.realNodes + virtualNodes) * r.registry.uniqueBlobBytes) / pullRate(r);
}

/** Starts `count` fresh real nodes, runs `body`, stops them whatever happens. */
export async function withNodes<T>(
  stub: StubProcess,
  sandboxUrl: string,
  count: number,
  prefix: string,
  body: (nodes: Awaited<ReturnType<typeof startNodes>>) => Promise<T>,
): Promise<T> {
  const starting = startNodes(count, { ...benchNodeOptions(stub, sandboxUrl), namePrefix: prefix });
  return withCleanup(starting, stopNodes, async (nodes) => {
    // As on a provisioned node, the pause image is there before any pod (and never from the stub).
    await Promise.all(nodes.map((n) => n.cri.pullImage(n.sandboxImage)));
    return body(nodes);
  });
}

const defaults = {
  imageBytes: 100 * MiB,
  layers: 4,
  realNodes: 20,
  realPods: 1000,
  virtualNodes: 2000,
  calibrationVirtualNodes: 100,
  fullLimitSeconds: 600,
  budgetSeconds: 300,
  containerPods: 100,
};
type Resolved = typeof defaults & Pick<ClusterBenchOptions, 'startup' | 'schedulingSizes'>;

const log = (text: string) => process.stderr.write(`bench cluster: ${text}\n`);

/** Runs the whole benchmark (about a quarter of an hour on 2 cores); stops all it started. */
export async function clusterBench(options: ClusterBenchOptions = {}): Promise<ClusterBenchResult> {
  const o: Resolved = { ...defaults, ...options };
  return withCleanup(
    startStubProcess({ large: { sizeBytes: o.imageBytes, layers: o.layers } }),
    (stub) => stub.stop(),
    (stub) =>
      withCleanup(
        startSandboxRegistry(),
        (s) => s.close(),
        (sandbox) => measure(stub, sandbox.url, o),
      ),
  );
}

/** Virtual nodes for the main storm: all asked for when the estimate allows, else what fits the budget. */
function sizeStorm(calibration: StormResult, o: Resolved): number {
  if (estimateSeconds(calibration, o.virtualNodes) <= o.fullLimitSeconds) return o.virtualNodes;
  const fits =
    Math.floor((o.budgetSeconds * pullRate(calibration)) / calibration.registry.uniqueBlobBytes) -
    o.realNodes;
  const floor = Math.min(o.calibrationVirtualNodes, o.virtualNodes);
  return Math.max(floor, Math.min(o.virtualNodes, Math.floor(fits / 100) * 100));
}

async function measure(stub: StubProcess, sandboxUrl: string, o: Resolved): Promise<ClusterBenchResult> {
  log('node start-up, teardown and memory');
  const startup = await clusterStartup(stub, sandboxUrl, o.startup);
  log('pod creation cost in one cluster');
  const scheduling = await schedulingCost(o.schedulingSizes);
  const { realNodes, realPods, imageBytes } = o;
  const storm = (virtualNodes: number, prefix: string, timeoutMs: number) =>
    withNodes(stub, sandboxUrl, realNodes, prefix, (nodes) =>
      runStorm({ stub, nodes, realPods, virtualNodes, imageBytes, timeoutMs }),
    );
  const small = Math.min(o.calibrationVirtualNodes, o.virtualNodes);
  log(`smaller storm: ${realNodes} real nodes (${realPods} pods) + ${small} virtual nodes`);
  const calibration = await storm(small, 'cal', 300_000);
  const fromCalibration = estimateSeconds(calibration, o.virtualNodes);
  const virtualNodes = sizeStorm(calibration, o);
  log(
    `storm: ${virtualNodes} virtual nodes (all ${o.virtualNodes} estimated at ${fromCalibration.toFixed(0)} s)`,
  );
  let containers: ContainerRunResult | undefined;
  const main = await withNodes(stub, sandboxUrl, realNodes, 'storm', async (nodes) => {
    const timeoutMs = 2 * o.budgetSeconds * 1000;
    const result = await runStorm({ stub, nodes, realPods, virtualNodes, imageBytes, timeoutMs });
    log(`containers: ${o.containerPods} pods on the storm's ${realNodes} nodes`);
    containers = await runContainers(stub, nodes, o.containerPods, 600_000);
    return result;
  });
  return {
    startup,
    scheduling,
    calibration,
    storm: main,
    asked: {
      virtualNodes: o.virtualNodes,
      fromCalibration,
      fromStorm: estimateSeconds(main, o.virtualNodes),
      limitSeconds: o.fullLimitSeconds,
      budgetSeconds: o.budgetSeconds,
    },
    image: { bytes: imageBytes, layers: o.layers },
    containers: containers!,
  };
}
