/**
 * The engine-side chores of container nodes: removal (one node, or every node a run left behind),
 * containerd's log and the container's memory. Removal is by force (SIGKILL): a node keeps nothing
 * worth flushing — its disk is a tmpfs and its state a directory that is deleted next.
 */
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dockerClient } from '../../containers/docker.ts';
import { assertRunId, LABEL_COMPONENT, LABEL_RUN_ID } from '../../containers/labels.ts';
import type { CriClient } from '../containerd/cri/client.ts';
import { mountsUnder } from '../containerd/system.ts';
import type { NxdomainResolver } from './dns.ts';
import { NODE_COMPONENT } from './image.ts';

/** Label with the node's name. */
export const LABEL_NODE = 'pullstorm.node';
/** Label with the node's host directory, so a clean after a crash can delete it. */
export const LABEL_NODE_DIR = 'pullstorm.node-dir';

/** A node container's memory, from the engine's stats. */
export interface NodeMemory {
  /** The cgroup's usage, page cache and tmpfs content (the node's disk) included. */
  usageBytes: number;
  /** Usage less inactive file pages: what `docker stats` shows and kubelet calls the working set. */
  workingSetBytes: number;
}

async function removeContainer(id: string): Promise<void> {
  const docker = (await dockerClient()).container.dockerode;
  try {
    await docker.getContainer(id).remove({ force: true, v: true });
  } catch (error) {
    // 404: already gone (a clean got there first); 409: its removal is already in progress.
    const status = (error as { statusCode?: number }).statusCode;
    if (status !== 404 && status !== 409) throw error;
  }
}

/** Deletes a node directory unless something is still mounted under it (never delete through a mount). */
async function removeDir(dir: string): Promise<void> {
  const mounted = await mountsUnder(dir);
  if (mounted.length) throw new Error(`still mounted under ${dir}: ${mounted.join(', ')}`);
  await rm(dir, { recursive: true, force: true });
}

/** What removing one node needs; parts may be missing after a failed start. */
export interface NodeParts {
  id: string | undefined;
  cri: CriClient | undefined;
  dns: NxdomainResolver | undefined;
  dir: string;
}

/** Ids of the containers created for node directory `dir` (unique: mkdtemp made it). */
async function containersOf(dir: string): Promise<string[]> {
  const docker = (await dockerClient()).container.dockerode;
  const found = await docker.listContainers({ all: true, filters: { label: [`${LABEL_NODE_DIR}=${dir}`] } });
  return found.map(({ Id }) => Id);
}

/** Removes a node: CRI channel, container, DNS share, directory; every step runs, failures thrown together. */
export async function removeNode(parts: NodeParts): Promise<void> {
  parts.cri?.close();
  // Without an id the start failed; testcontainers may still have created the container.
  const removeContainers = async () => {
    for (const id of parts.id ? [parts.id] : await containersOf(parts.dir)) await removeContainer(id);
  };
  const results = await Promise.allSettled([removeContainers(), parts.dns?.release()]);
  results.push(...(await Promise.allSettled([removeDir(parts.dir)])));
  const errors = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
  if (errors.length) throw new AggregateError(errors, `removing container node ${parts.dir} failed`);
}

/**
 * Removes every container node of run `runId` (default: of every run) and its host directory; returns
 * the removed container ids. Only directories under the temp dir named `pullstorm-*` are deleted.
 */
export async function cleanupContainerNodes(runId?: string): Promise<string[]> {
  if (runId !== undefined) assertRunId(runId);
  const docker = (await dockerClient()).container.dockerode;
  const label = [`${LABEL_COMPONENT}=${NODE_COMPONENT}`, ...(runId ? [`${LABEL_RUN_ID}=${runId}`] : [])];
  const found = await docker.listContainers({ all: true, filters: { label } });
  await Promise.all(
    found.map(async ({ Id, Labels }) => {
      await removeContainer(Id);
      const dir = Labels[LABEL_NODE_DIR];
      if (dir?.startsWith(join(tmpdir(), 'pullstorm-'))) await removeDir(dir);
    }),
  );
  return found.map(({ Id }) => Id);
}

/** The last `lines` lines of the container's output (containerd logs to stderr). */
export async function readLogTail(id: string, lines: number): Promise<string> {
  const docker = (await dockerClient()).container.dockerode;
  const raw = (await docker
    .getContainer(id)
    .logs({ stdout: true, stderr: true, follow: false, tail: lines })) as unknown as Buffer;
  // Without a TTY the engine multiplexes: an 8-byte header (stream, 0, 0, 0, length) per frame.
  const parts: Buffer[] = [];
  for (let at = 0; at + 8 <= raw.length; ) {
    const size = raw.readUInt32BE(at + 4);
    parts.push(raw.subarray(at + 8, at + 8 + size));
    at += 8 + size;
  }
  return Buffer.concat(parts).toString('utf8').trimEnd();
}

interface MemoryStats {
  usage?: number;
  stats?: { total_inactive_file?: number; inactive_file?: number };
}

/** The container's memory now (one-shot stats: no second sample, so no 1 s wait). */
export async function readMemory(id: string): Promise<NodeMemory> {
  const docker = (await dockerClient()).container.dockerode;
  const stats = (await docker
    .getContainer(id)
    .stats({ stream: false, 'one-shot': true } as { stream: false })) as {
    memory_stats?: MemoryStats;
  };
  const memory = stats.memory_stats ?? {};
  const usage = memory.usage ?? 0;
  // cgroup v1 names it total_inactive_file, v2 inactive_file.
  const inactive = memory.stats?.total_inactive_file ?? memory.stats?.inactive_file ?? 0;
  return { usageBytes: usage, workingSetBytes: Math.max(0, usage - inactive) };
}
