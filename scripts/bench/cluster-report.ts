/**
 * Markdown of the cluster benchmark: one table per measure, each saying what ran, what was scaled
 * down and what is extrapolated or only cited.
 */
import type { Percentiles } from '../../harness/analyze/index.ts';
import type { ClusterBenchResult } from './cluster.ts';
import { pullRate } from './cluster.ts';
import type { StormResult } from './cluster-storm.ts';
import { cores } from './proc-stats.ts';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const s = (seconds: number, digits = 1) => `${fmt(seconds, digits)} s`;
const mib = (bytes: number, digits = 0) => `${fmt(bytes / MiB, digits)} MiB`;
const pct = (share: number) => `${fmt(100 * share)} %`;
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const median = (xs: number[]) => sorted(xs)[Math.floor(xs.length / 2)]!;
const range = (xs: number[], digits = 1) =>
  `${fmt(sorted(xs)[0]!, digits)}–${fmt(sorted(xs).at(-1)!, digits)}`;
const ms = (v: number | null) => (v === null ? '—' : s(v / 1000));
const latency = (p: Percentiles) =>
  p.count === 0 ? '—' : `${ms(p.p50)} / ${ms(p.p95)} / ${ms(p.p99)} / ${ms(p.max)} (${fmt(p.count)} pulls)`;

function startupTable(r: ClusterBenchResult): string[] {
  const { rows, repetitions } = r.startup;
  return [
    `#### Real containerd nodes: start-up and teardown (process mode, in parallel; median of ${repetitions})`,
    '',
    '| nodes | start, until CRI Version answers on all | range | teardown | machine CPU busy while starting |',
    '|---:|---:|---:|---:|---:|',
    ...rows.map(
      (row) =>
        `| ${row.nodes} | ${s(median(row.startSeconds), 2)} | ${range(row.startSeconds, 2)} s | ${s(median(row.teardownSeconds), 2)} | ${pct(median(row.machineBusy))} |`,
    ),
    '| `kind create cluster`, 1 node — **published figure, not measured** (kind cannot run here) | 12–17 s | | | |',
    '',
    'Start covers directories, the overlayfs probe, config, spawning containerd and polling CRI Version; teardown removes pods, stops containerd (SIGTERM), unmounts and deletes each node. The kind figure is the one FACTS.md cites, until a workload can run.',
  ];
}

function memoryTable(r: ClusterBenchResult): string[] {
  return [
    '#### Memory per node (VmRSS of containerd and its shims, summed, ÷ nodes)',
    '',
    '| nodes | idle after start | after pulling `pullstorm/tiny` | one tiny pod running (containerd + shim) | the pod’s own processes |',
    '|---:|---:|---:|---:|---:|',
    ...r.startup.memory.map(
      (m) =>
        `| ${m.nodes} | ${mib(m.idle, 1)} | ${mib(m.afterPull, 1)} | ${mib(m.withPod, 1)} | ${mib(m.podProcesses, 2)} |`,
    ),
    '',
    'Each reading follows a 2 s settle. A pod’s sandbox and container share one containerd-shim-runc-v2 per pod.',
  ];
}

function schedulingTable(r: ClusterBenchResult): string[] {
  return [
    '#### Pod creation in one embedded cluster (no pulls: an ImageService that answers at once)',
    '',
    '| nodes | pods (one per node) | wall until all Running | harness CPU |',
    '|---:|---:|---:|---:|',
    ...r.scheduling.map(
      (x) => `| ${fmt(x.nodes)} | ${fmt(x.pods)} | ${s(x.wallSeconds)} | ${s(x.cpuSeconds)} |`,
    ),
    '',
    'The scheduler keeps each node’s pod count and a heap of nodes by (pods, name) (harness/cluster/node-picker.ts): placing a pod costs O(log nodes), where it used to count every pod on every node. Wall time includes the ReplicaSet controller’s pace (20 pods/s after a burst of 30), so it grows with pods even when CPU does not.',
  ];
}

/** Virtual-node bytes per harness CPU-second (the harness's other work is small beside them). */
const perCpuSecond = (x: StormResult) => (x.virtualNodes * x.registry.uniqueBlobBytes) / x.cpu.self;

function cpuCell(x: StormResult, seconds: number): string {
  return `${s(seconds)} (${pct(seconds / (x.cpu.wallSeconds * cores))})`;
}

