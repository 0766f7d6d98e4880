/**
 * A pull worker: hosts virtual nodes for the main thread (worker-pool.ts) so that their HTTP
 * parsing and digest hashing run on another core. It owns no clock and no kubelet state: the main
 * thread keeps the run clock, the kubelet model and the events, and counts each call as work in
 * flight until its answer arrives. Virtual nodes time out on the wall clock, the same in any thread.
 */
import { parentPort } from 'node:worker_threads';
import { CriError } from '../containerd/cri/errors.ts';
import { createVirtualNode, type VirtualNode } from './node.ts';
import type { FromWorker, ToWorker, WireError } from './worker-protocol.ts';

if (parentPort === null) throw new Error('worker-host.ts runs only as a worker thread (worker-pool.ts)');
const port = parentPort;
const nodes = new Map<number, VirtualNode>();
/** Calls in flight per node: a close answers only after they did, so the pool can end the thread. */
const inflight = new Map<number, Set<Promise<void>>>();

function wire(err: unknown): WireError {
  if (err instanceof CriError)
    return { kind: 'cri', method: err.method, code: err.code, details: err.details };
  const e = err instanceof Error ? err : new Error(String(err));
  return { kind: 'other', name: e.name, message: e.message };
}

async function answer(id: number, node: VirtualNode, work: () => Promise<unknown>): Promise<void> {
  let reply: FromWorker;
  try {
    const value = await work();
    reply = { type: 'result', id, value, stats: node.stats() };
  } catch (err) {
    reply = { type: 'error', id, error: wire(err), stats: node.stats() };
  }
  port.postMessage(reply);
}

port.on('message', (m: ToWorker) => {
  if (m.type === 'create') {
    // Options were validated on the main thread; a failure here is a bug, and crashes the worker loudly.
    nodes.set(m.node, createVirtualNode(m.options));
    inflight.set(m.node, new Set());
    return;
  }
  const node = nodes.get(m.node);
  if (node === undefined) {
    const error: WireError = { kind: 'other', name: 'Error', message: `pull worker: no node #${m.node}` };
    const stats = { pulls: 0, failures: 0, requests: 0, bytes: 0 };
    port.postMessage({ type: 'error', id: m.id, error, stats } satisfies FromWorker);
    return;
  }
  if (m.type === 'close') {
    void answer(m.id, node, async () => {
      await node.close();
      await Promise.allSettled(inflight.get(m.node) ?? []);
      nodes.delete(m.node);
      inflight.delete(m.node);
    });
    return;
  }
  const [image, options] = m.args;
  const calls = inflight.get(m.node)!;
  const call = answer(m.id, node, () => {
    switch (m.method) {
      case 'pullImage':
        return node.pullImage(image!, options);
      case 'imageStatus':
        return node.imageStatus(image!);
      case 'removeImage':
        return node.removeImage(image!);
      case 'listImages':
        return node.listImages();
      case 'imageFsInfo':
        return node.imageFsInfo();
    }
  });
  calls.add(call);
  void call.finally(() => calls.delete(call));
});
