/**
 * A mirror process (distribution, nginx) as the harness runs it: spawned with its own directory
 * (config, cache, log), waited for until `GET /v2/` answers, stopped with SIGTERM then SIGKILL.
 * A mirror that never answers fails with the tail of its log, because that is where distribution
 * and nginx say why (a bad config line, a port in use).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { open, readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

/** The mirror never answered; the message carries its log tail. */
export class MirrorNotReadyError extends Error {
  override name = 'MirrorNotReadyError';
  /** Stable code for callers that catch it. */
  readonly code = 'MIRROR_NOT_READY';
}

/** Options of {@link spawnMirror}. */
export interface SpawnMirrorOptions {
  /** What the errors call it, e.g. `mirror cache (distribution)`. */
  what: string;
  bin: string;
  args: string[];
  /** File that receives stdout and stderr. */
  logFile: string;
  /** `http://host:port` probed with `GET /v2/`. */
  url: string;
  /** How long to wait for an answer; default 15 s. */
  readyTimeoutMs?: number;
}

/** A running mirror process. */
export interface MirrorProcess {
  readonly pid: number;
  /** The last `lines` lines of its log. */
  logTail(lines?: number): Promise<string>;
  /** SIGTERM, then SIGKILL after 5 s; idempotent. */
  stop(): Promise<void>;
}

/** The last `lines` lines of `file` (empty when it cannot be read). */
export async function tailOf(file: string, lines = 20): Promise<string> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Spawns the mirror and resolves once `GET /v2/` answers with any HTTP status. */
export async function spawnMirror(o: SpawnMirrorOptions): Promise<MirrorProcess> {
  const log = await open(o.logFile, 'a');
  const child = spawn(o.bin, o.args, { stdio: ['ignore', log.fd, log.fd], detached: false });
  await log.close();
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));
  let stopped: Promise<void> | undefined;
  const mirror: MirrorProcess = {
    pid: child.pid ?? -1,
    logTail: (lines) => tailOf(o.logFile, lines),
    stop() {
      stopped ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill('SIGTERM');
        const done = await Promise.race([exited(child).then(() => true), sleep(5_000).then(() => false)]);
        if (!done) {
          child.kill('SIGKILL');
          await exited(child);
        }
      })();
      return stopped;
    },
  };
  const deadline = Date.now() + (o.readyTimeoutMs ?? 15_000);
  for (;;) {
    const failed = await Promise.race([spawnError, sleep(0).then(() => undefined)]);
    if (failed) throw new MirrorNotReadyError(`${o.what}: ${o.bin} could not start: ${failed.message}`);
    const answered = await fetch(`${o.url}/v2/`, { signal: AbortSignal.timeout(2_000) }).then(
      async (r) => {
        await r.body?.cancel();
        return true;
      },
      () => false,
    );
    if (answered) return mirror;
    const gone = child.exitCode !== null || child.signalCode !== null;
    if (gone || Date.now() > deadline) {
      await mirror.stop();
      const why = gone
        ? `exited with ${child.exitCode ?? child.signalCode}`
        : `did not answer ${o.url}/v2/ within ${Math.round((o.readyTimeoutMs ?? 15_000) / 1000)} s`;
      const tail = await tailOf(o.logFile);
      throw new MirrorNotReadyError(`${o.what} ${why}; last lines of ${o.logFile}:\n${tail || '(empty)'}`);
    }
    await sleep(100);
  }
}
