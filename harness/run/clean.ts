/**
 * What `pullstorm clean` removes: the state a killed run left under the state root — containerd
 * daemons, their shims and pod processes, tmpfs and overlay mounts, cgroups, node directories —
 * through the containerd backend's own teardown, so a clean removes exactly what a normal stop
 * would. A run whose pullstorm process still lives is left alone. Docker containers are found by
 * label (`cleanupContainers`); Docker being absent is a note, not an error.
 */
import { readdir, readFile, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { teardownNode } from '../backends/containerd/teardown.ts';
import { RUN_MARKER, type RunMarker, stateRoot } from '../backends/names.ts';
import { cleanupContainers, cleanupImages } from '../containers/cleanup.ts';
import { alive, cleanMirrors, mirrorsRoot } from '../mirrors/state.ts';

/** What a clean did. */
export interface CleanReport {
  /** Run ids (or state directories without one) whose state was removed. */
  runs: string[];
  /** Node directories torn down. */
  nodes: string[];
  containers: string[];
  images: string[];
  /** Mirror processes (distribution, nginx) stopped and their directories removed, as `<run id>/<mirror>`. */
  mirrors: string[];
  /** Runs left alone and steps that could not run, for the user. */
  notes: string[];
}

/** Pids of containerd daemons started with a config file under `dir`. */
async function daemonsUnder(dir: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(entry)) continue;
    const argv = (await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '')).split('\0');
    const config = argv[argv.indexOf('--config') + 1];
    if (basename(argv[0] ?? '') === 'containerd' && config?.startsWith(`${dir}/`)) pids.push(Number(entry));
  }
  return pids;
}

/** Stops a leftover node's daemon, then runs the backend's teardown on its directory. */
async function cleanNode(dir: string, runId: string): Promise<void> {
  for (const pid of await daemonsUnder(dir)) process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 50 && (await daemonsUnder(dir)).length > 0; i++) await sleep(100);
  for (const pid of await daemonsUnder(dir)) process.kill(pid, 'SIGKILL');
  const marker = await readFile(join(dir, 'pullstorm-node.json'), 'utf8')
    .then((t) => JSON.parse(t) as { name?: string; cgroupParent?: string })
    .catch(() => ({}) as { name?: string; cgroupParent?: string });
  await teardownNode({
    name: marker.name ?? basename(dir),
    dir,
    socket: join(dir, 'containerd.sock'),
    state: join(dir, 'state'),
    // node.ts names it so; the marker is missing when the daemon never answered.
    cgroupParent: marker.cgroupParent ?? `/pullstorm/${runId}/${basename(dir)}`,
    proc: undefined,
    running: () => false,
    cri: undefined,
    retain: false,
  });
}

/** Options of {@link cleanRuns}. */
export interface CleanOptions {
  /** Only this run; default every run whose process is gone. */
  runId?: string;
  /** Also remove pullstorm's built Docker images; default false. */
  images?: boolean;
  /** Also remove Docker containers by label; default true (false: node state only). */
  docker?: boolean;
}

/** Removes what killed runs left under the state root, and their Docker containers. */
export async function cleanRuns(options: CleanOptions = {}): Promise<CleanReport> {
  const report: CleanReport = { runs: [], nodes: [], containers: [], images: [], mirrors: [], notes: [] };
  const root = stateRoot();
  for (const key of await readdir(root).catch(() => [] as string[])) {
    const dir = join(root, key);
    const marker = await readFile(join(dir, RUN_MARKER), 'utf8')
      .then((t) => JSON.parse(t) as RunMarker)
      .catch(() => undefined);
    if (options.runId !== undefined && marker?.runId !== options.runId) continue;
    if (marker && marker.pid !== process.pid && alive(marker.pid)) {
      report.notes.push(`run ${marker.runId} is still running (pid ${marker.pid}); left alone`);
      continue;
    }
    const runId = marker?.runId ?? key;
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const node of entries.filter((e) => e.isDirectory())) {
      try {
        await cleanNode(join(dir, node.name), runId);
        report.nodes.push(join(dir, node.name));
      } catch (error) {
        report.notes.push(`node ${join(dir, node.name)}: ${(error as Error).message}`);
      }
    }
    if (report.notes.some((n) => n.startsWith(`node ${dir}/`))) continue; // keep what could not be undone
    await rm(dir, { recursive: true, force: true });
    report.runs.push(runId);
  }
  const mirrors = await cleanMirrors(mirrorsRoot(root), options.runId);
  report.mirrors = mirrors.mirrors;
  report.notes.push(...mirrors.notes);
  if (options.docker === false) return report;
  try {
    report.containers = await cleanupContainers(options.runId);
    if (options.images) report.images = await cleanupImages();
  } catch (error) {
    report.notes.push(`docker: ${(error as Error).message.split('\n')[0]} (containers not checked)`);
  }
  return report;
}
