/**
 * Markdown of the full storm bench (`--only storm`) and its one-line verdict, each figure saying what
 * it measures, so the output explains itself when the lead reruns it on another machine.
 */
import type { Percentiles } from '../../harness/analyze/index.ts';
import { burstReplicas, controllerBurst, controllerQps } from '../../harness/cluster/replicaset-pace.ts';
import { cores } from './proc-stats.ts';
import type { StormBenchResult } from './storm.ts';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const s = (seconds: number, digits = 1) => `${fmt(seconds, digits)} s`;
const mib = (bytes: number) => `${fmt(bytes / MiB)} MiB`;
const ms = (v: number | null) => (v === null ? '—' : s(v / 1000));
const latency = (p: Percentiles) =>
  p.count === 0 ? '—' : `${ms(p.p50)} / ${ms(p.p95)} / ${ms(p.p99)} / ${ms(p.max)} (${fmt(p.count)} pulls)`;

/** `storm: <virtual> virtual + <real> real nodes, <pods> pods, <s> s until every node pulled, bound <s> s, ratio <x>` */
export function stormLine(r: StormBenchResult): string {
  const m = r.storm;
  return `storm: ${m.virtualNodes} virtual + ${m.realNodes} real nodes, ${m.pods} pods, ${m.pulledSeconds.toFixed(1)} s until every node pulled, bound ${r.boundSeconds.toFixed(1)} s, ratio ${r.ratio.toFixed(2)}`;
}

export function stormMarkdown(r: StormBenchResult, footer: string): string {
  const m = r.storm;
  const wall = m.cpu.wallSeconds;
  const share = (cpu: number) => `${s(cpu)} (${fmt((100 * cpu) / (wall * cores))} % of ${cores} cores)`;
  const t = m.threadCpu;
  const others = Math.max(0, m.cpu.machineBusy - m.cpu.self - m.cpu.groups.stub - m.cpu.groups.containerd);
  const failures = Object.entries(m.failures);
  const perSecond = (n: number) => n / m.pulledSeconds;
  const rows: [string, string][] = [
    [
      'what ran',
      `${fmt(m.realNodes)} real nodes (${fmt(m.realPods)} pods) + ${fmt(m.virtualNodes)} virtual nodes (1 pod each), ${mib(m.imageBytes)} image in ${r.options.layers} layers, no cache`,
    ],
    ['**time until every node had pulled the image**', `**${s(m.pulledSeconds)}**`],
    [
      'bound: bytes served ÷ the stub’s throughput to curl',
      `${s(r.boundSeconds)} (${fmt(m.registry.bytesServed / GiB, 1)} GiB at ${fmt(r.bound.mibPerSecond)} MiB/s; ${r.bound.clients} clients, rounds ${r.bound.rounds.map((x) => fmt(x)).join(' / ')} MiB/s)`,
    ],
    ['**ratio** (time ÷ bound)', `**${fmt(r.ratio, 2)}**`],
    [
      'until every pod was Running',
      m.timedOut ? `timed out at ${s(m.wallSeconds)}: ${m.running}/${m.pods} running` : s(m.wallSeconds),
    ],
    ['pods created over (first to last Scheduled)', s(m.creationSeconds)],
    ['pull latency p50 / p95 / p99 / max, all pods', latency(m.latency.all)],
    ['… pods on real nodes', latency(m.latency.real)],
    ['… pods on virtual nodes', latency(m.latency.virtual)],
    [
      'failed pull attempts (no fault was applied)',
      failures.length === 0
        ? '0'
        : failures.map(([k, n]) => `${n} × ${k.slice(0, 300).replaceAll('|', '\\|')}`).join('; '),
    ],
    [
      'registry requests (per second)',
      `${fmt(m.registry.requests)} (${fmt(perSecond(m.registry.requests), 1)}/s)`,
    ],
    [
      'bytes served (per second)',
      `${fmt(m.registry.bytesServed / GiB, 1)} GiB (${mib(perSecond(m.registry.bytesServed))}/s)`,
    ],
    ['origin amplification (blob bytes ÷ unique blob bytes)', fmt(m.registry.amplification ?? 0, 1)],
    ['harness CPU, all threads', `${share(m.cpu.self)}, of it kernel ${s(m.cpu.selfSystem)}`],
    ['… main thread (clock, kubelet model, events)', s(t.main)],
    [`… ${m.threads} pull worker thread(s) (HTTP, hashing)`, s(t.pullWorkers)],
    ['… V8 helper threads (GC, compiler)', s(t.v8Helpers)],
    ['… other threads (libuv pool, inspector)', s(t.other)],
    [
      'harness event-loop delay p50 / p99 / max (main thread)',
      `${fmt(m.loopDelay.p50)} / ${fmt(m.loopDelay.p99)} / ${fmt(m.loopDelay.max)} ms`,
    ],
    ['stub process CPU', share(m.cpu.groups.stub)],
    ['containerd CPU (real nodes)', share(m.cpu.groups.containerd)],
    ['everything else on the machine (other jobs, curl, kernel)', share(others)],
    [
      'peak RSS: harness (all threads) / stub / containerd (all nodes summed)',
      `${mib(m.peakRss.harness)} / ${mib(m.peakRss.stub)} / ${mib(m.peakRss.containerd)}`,
    ],
    [
      'load average before / after (1, 5, 15 min)',
      `${r.load.before.split(' ').slice(0, 3).join(' ')} / ${r.load.after.split(' ').slice(0, 3).join(' ')}`,
    ],
  ];
  return [
    '### Pull storm at fleet scale',
    '',
    '| | |',
    '|---|---:|',
    ...rows.map(([k, v]) => `| ${k} | ${v} |`),
    '',
    `Time is from the first pod created until the last successful pull ended. Deployments create pods at a ReplicaSet controller’s pace (kube-controller-manager’s client QPS ${controllerQps}, burst ${controllerBurst}, at most ${burstReplicas} per sync; one controller per cluster: the real nodes and the virtual nodes are two clusters). Real nodes are containerd daemons that pull but start no containers (a pod is Running once its image is); kubelet defaults (serial pulls, registryPullQPS 5, burst 10). Virtual nodes pull from their own 127.0.0.N address with containerd’s protocol and verify every digest (SHA-256 as the bytes stream), in ${m.threads} worker thread(s), at most ${r.options.pullSlots} pulls in flight (as many as the bound’s curl clients; a pull waiting for a slot counts the wait in its latency: two cores cannot emulate thousands of concurrent downloads without the registry process starving). The bound is measured in the same run, before the storm, with curl --parallel (keep-alive, no hashing). CPU shares are of wall time × ${cores} cores.`,
    '',
    footer,
  ].join('\n');
}
