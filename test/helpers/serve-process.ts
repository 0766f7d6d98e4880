/** Starts `pullstorm serve` as a child process (Node or Deno) and reads its ready line. */
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { ServeReady } from '../../registry-stubs/serve/serve-registry.ts';

export interface ServeProcess extends AsyncDisposable {
  ready: ServeReady;
  child: ChildProcess;
  /** Sends SIGINT and resolves with the exit code. */
  stop(): Promise<number | null>;
}

const runtimes = {
  node: [process.execPath, []],
  deno: ['node_modules/.bin/deno', ['run', '--allow-all', '--quiet']],
} as const;

export async function startServeProcess(
  args: string[],
  runtime: 'node' | 'deno' = 'node',
): Promise<ServeProcess> {
  const [bin, pre] = runtimes[runtime];
  const child = spawn(bin, [...pre, 'harness/cli/main.ts', 'serve', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => {
    stderr += d;
  });
  const first = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`serve exited ${code} before ready: ${stderr}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGINT');
    return exited;
  };
  return {
    ready: JSON.parse(first) as ServeReady,
    child,
    stop,
    [Symbol.asyncDispose]: async () => void (await stop()),
  };
}
