/**
 * A marker per kind cluster a run creates, so `pullstorm clean` can tell a killed run's cluster (delete
 * it, unmount its tmpfs roots) from a live run's (leave it). Kept beside the state root, in
 * `<state root>-kind/<cluster>.json`, not inside it: the state root's directories are containerd
 * nodes to `cleanRuns`, and a kind directory there would be torn down as one.
 */
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stateRoot } from '../names.ts';

/** What a marker records. */
export interface KindMarker {
  cluster: string;
  runId: string;
  /** The pullstorm process; its cluster is left alone while it lives. */
  pid: number;
  /** tmpfs containerd roots mounted on the host for this cluster. */
  roots: string[];
}

/** Where markers live: `$PULLSTORM_STATE_DIR-kind`, default `<tmpdir>/pullstorm-kind`. */
export function markersDir(): string {
  return `${stateRoot()}-kind`;
}

/** Writes (or replaces) the marker of `marker.cluster`. */
export async function writeMarker(marker: KindMarker, dir = markersDir()): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, `${marker.cluster}.json`), `${JSON.stringify(marker, null, 2)}\n`);
}

/** Removes the marker of `cluster`. */
export async function removeMarker(cluster: string, dir = markersDir()): Promise<void> {
  await rm(join(dir, `${cluster}.json`), { force: true });
}

/** Every readable marker, by cluster name. */
export async function readMarkers(dir = markersDir()): Promise<Map<string, KindMarker>> {
  const markers = new Map<string, KindMarker>();
  for (const file of await readdir(dir).catch(() => [] as string[])) {
    if (!file.endsWith('.json')) continue;
    const marker = await readFile(join(dir, file), 'utf8')
      .then((t) => JSON.parse(t) as KindMarker)
      .catch(() => undefined);
    if (marker?.cluster) markers.set(marker.cluster, marker);
  }
  return markers;
}

/** Whether process `pid` lives (EPERM: it lives, as another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