function failureCell(x: StormResult): string {
  const entries = Object.entries(x.failures);
  if (entries.length === 0) return '0';
  return entries.map(([text, n]) => `${n} × ${text.slice(0, 400).replaceAll('|', '\\|')}`).join('; ');
}

function stormRows(
  r: ClusterBenchResult,
  row: (label: string, f: (x: StormResult) => string, fullCell?: string) => string,
) {
  const { asked } = r;
  const others = (x: StormResult) =>
    x.cpu.machineBusy - x.cpu.self - x.cpu.groups.stub - x.cpu.groups.containerd;
  const perSecond = (x: StormResult, n: number) => n / x.pulledSeconds;
  return [
    row(
      'what ran',
      (x) =>
        `${x.realNodes} real nodes (${fmt(x.realPods)} pods) + ${fmt(x.virtualNodes)} virtual nodes (1 pod each)`,
      '**not run**',
    ),
    row(
      'wall time until every node had pulled the image',
      (x) => s(x.pulledSeconds),
      `**extrapolated ≈ ${s(asked.fromStorm, 0)}** (the smaller run’s rate gives ≈ ${s(asked.fromCalibration, 0)})`,
    ),
    row('… until every pod was Running', (x) =>
      x.timedOut ? `timed out at ${s(x.wallSeconds)}: ${x.running}/${x.pods} running` : s(x.wallSeconds),
    ),
    row('… pods created over (first to last Scheduled)', (x) => s(x.creationSeconds)),
    row('pull latency p50 / p95 / p99 / max, all pods', (x) => latency(x.latency.all)),
    row('… pods on real nodes', (x) => latency(x.latency.real)),
    row('… pods on virtual nodes', (x) => latency(x.latency.virtual)),
    row('failed pull attempts (each retried after backoff)', failureCell),
    row(
      'registry requests (per second, until every node had pulled)',
      (x) => `${fmt(x.registry.requests)} (${fmt(perSecond(x, x.registry.requests), 1)}/s)`,
    ),
    row(
      'bytes served (per second)',
      (x) => `${fmt(x.registry.bytesServed / GiB, 1)} GiB (${mib(perSecond(x, x.registry.bytesServed))}/s)`,
    ),
    row('origin amplification (blob bytes ÷ unique blob bytes)', (x) =>
      fmt(x.registry.amplification ?? 0, 1),
    ),
    row(
      'harness process CPU, all threads',
      (x) => `${cpuCell(x, x.cpu.self)}, kernel ${s(x.cpu.selfSystem)}`,
    ),
    row('… MiB of virtual pulls per harness CPU-second', (x) => fmt(perCpuSecond(x) / MiB)),
    row(
      '… harness event-loop delay p50 / p99 / max',
      (x) => `${fmt(x.loopDelay.p50)} / ${fmt(x.loopDelay.p99)} / ${fmt(x.loopDelay.max)} ms`,
    ),
    row('stub process CPU', (x) => cpuCell(x, x.cpu.groups.stub)),
    row('containerd CPU (real nodes)', (x) => cpuCell(x, x.cpu.groups.containerd)),
    row('everything else on the machine (other jobs, kernel)', (x) => cpuCell(x, Math.max(0, others(x)))),
    row(
      'peak RSS: harness / stub / all containerd',
      (x) => `${mib(x.peakRss.harness)} / ${mib(x.peakRss.stub)} / ${mib(x.peakRss.containerd)}`,
    ),
  ];
}

