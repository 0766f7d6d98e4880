/**
 * Running the real `pullstorm` CLI for the runner's end-to-end tests: a child process (Node 24, the
 * same binary as the test runner) with its own state root, so each test sees only its own nodes.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LogEvent } from '../../harness/events/run-events.ts';
import { cleanRuns } from '../../harness/run/clean.ts';

/** What a finished CLI run printed and returned. */
export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A started CLI process. */
export interface CliProcess {
  child: ChildProcess;
  /** Everything written to stderr so far. */
  stderr(): string;
  done: Promise<CliResult>;
}

const made: string[] = [];

/** A fresh directory under the system temp dir, removed by {@link removeTempDirs}. */
export async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `pullstorm-test-${prefix}-`));
  made.push(dir);
  return dir;
}

/** Removes every directory {@link tempDir} made (call from afterAll, after any teardown). */
export async function removeTempDirs(): Promise<void> {
  await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

/** Starts `pullstorm <args>` with `env` added to this process's environment. */
export function startCli(args: string[], env: Record<string, string> = {}): CliProcess {
  const child = spawn(process.execPath, ['harness/cli/main.ts', ...args], {
    env: { ...process.env, CI: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => {
    stdout += d;
  });
  child.stderr!.on('data', (d) => {
    stderr += d;
  });
  const done = new Promise<CliResult>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, stderr: () => stderr, done };
}

/** Runs `pullstorm <args>` to the end. */
export function cli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return startCli(args, env).done;
}

/** Resolves once `check()` holds, polling every 100 ms; rejects after `timeoutMs`. */
export async function until(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The events of a run directory's log. */
export async function events(runDir: string): Promise<LogEvent[]> {
  const text = await readFile(join(runDir, 'events.jsonl'), 'utf8');
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as LogEvent);
}

/** Entries of `dir`, or none when it does not exist. */
export async function entries(dir: string): Promise<string[]> {
  return readdir(dir).catch(() => []);
}

/** Mount points at or under `dir`. */
export async function mountsUnder(dir: string): Promise<string[]> {
  const info = await readFile('/proc/self/mountinfo', 'utf8');
  return info
    .split('\n')
    .map((line) => line.split(' ')[4] ?? '')
    .filter((p) => p === dir || p.startsWith(`${dir}/`));
}

/** Pids of containerd daemons whose command line mentions `dir`. */
export async function containerdUnder(dir: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const argv = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (argv.startsWith('containerd') && argv.includes(dir)) pids.push(Number(entry));
  }
  return pids;
}

/**
 * Removes whatever runs under each state root left (node state only: Docker containers of every run
 * would include other tests' running ones), then the temp dirs: for afterAll, so a failed assertion's
 * leftovers never outlive the test run.
 */
export async function cleanStatesAndTempDirs(states: readonly string[]): Promise<void> {
  for (const state of states) {
    process.env.PULLSTORM_STATE_DIR = state;
    await cleanRuns({ docker: false }).catch(() => undefined);
  }
  delete process.env.PULLSTORM_STATE_DIR;
  await removeTempDirs();
}
