/**
 * Registries under benchmark, each as its own process so its memory can be read from /proc:
 * the pullstorm stub (`pullstorm serve`) and Debian's distribution registry (`docker-registry`).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** A registry process under measurement. */
export interface BenchRegistry {
  name: string;
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** Resident set size of a process in bytes (VmRSS), or its peak (VmHWM). */
export async function rssBytes(pid: number, field: 'VmRSS' | 'VmHWM' = 'VmRSS'): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1]);
  return kb * 1024;
}

/** Samples RSS every `everyMs` until stopped; returns the maximum seen. */
export function sampleRss(pid: number, everyMs = 50): { stop(): Promise<number> } {
  let max = 0;
  const timer = setInterval(() => {
    rssBytes(pid).then(
      (v) => {
        max = Math.max(max, v);
      },
      () => {},
    );
  }, everyMs);
  return {
    async stop() {
      clearInterval(timer);
      max = Math.max(max, await rssBytes(pid));
      return max;
    },
  };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function stopper(child: ChildProcess, cleanup: () => Promise<void>): () => Promise<void> {
  return async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    await cleanup();
  };
}

/** Starts `pullstorm serve` with no fixtures on a free loopback port. */
export async function startStub(): Promise<BenchRegistry> {
  const child = spawn(process.execPath, ['harness/cli/main.ts', 'serve', '--port', '0', '--no-fixtures'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) =>
      reject(new Error(`pullstorm serve exited with ${code} before it was ready`)),
    );
  });
  const ready = JSON.parse(first) as { url: string };
  return { name: 'pullstorm stub', url: ready.url, pid: child.pid!, stop: stopper(child, async () => {}) };
}

/** Starts Debian's distribution registry (`docker-registry serve`) with filesystem storage in a temp dir. */
export async function startDistribution(): Promise<BenchRegistry> {
  const dir = await mkdtemp(join(tmpdir(), 'pullstorm-bench-distribution-'));
  const port = await freePort();
  const config = [
    'version: 0.1',
    'log: { level: error, accesslog: { disabled: true } }',
    `storage: { filesystem: { rootdirectory: ${dir}/data }, delete: { enabled: true } }`,
    `http: { addr: 127.0.0.1:${port} }`,
  ].join('\n');
  await writeFile(join(dir, 'config.yml'), config);
  const child = spawn('docker-registry', ['serve', join(dir, 'config.yml')], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    const ok = await fetch(`${url}/v2/`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) break;
    if (child.exitCode !== null || Date.now() > deadline)
      throw new Error('docker-registry did not become ready within 15 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    name: 'distribution 2.8 (docker-registry)',
    url,
    pid: child.pid!,
    stop: stopper(child, () => rm(dir, { recursive: true, force: true })),
  };
}