function stormTable(r: ClusterBenchResult): string[] {
  const { calibration: c, storm: m, asked } = r;
  const full = asked.virtualNodes === m.virtualNodes && !m.timedOut;
  const row = (label: string, f: (x: StormResult) => string, fullCell = '—') =>
    `| ${label} | ${f(c)} | ${f(m)} |${full ? '' : ` ${fullCell} |`}`;
  const head = full
    ? ['| | smaller run (for the estimate) | full storm |', '|---|---:|---:|']
    : [
        `| | smaller run (for the estimate) | largest that fits ~${fmt(asked.budgetSeconds / 60)} min | asked: ${fmt(asked.virtualNodes)} virtual nodes |`,
        '|---|---:|---:|---:|',
      ];
  const virtualBytes = asked.virtualNodes * m.registry.uniqueBlobBytes;
  const harnessCores = m.cpu.self / m.cpu.wallSeconds;
  return [
    `#### Pull storm: one stub, a ${mib(r.image.bytes)} ${r.image.layers}-layer image`,
    '',
    ...head,
    ...stormRows(r, row),
    '',
    `Real nodes are containerd daemons that pull but do not start containers (a pod is Running once its image is; see the next table for real containers). Kubelet defaults (serial pulls, registryPullQPS 5, burst 10). A pod whose first sync came after its node had the image shows \`already present on machine\` and has no pull latency, as on a real node; the others queue behind the node’s first pull, and their latency includes that wait. Virtual nodes pull from their own 127.0.0.N address; the stub runs in its own process; CPU shares are of wall time × ${cores} cores, and other jobs shared the machine (the “everything else” row).`,
    '',
    `Deployments create pods at a ReplicaSet controller’s pace (20/s after a burst of 30), so “pods created over” is that pace, not the event loop’s. Virtual nodes run in ${m.threads} pull worker thread(s) (${m.threads === 0 ? 'none: on the main thread' : 'HTTP parsing and hashing off the main thread'}); the harness process reached ${fmt(harnessCores, 2)} cores and the “MiB per harness CPU-second” row bounds virtual pulls on any machine.`,
    ...(full
      ? []
      : [
          '',
          `**The full storm was not run.** The smaller run moved ${mib(pullRate(c))}/s, so ${fmt(asked.virtualNodes)} virtual nodes (${fmt(((m.realNodes + asked.virtualNodes) * m.registry.uniqueBlobBytes) / GiB)} GiB through the stub) would take about ${s(asked.fromCalibration, 0)}, over the ${fmt(asked.limitSeconds / 60)}-minute limit; the middle column is the largest that fits about ${fmt(asked.budgetSeconds / 60)} minutes, and the last column extrapolates its time until every node had pulled at the middle column’s rate. At the middle column’s cost the ${fmt(asked.virtualNodes)} virtual pulls alone need about ${s(virtualBytes / perCpuSecond(m), 0)} of harness CPU, i.e. ≈ ${s(virtualBytes / perCpuSecond(m) / harnessCores, 0)} at the ${fmt(harnessCores, 2)} cores it reached here, however idle the machine.`,
        ]),
  ];
}

function containersTable(r: ClusterBenchResult): string[] {
  const x = r.containers;
  const per = x.pods > 0 ? 1000 / x.pods : 0;
  return [
    `#### Real containers on the storm’s nodes (image present; ${x.pods} pods instead of 1,000)`,
    '',
    '| pods (nodes) | until all Running | containerd + shims CPU | harness CPU | RSS: daemons / shims | pods’ own processes | removing them |',
    '|---:|---:|---:|---:|---:|---:|---:|',
    `| ${x.pods} (${x.nodes}), ${x.running} running | ${s(x.wallSeconds)} | ${s(x.cpu.groups.containerd)} | ${s(x.cpu.self)} | ${mib(x.daemonRss)} / ${mib(x.shimRss)} (${x.shims} shims) | ${mib(x.podRss, 1)} | ${s(x.removeSeconds)} |`,
    `| 1,000 (${x.nodes}) — **not run, extrapolated ×${fmt(per)}** | ≈ ${s(x.wallSeconds * per, 0)} | ≈ ${s(x.cpu.groups.containerd * per, 0)} | | shims ≈ ${mib(x.shimRss * per)} | | |`,
    '',
    `Why not 1,000: each pod is a sandbox and a container, i.e. one shim and two runc runs; ${x.pods} took ${s(x.cpu.groups.containerd)} of containerd CPU, so 1,000 would hold both cores for minutes and need about ${fmt(per)}× the shim memory. The extrapolation assumes cost linear in pods.`,
  ];
}

/** The cluster section of bench/RESULTS.md. */
export function clusterMarkdown(r: ClusterBenchResult, footer: string): string {
  return [
    '### Embedded cluster',
    '',
    ...startupTable(r),
    '',
    ...memoryTable(r),
    '',
    ...schedulingTable(r),
    '',
    ...stormTable(r),
    '',
    ...containersTable(r),
    '',
    footer,
  ].join('\n');
}
