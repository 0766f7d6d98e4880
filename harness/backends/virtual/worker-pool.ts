/**
 * Virtual nodes spread over worker threads, so a storm's pulls (HTTP parsing, digest hashing) use
 * every core while the main thread keeps the run clock, the kubelet model and the events. Each node
 * lives in one worker (round robin); the main thread holds a {@link VirtualNode} that forwards every
 * call and rebuilds a CriError from its parts, so callers cannot tell the difference except that
 * `content()` is unavailable (the bytes stay in the worker: `keepContent` is refused).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { CriError } from '../containerd/cri/errors.ts';
import type { VirtualNode, VirtualNodeStats } from './node.ts';
import { resolveNodeOptions, type VirtualNodeOptions } from './options.ts';
import type { FromWorker, NodeMethod, ToWorker, WireError } from './worker-protocol.ts';

/** Options of {@link createVirtualNodePool}. */
export interface VirtualNodePoolOptions {
  /** Worker threads; default the machine's available parallelism. */
  threads?: number;
  /**
   * PullImage calls in flight over the whole pool; more wait for a slot (the wait is part of their
   * latency). Default unlimited. A few thousand nodes emulated on two cores otherwise open
   * thousands of connections at once, and the registry process, starved of CPU, stops accepting
   * them (dial timeouts no real fleet would see from that alone).
   */
  maxPullsInFlight?: number;
}

/** A pool of pull workers. */
export interface VirtualNodePool extends AsyncDisposable {
  readonly threads: number;
  /** Worker thread ids (as `threadId`), for per-thread CPU accounting. */
  readonly threadIds: readonly number[];
  /** A virtual node hosted by one of the workers; throws TypeError as createVirtualNode does. */
  createNode(options: VirtualNodeOptions): VirtualNode;
  /** Closes every node (pulls in flight fail with `context canceled`) and ends the workers. */
  close(): Promise<void>;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  stats: (s: VirtualNodeStats) => void;
}

function rebuild(e: WireError): Error {
  if (e.kind === 'cri') return new CriError(e.method, e.code, e.details);
  const error = new Error(e.message);
  error.name = e.name;
  return error;
}

/** One worker and the calls waiting on it. */
class PullWorker {
  readonly worker: Worker;
  readonly #pending = new Map<number, Pending>();
  #next = 0;
  #dead: Error | undefined;

  constructor() {
    this.worker = new Worker(new URL('./worker-host.ts', import.meta.url));
    this.worker.unref(); // referenced only while a call waits (see #ref)
    this.worker.on('message', (m: FromWorker) => {
      const p = this.#pending.get(m.id);
      if (p === undefined) return;
      this.#pending.delete(m.id);
      this.#ref();
      p.stats(m.stats);
      if (m.type === 'result') p.resolve(m.value);
      else p.reject(rebuild(m.error));
    });
    const fail = (error: Error) => {
      this.#dead ??= new Error(`pull worker ${this.worker.threadId} ended: ${error.message}`);
      for (const p of this.#pending.values()) p.reject(this.#dead);
      this.#pending.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`exit code ${code}`)));
  }

  #ref() {
    if (this.#pending.size > 0) this.worker.ref();
    else this.worker.unref();
  }

  post(message: ToWorker) {
    this.worker.postMessage(message);
  }

  call(build: (id: number) => ToWorker, stats: Pending['stats']): Promise<unknown> {
    if (this.#dead) return Promise.reject(this.#dead);
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, stats });
      this.#ref();
      this.post(build(id));
    });
  }
}

/** Starts `threads` pull workers. */
export function createVirtualNodePool(options: VirtualNodePoolOptions = {}): VirtualNodePool {
  const threads = options.threads ?? availableParallelism();
  if (!Number.isInteger(threads) || threads < 1)
    throw new TypeError(`threads must be an integer ≥ 1; got ${JSON.stringify(options.threads)}`);
  const slots = options.maxPullsInFlight ?? Number.POSITIVE_INFINITY;
  if (!(slots >= 1))
    throw new TypeError(`maxPullsInFlight must be ≥ 1; got ${JSON.stringify(options.maxPullsInFlight)}`);
  const workers = Array.from({ length: threads }, () => new PullWorker());
  let pulling = 0;
  const waiting: (() => void)[] = [];
  const withSlot = async <T>(pull: () => Promise<T>): Promise<T> => {
    if (pulling >= slots) await new Promise<void>((resolve) => waiting.push(resolve));
    else pulling++;
    try {
      return await pull();
    } finally {
      const next = waiting.shift();
      if (next)
        next(); // the slot passes on
      else pulling--;
    }
  };
  const nodes = new Set<VirtualNode>();
  let count = 0;

  function createNode(nodeOptions: VirtualNodeOptions): VirtualNode {
    const o = resolveNodeOptions(nodeOptions);
    if (o.keepContent)
      throw new TypeError(
        'keepContent needs an in-process node (createVirtualNode): a pool keeps bytes in its workers',
      );
    const id = count++;
    const worker = workers[id % workers.length]!;
    worker.post({ type: 'create', node: id, options: nodeOptions });
    let stats: VirtualNodeStats = { pulls: 0, failures: 0, requests: 0, bytes: 0 };
    const keep = (s: VirtualNodeStats) => {
      stats = s;
    };
    const call = <T>(method: NodeMethod, args: [string?, object?] = []) =>
      worker.call((callId) => ({ type: 'call', id: callId, node: id, method, args }), keep) as Promise<T>;
    let closing: Promise<void> | undefined;
    const close = () => {
      closing ??= (async () => {
        nodes.delete(node);
        await worker.call((callId) => ({ type: 'close', id: callId, node: id }), keep).catch(() => undefined);
      })();
      return closing;
    };
    const node: VirtualNode = {
      name: o.name,
      platform: o.platformText,
      clientAddress: o.clientAddress,
      pullImage: (image, pullOptions) => withSlot(() => call('pullImage', [image, pullOptions])),
      imageStatus: (image) => call('imageStatus', [image]),
      listImages: () => call('listImages'),
      removeImage: (image) => call('removeImage', [image]),
      imageFsInfo: () => call('imageFsInfo'),
      content: () => undefined,
      stats: () => ({ ...stats }),
      close,
      [Symbol.asyncDispose]: close,
    };
    nodes.add(node);
    return node;
  }

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      await Promise.allSettled([...nodes].map((n) => n.close()));
      await Promise.allSettled(workers.map((w) => w.worker.terminate()));
    })();
    return closing;
  };
  return {
    threads,
    threadIds: workers.map((w) => w.worker.threadId),
    createNode,
    close,
    [Symbol.asyncDispose]: close,
  };
}
