/**
 * Where started mirrors keep their files, and what `pullstorm clean` needs to find a killed run's
 * mirror processes: `<state root>-mirrors/<key>/<mirror>/` with `mirror.json` naming the run,
 * the harness's pid and the mirror's pid. A sibling of the node state root, so node clean-up never
 * mistakes a mirror directory for a containerd node.
 */
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { unmountCacheDisk } from './disk.ts';

/** The marker of a mirror's directory. */
export interface MirrorMarker {
  runId: string;
  mirror: string;
  type: string;
  /** The pullstorm process that started it. */
  harnessPid: number;
  /** The mirror process (nginx master, docker-registry). */
  pid: number;
}

export const MIRROR_MARKER = 'mirror.json';

/** `<stateRoot>-mirrors`. */
export function mirrorsRoot(stateRoot: string): string {
  return `${stateRoot}-mirrors`;
}

/** Creates and returns a fresh directory for mirror `name` of run `runId`. */
export async function mirrorDirectory(root: string, runId: string, name: string): Promise<string> {
  const key = [...crypto.getRandomValues(new Uint8Array(4))]
    .map((b) => b.toString(16).padStart(2, '0'))
    .join('');
  const dir = join(root, `${key}-${name}`);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await writeFile(join(dir, 'run-id'), `${runId}\n`);
  return dir;
}

/** Records the started process in `mirror.json`. */
export async function writeMirrorMarker(dir: string, marker: MirrorMarker): Promise<void> {
  await writeFile(join(dir, MIRROR_MARKER), `${JSON.stringify(marker, null, 2)}\n`);
}

/** Whether process `pid` exists (EPERM: it does, owned by someone else). */
export const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Whether `pid` still runs a command line that names `dir` (so a reused pid is left alone). */
async function runsIn(pid: number, dir: string): Promise<boolean> {
  const argv = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  return argv.includes(dir);
}

/**
 * Stops the mirror processes of killed runs (or of `runId` only) and removes their directories;
 * returns `<runId>/<mirror>` of each one removed and notes for those left alone.
 */
export async function cleanMirrors(
  root: string,
  runId?: string,
): Promise<{ mirrors: string[]; notes: string[] }> {
  const mirrors: string[] = [];
  const notes: string[] = [];
  for (const key of await readdir(root).catch(() => [] as string[])) {
    const dir = join(root, key);
    const owner = (await readFile(join(dir, 'run-id'), 'utf8').catch(() => '')).trim();
    const marker = await readFile(join(dir, MIRROR_MARKER), 'utf8')
      .then((t) => JSON.parse(t) as MirrorMarker)
      .catch(() => undefined);
    if (runId !== undefined && owner !== runId) continue;
    if (marker && marker.harnessPid !== process.pid && alive(marker.harnessPid)) {
      notes.push(
        `mirror ${marker.mirror} of run ${marker.runId} is in use (pid ${marker.harnessPid}); left alone`,
      );
      continue;
    }
    if (marker && alive(marker.pid) && (await runsIn(marker.pid, dir))) {
      process.kill(marker.pid, 'SIGTERM');
      for (let i = 0; i < 50 && alive(marker.pid); i++) await sleep(100);
      if (alive(marker.pid) && (await runsIn(marker.pid, dir))) process.kill(marker.pid, 'SIGKILL');
    }
    await unmountCacheDisk(dir); // a full-disk mirror's tmpfs; nothing when there is none
    await rm(dir, { recursive: true, force: true });
    mirrors.push(`${owner || '?'}/${marker?.mirror ?? key}`);
  }
  return { mirrors, notes };
}
