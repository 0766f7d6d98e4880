/**
 * Starts the registry stub in its own process (stub-child.ts) over an IPC channel: the bench reads
 * its CPU and memory from /proc and collects its request events when a phase ends.
 */
import { type ChildProcess, fork } from 'node:child_process';
import type { RegistryRequestEvent } from '../../registry-stubs/index.ts';

/** What the child serves: always `pullstorm/tiny:1.0`, plus `pullstorm/storm:1.0` when `large` is set. */
export interface StubChildConfig {
  large?: { sizeBytes: number; layers: number };
}

/** Parent → child. */
export type StubParentMessage = { type: 'collect' } | { type: 'stop' };

/** Child → parent. */
export type StubChildMessage =
  | { type: 'ready'; url: string; host: string; port: number }
  | { type: 'requests'; requests: RegistryRequestEvent[] };

/** A running stub process. */
export interface StubProcess {
  pid: number;
  url: string;
  /** `host:port`, as written in image references. */
  authority: string;
  /** The requests served since the last collect, and forgets them. */
  collect(): Promise<RegistryRequestEvent[]>;
  /** Stops the child (SIGKILL after 5 s); idempotent. */
  stop(): Promise<void>;
}

function next<T extends StubChildMessage['type']>(
  child: ChildProcess,
  type: T,
  timeoutMs: number,
): Promise<Extract<StubChildMessage, { type: T }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => done(new Error(`stub process: no "${type}" within ${timeoutMs} ms`)),
      timeoutMs,
    );
    const onMessage = (m: StubChildMessage) => {
      if (m.type === type) done(undefined, m as Extract<StubChildMessage, { type: T }>);
    };
    const onExit = (code: number | null) => done(new Error(`stub process exited (${code}) before "${type}"`));
    const done = (err?: Error, value?: Extract<StubChildMessage, { type: T }>) => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (err) reject(err);
      else resolve(value!);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/** Forks the stub with `config`; resolves once it listens on 127.0.0.1. */
export async function startStubProcess(config: StubChildConfig): Promise<StubProcess> {
  const child = fork(new URL('./stub-child.ts', import.meta.url), [JSON.stringify(config)], {
    execPath: process.execPath,
    // Structured clone: thousands of request events in one message without a JSON round trip.
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
      if (child.connected) child.send({ type: 'stop' } satisfies StubParentMessage);
      else child.kill('SIGTERM');
      await exited;
      clearTimeout(kill);
    })();
    return stopping;
  };
  try {
    const ready = await next(child, 'ready', 120_000);
    return {
      pid: child.pid!,
      url: ready.url,
      authority: `${ready.host}:${ready.port}`,
      async collect() {
        const reply = next(child, 'requests', 60_000);
        child.send({ type: 'collect' } satisfies StubParentMessage);
        return (await reply).requests;
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
