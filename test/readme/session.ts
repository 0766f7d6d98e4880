/**
 * Runs a document's shell blocks as a reader would at a fresh checkout: in order, in one scratch
 * directory whose entries link to the repository's (so `npx pullstorm` and `scenarios/…` resolve,
 * while `./tls`, `ready.json` and run directories stay out of the tree), with `pullstorm` on PATH
 * as after `npm install -g` and the project's Node 24 as `node`. The scratch path is the same for
 * every run from one checkout, because npx records each package directory it runs from in its
 * cache (~/.npm/_npx). Every block gets its own process group, so whatever it leaves running is
 * stopped (SIGINT, as Ctrl-C, then SIGKILL). Output goes to a file, not a pipe: a background
 * server keeps an inherited pipe open long after the block itself exited.
 */

import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { chmod, mkdir, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const REPO = resolve(import.meta.dirname, '../..');

/** How one command ended. */
export interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
  timedOut: boolean;
}

/** One document's terminal. */
export interface Session extends AsyncDisposable {
  dir: string;
  /** Runs `code` with `bash -e` and waits for it to end (or kills it after `timeoutMs`). */
  run(code: string, timeoutMs: number): Promise<Ended>;
  /** Starts `command`, waits until its output contains `ready`, then stops it. */
  server(command: string, ready: string, timeoutMs: number): Promise<Ended & { ready: boolean }>;
  /** Starts `code` and waits until its output contains `ready`; `stop()` ends it as Ctrl-C would. */
  background(code: string, ready: string, timeoutMs: number): Promise<Background>;
}

/** A block left running in a terminal of its own. */
export interface Background {
  ready: boolean;
  output(): string;
  stop(): Promise<Ended>;
}

/** A fresh scratch directory and environment for one document. */
export async function openSession(name: string): Promise<Session> {
  const checkout = createHash('sha256').update(REPO).digest('hex').slice(0, 8);
  const dir = join(tmpdir(), `pullstorm-readme-${checkout}-${name.replace(/\W+/g, '-')}`);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir);
  for (const entry of await readdir(REPO)) {
    if (entry === '.git' || entry === 'pullstorm-runs') continue;
    await symlink(join(REPO, entry), join(dir, entry));
  }
  const bin = join(dir, '.readme-bin');
  await mkdir(bin);
  await writeFile(join(bin, 'pullstorm'), `#!/bin/sh\nexec node "${REPO}/harness/cli/main.ts" "$@"\n`);
  await chmod(join(bin, 'pullstorm'), 0o755);
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    // The reader's terminal has none of the test run's pullstorm settings.
    if (v !== undefined && !k.startsWith('PULLSTORM_') && !k.startsWith('VITEST') && k !== 'NODE_OPTIONS')
      env[k] = v;
  }
  env.PATH = [bin, join(REPO, 'node_modules/.bin'), process.env.PATH].join(':');
  const groups: ChildProcess[] = [];
  let n = 0;

  const start = (code: string) => {
    const log = join(dir, `.readme-out-${++n}.log`);
    const fd = openSync(log, 'w');
    const child = spawn('bash', ['-e', '-c', code], {
      cwd: dir,
      env,
      detached: true,
      stdio: ['ignore', fd, fd],
    });
    closeSync(fd);
    groups.push(child);
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
      child.once('exit', (code, signal) => done({ code, signal })),
    );
    return { child, exited, output: () => readFileSync(log, 'utf8') };
  };

  const run: Session['run'] = async (code, timeoutMs) => {
    const { child, exited, output } = start(code);
    const timer = sleep(timeoutMs).then(() => 'timeout' as const);
    const first = await Promise.race([exited, timer]);
    if (first === 'timeout') {
      killGroup(child, 'SIGKILL');
      return { ...(await exited), output: output(), timedOut: true };
    }
    return { ...first, output: output(), timedOut: false };
  };

  const background: Session['background'] = async (code, ready, timeoutMs) => {
    const { child, exited, output } = start(code);
    let ended = false;
    void exited.then(() => {
      ended = true;
    });
    const until = Date.now() + timeoutMs;
    while (!ended && !output().includes(ready) && Date.now() < until) await sleep(100);
    const isReady = output().includes(ready);
    const timedOut = !isReady && !ended;
    return {
      ready: isReady,
      output,
      async stop() {
        killGroup(child, 'SIGINT');
        const stopped = await Promise.race([exited, sleep(15_000).then(() => undefined)]);
        if (stopped === undefined) killGroup(child, 'SIGKILL');
        return { ...(await exited), output: output(), timedOut };
      },
    };
  };

  const server: Session['server'] = async (command, ready, timeoutMs) => {
    const started = await background(command, ready, timeoutMs);
    return { ...(await started.stop()), ready: started.ready };
  };

  return {
    dir,
    run,
    server,
    background,
    async [Symbol.asyncDispose]() {
      // SIGINT first: pullstorm serve and run tear down on it; then whatever is left.
      for (const child of groups) killGroup(child, 'SIGINT');
      await sleep(groups.length > 0 ? 1000 : 0);
      for (const child of groups) killGroup(child, 'SIGKILL');
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Signals the process group `child` leads; a group already gone is fine. */
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, signal);
  } catch {
    // ESRCH: nothing left in the group.
  }
}
