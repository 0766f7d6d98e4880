/**
 * Starting one real mirror for a run: its directory under the mirrors state root, the process
 * (distribution or nginx) on a free loopback port, pointed at the origin's own door, and one
 * fault door per node in front of it. On failure everything made so far goes, and the error says
 * what to do (install a package, read the log tail).
 */

import { rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { NetFaultEvent } from '../../registry-stubs/faults/net/index.ts';
import {
  followLog,
  type MirrorRequest,
  parseDistributionLine,
  parseDistributionStoreError,
  parseNginxLine,
} from './access-log.ts';
import { mountCacheDisk, unmountCacheDisk } from './disk.ts';
import { startDistribution } from './distribution.ts';
import { type MirrorDoors, openMirrorDoors } from './doors.ts';
import { startNginx } from './nginx.ts';
import type { MirrorProcess } from './process.ts';
import { MIRROR_BINARIES, type ProcessMirrorType } from './requirements.ts';
import { mirrorDirectory, writeMirrorMarker } from './state.ts';

/** Options of {@link startProcessMirror}. */
export interface StartMirrorOptions {
  runId: string;
  /** The mirror's name in the scenario. */
  name: string;
  type: ProcessMirrorType;
  /** `http://host:port` of the origin's door reserved for the mirror. */
  origin: string;
  /** Origin credentials (distribution only); default anonymous. */
  credentials?: { username: string; password: string };
  /** nginx `proxy_cache_lock`; default true. */
  lock?: boolean;
  /** The mirrors state root (`mirrorsRoot(stateRoot())`). */
  root: string;
  /** One door per node. */
  endpoints: readonly { name: string; host: string }[];
  onFaultEvent?: (event: NetFaultEvent) => void;
  now?: () => number;
  /** Each request the mirror answered, read from its log (≤ 200 ms late); default none. */
  onRequest?: (request: MirrorRequest) => void;
  /** Each failure to store a fetched blob the mirror logged (distribution); default none. */
  onStoreError?: (message: string) => void;
  /** Keep the directory (cache, config, log) after close; default false. */
  retain?: boolean;
  /** Put the cache on a tmpfs of this size (a full-disk mirror; distribution, root); default unlimited. */
  diskBytes?: number;
}

/** A started mirror: its doors (faults), process (log) and directory. */
export interface StartedMirror extends MirrorDoors {
  /** Reads the log's last lines now, so the requests reach `onRequest` before the run is analysed. */
  drain(): Promise<void>;
  readonly dir: string;
  readonly url: string;
  readonly process: MirrorProcess;
}

/** A port free on 127.0.0.1 right now (the mirror binds it a moment later). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Follows the mirror's log: distribution's requests and store errors, nginx's access log. */
function follow(o: StartMirrorOptions, dir: string, onRequest: (r: MirrorRequest) => void) {
  if (o.type !== 'distribution') return followLog(join(dir, 'access.log'), parseNginxLine, onRequest);
  const onStoreError = o.onStoreError;
  type Entry = { request: MirrorRequest } | { storeError: string };
  const parse = (line: string): Entry | undefined => {
    const request = parseDistributionLine(line);
    if (request) return { request };
    const storeError = onStoreError && parseDistributionStoreError(line);
    return storeError ? { storeError } : undefined;
  };
  return followLog(join(dir, 'mirror.log'), parse, (e) => {
    if ('request' in e) onRequest(e.request);
    else onStoreError?.(e.storeError);
  });
}

/** Starts the mirror and its doors; on failure stops what started and removes its directory. */
export async function startProcessMirror(o: StartMirrorOptions): Promise<StartedMirror> {
  const dir = await mirrorDirectory(o.root, o.runId, o.name);
  const what = `mirror ${o.name} (${MIRROR_BINARIES[o.type].what})`;
  let proc: MirrorProcess | undefined;
  try {
    if (o.diskBytes) await mountCacheDisk(dir, o.diskBytes);
    const port = await freePort();
    const common = { dir, port, origin: o.origin, name: o.name };
    proc =
      o.type === 'distribution'
        ? await startDistribution({ ...common, ...(o.credentials ? { credentials: o.credentials } : {}) })
        : await startNginx({ ...common, ...(o.lock === undefined ? {} : { lock: o.lock }) });
    await writeMirrorMarker(dir, {
      runId: o.runId,
      mirror: o.name,
      type: o.type,
      harnessPid: process.pid,
      pid: proc.pid,
    });
    const doors = await openMirrorDoors({
      what,
      endpoints: o.endpoints,
      port,
      ...(o.onFaultEvent ? { onFaultEvent: o.onFaultEvent } : {}),
      ...(o.now ? { now: o.now } : {}),
    });
    const started = proc;
    const follower = o.onRequest ? follow(o, dir, o.onRequest) : undefined;
    return {
      ...doors,
      dir,
      url: `http://127.0.0.1:${port}`,
      process: started,
      drain: async () => {
        await follower?.drain();
      },
      async close() {
        await doors.close();
        await started.stop();
        await follower?.stop();
        if (o.diskBytes && !o.retain) await unmountCacheDisk(dir);
        if (!o.retain) await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await proc?.stop().catch(() => undefined);
    if (o.diskBytes) await unmountCacheDisk(dir);
    // Nothing is left behind: the error already carries the log's tail.
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
