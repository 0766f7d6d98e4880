/**
 * CPU and memory of processes and of the machine, read from /proc: a containerd node's daemon and
 * shims, the stub process, and the whole machine (other work on it shows up as the difference).
 */
import { readFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import type { ContainerdNode } from '../../harness/backends/containerd/node.ts';
import { shimPidsFor } from '../../harness/backends/containerd/system.ts';
import { rssBytes } from './processes.ts';

/** USER_HZ: the unit of /proc/<pid>/stat times; 100 on every Linux ABI Node supports. */
const clockTicksPerSecond = 100;

/** Logical cores. */
export const cores = cpus().length;

/**
 * CPU seconds a process used, its reaped children included (cutime/cstime: containerd's short-lived
 * helpers, runc under a shim); 0 when it is gone.
 */
export async function cpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  // comm (field 2) may hold spaces and parentheses; the fields after its last `)` start at state.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i] ?? 0), 0);
  return ticks / clockTicksPerSecond;
}

/** Whole-machine CPU seconds, busy and total (all cores), from /proc/stat. */
export async function machineCpu(): Promise<{ busy: number; total: number }> {
  const line = (await readFile('/proc/stat', 'utf8')).split('\n')[0]!;
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line
    .split(/\s+/)
    .slice(1)
    .map(Number) as number[];
  const busy = user! + nice! + system! + irq! + softirq! + steal!;
  return { busy: busy / clockTicksPerSecond, total: (busy + idle! + iowait!) / clockTicksPerSecond };
}

/** The daemon's pid and its shims' (found by their `-address`). */
export async function nodePids(node: ContainerdNode): Promise<number[]> {
  return [node.pid, ...(await shimPidsFor(node.socket))];
}

/** Sum of VmRSS over `pids`; a pid that is gone counts 0. */
export async function sumRss(pids: readonly number[]): Promise<number> {
  const each = await Promise.all(pids.map((pid) => rssBytes(pid).catch(() => 0)));
  return each.reduce((a, b) => a + b, 0);
}

/** Sum of {@link cpuSeconds} over `pids`. */
export async function sumCpu(pids: readonly number[]): Promise<number> {
  const each = await Promise.all(pids.map(cpuSeconds));
  return each.reduce((a, b) => a + b, 0);
}

/** CPU used over an interval by this process, by named groups of other processes, and by the machine. */
export interface CpuUse<G extends string> {
  wallSeconds: number;
  /** CPU seconds of this process (all its threads: the event loop, V8's GC helpers, kernel time). */
  self: number;
  /** … of which in the kernel (socket reads and writes, mostly). */
  selfSystem: number;
  /** CPU seconds per group. */
  groups: Record<G, number>;
  /** Busy CPU seconds of the whole machine, all cores. */
  machineBusy: number;
}

/**
 * Starts metering; each group's pids are read at start and at stop (shims come and go). A process
 * that exits in between loses its count, which is why nodes are measured before they stop.
 */
export async function startCpuMeter<G extends string>(
  groups: Record<G, () => Promise<number[]>>,
): Promise<{ stop(): Promise<CpuUse<G>> }> {
  const t0 = performance.now();
  const self0 = process.cpuUsage();
  const names = Object.keys(groups) as G[];
  const before = new Map<G, Map<number, number>>();
  for (const name of names) {
    const pids = await groups[name]();
    before.set(
      name,
      new Map(await Promise.all(pids.map(async (pid) => [pid, await cpuSeconds(pid)] as const))),
    );
  }
  const machine0 = await machineCpu();
  return {
    async stop() {
      const self = process.cpuUsage(self0);
      const used = {} as Record<G, number>;
      for (const name of names) {
        const start = before.get(name)!;
        let sum = 0;
        for (const pid of new Set([...start.keys(), ...(await groups[name]())])) {
          sum += Math.max(0, (await cpuSeconds(pid)) - (start.get(pid) ?? 0));
        }
        used[name] = sum;
      }
      const machine = await machineCpu();
      return {
        wallSeconds: (performance.now() - t0) / 1000,
        self: (self.user + self.system) / 1e6,
        selfSystem: self.system / 1e6,
        groups: used,
        machineBusy: machine.busy - machine0.busy,
      };
    },
  };
}
