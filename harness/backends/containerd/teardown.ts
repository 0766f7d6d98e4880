/**
 * Tearing a containerd node down so that nothing outlives it: pods first through CRI (which
 * stops their shims), then the daemon, then any straggler (a shim of this socket, a process in
 * the node's cgroup subtree), mounts, the shim sockets in /run/containerd/s, and the directory.
 * Every step runs even when an earlier one failed; the failures are thrown together at the end.
 */
import { createHash } from 'node:crypto';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ResultPromise } from 'execa';
import type { CriClient } from './cri/client.ts';
import { pidsInCgroup, removeCgroup, shimPidsFor, unmountAllUnder } from './system.ts';

/** What {@link teardownNode} needs to know about a node (parts may be missing after a failed start). */
export interface TeardownTarget {
  name: string;
  dir: string;
  socket: string;
  state: string;
  cgroupParent: string;
  proc: ResultPromise | undefined;
  /** Whether containerd is still running (CRI calls are pointless otherwise). */
  running: () => boolean;
  cri: CriClient | undefined;
  /** Keep the directory (after unmounting). */
  retain: boolean;
}

/** containerd 1.6's shim socket for a task: `/run/containerd/s/<sha256(<address>/<ns>/<id>)>`. */
export function shimSocketPath(address: string, namespace: string, id: string): string {
  const digest = createHash('sha256')
    .update(join(address, namespace, id))
    .digest('hex');
  return `/run/containerd/s/${digest}`;
}

async function removePods(cri: CriClient): Promise<void> {
  const sandboxes = await cri.listPodSandbox(undefined, { timeoutMs: 5_000 });
  // StopPodSandbox kills the sandbox's containers and lets their shims exit.
  await Promise.all(
    sandboxes.map(async (sb) => {
      await cri.stopPodSandbox(sb.id, { timeoutMs: 15_000 });
      await cri.removePodSandbox(sb.id, { timeoutMs: 15_000 });
    }),
  );
}

function kill(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** Tears the node down; throws an AggregateError listing every step that failed. */
export async function teardownNode(t: TeardownTarget): Promise<void> {
  const errors: unknown[] = [];
  const step = async (what: string, fn: () => Promise<void>) => {
    try {
      await fn();
    } catch (err) {
      errors.push(new Error(`${what}: ${err instanceof Error ? err.message : String(err)}`, { cause: err }));
    }
  };
  if (t.cri && t.running()) await step('removing pod sandboxes over CRI', () => removePods(t.cri!));
  t.cri?.close();
  // Task ids, to find shim sockets left behind if a shim had to be killed.
  const taskDir = join(t.state, 'io.containerd.runtime.v2.task', 'k8s.io');
  const taskIds = await readdir(taskDir).catch(() => [] as string[]);
  if (t.proc) {
    const proc = t.proc;
    // execa sends SIGTERM, then SIGKILL after forceKillAfterDelay (the node's stopTimeoutMs).
    await step('stopping containerd', async () => {
      proc.kill('SIGTERM');
      await proc;
    });
  }
  await step('killing stragglers', async () => {
    for (const pid of await shimPidsFor(t.socket)) kill(pid);
    for (let i = 0; i < 20; i++) {
      const pids = await pidsInCgroup(t.cgroupParent);
      if (!pids.length) break;
      pids.forEach(kill);
      await sleep(50);
    }
    await removeCgroup(t.cgroupParent);
    await Promise.all(taskIds.map((id) => rm(shimSocketPath(t.socket, 'k8s.io', id), { force: true })));
  });
  let stillMounted: string[] = [];
  await step('unmounting', async () => {
    stillMounted = await unmountAllUnder(t.dir);
    if (stillMounted.length) throw new Error(`still mounted: ${stillMounted.join(', ')}`);
  });
  // Never delete through a mount that would not go away: that could reach outside the node.
  if (!t.retain && !stillMounted.length) {
    await step('removing the node directory', () => rm(t.dir, { recursive: true, force: true }));
  }
  if (errors.length)
    throw new AggregateError(errors, `stopping containerd node ${t.name}: ${errors.length} step(s) failed`);
}
