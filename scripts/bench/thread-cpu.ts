/**
 * CPU of this process split by thread, from /proc/self/task/<tid>/{comm,stat}: the main thread (event
 * loop: kubelet model, clock, events), the pull workers (`WorkerThread`), V8's helpers (`V8Worker`:
 * GC and compilation), libuv's pool and the rest. Threads that ended in between lose their count.
 */
import { readdir, readFile } from 'node:fs/promises';

/** USER_HZ, the unit of /proc stat times. */
const ticksPerSecond = 100;

/** CPU seconds per thread group. */
export type ThreadCpu = Record<'main' | 'pullWorkers' | 'v8Helpers' | 'other', number>;

function group(comm: string): keyof ThreadCpu {
  if (comm === 'MainThread' || comm === 'node') return 'main';
  if (comm === 'WorkerThread') return 'pullWorkers';
  if (comm.startsWith('V8')) return 'v8Helpers';
  return 'other';
}

async function snapshot(): Promise<Map<string, { group: keyof ThreadCpu; seconds: number }>> {
  const out = new Map<string, { group: keyof ThreadCpu; seconds: number }>();
  for (const tid of await readdir('/proc/self/task').catch(() => [] as string[])) {
    const comm = (await readFile(`/proc/self/task/${tid}/comm`, 'utf8').catch(() => '')).trim();
    const stat = await readFile(`/proc/self/task/${tid}/stat`, 'utf8').catch(() => '');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime: fields 14 and 15 of stat, 11 and 12 after the state field.
    const seconds = (Number(fields[11] ?? 0) + Number(fields[12] ?? 0)) / ticksPerSecond;
    out.set(tid, { group: group(comm), seconds });
  }
  return out;
}

/** Starts metering; `stop()` gives the CPU seconds each group used since. */
export async function startThreadCpu(): Promise<{ stop(): Promise<ThreadCpu> }> {
  const before = await snapshot();
  return {
    async stop() {
      const used: ThreadCpu = { main: 0, pullWorkers: 0, v8Helpers: 0, other: 0 };
      for (const [tid, now] of await snapshot())
        used[now.group] += Math.max(0, now.seconds - (before.get(tid)?.seconds ?? 0));
      return used;
    },
  };
}
