/**
 * Dropping SYNs on loopback without root, iptables or a namespace. Linux drops a SYN without
 * answering when the listening socket's accept queue is full (`sk_acceptq_is_full` in
 * `tcp_conn_request`; counted as TcpExtListenOverflows). So: listen on the endpoint's address
 * with a backlog of 1 in a worker thread whose event loop is blocked (Atomics.wait), so nothing
 * ever accepts; fill the queue with our own "plug" connections; from then on the client's SYNs
 * are retransmitted into silence and its connect times out — Go `dial tcp …: i/o timeout`.
 * A Node net.Server cannot do this itself: libuv accepts as fast as connections come.
 */
import { connect, type Socket } from 'node:net';
import { Worker } from 'node:worker_threads';
import type { ListenerTakeover } from './types.ts';

/** How long one probe connect may take before its SYN counts as dropped. */
const PROBE_MS = 250;
/** Most plug connections tried; a backlog of 1 needs 2 (the kernel allows backlog + 1). */
const MAX_PLUGS = 8;

// CommonJS because eval workers are scripts. The loop waits in 1 s steps until released or deadline.
const WORKER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const server = require('node:net').createServer();
server.once('error', (err) => parentPort.postMessage({ error: err.message, code: err.code }));
server.listen({ host: workerData.host, port: workerData.port, backlog: 1 }, () => {
  parentPort.postMessage({ listening: true });
  const flag = new Int32Array(workerData.flag);
  const deadline = Date.now() + workerData.maxMs;
  while (Atomics.load(flag, 0) === 0 && Date.now() < deadline) Atomics.wait(flag, 0, 0, 1000);
  server.close(); // closes the fd before the loop could accept: queued plugs get RST
});`;

/** A takeover that silently drops SYNs to `host:port` for at most `maxMs` (the safety bound). */
export function synDropListener(maxMs: number): ListenerTakeover {
  return {
    async occupy(host, port) {
      const flag = new SharedArrayBuffer(4);
      const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { host, port, maxMs, flag } });
      worker.unref();
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      const plugs: Socket[] = [];
      const release = async () => {
        Atomics.store(new Int32Array(flag), 0, 1);
        Atomics.notify(new Int32Array(flag), 0);
        const stuck = setTimeout(() => void worker.terminate(), 5000);
        await exited;
        clearTimeout(stuck);
        for (const plug of plugs) plug.destroy();
      };
      try {
        await new Promise<void>((resolve, reject) => {
          worker.once('message', (m: { listening?: true; error?: string; code?: string }) =>
            m.listening
              ? resolve()
              : reject(
                  Object.assign(new Error(`blackhole: cannot listen on ${host}:${port}: ${m.error}`), {
                    code: m.code,
                  }),
                ),
          );
          worker.once('error', reject);
        });
        const target = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
        for (let i = 0; i < MAX_PLUGS; i++) {
          const probe = connect({ host: target, port });
          probe.on('error', () => {});
          probe.unref();
          const outcome = await probeOutcome(probe);
          if (outcome === 'silent') {
            probe.destroy();
            return release;
          }
          if (outcome instanceof Error)
            throw new Error(`blackhole: probing ${host}:${port} failed: ${outcome.message}`);
          plugs.push(probe);
        }
        throw new Error(
          `blackhole: ${host}:${port} kept accepting SYNs with a full accept queue (is net.ipv4.tcp_syncookies 2?); use mode 'stall'`,
        );
      } catch (err) {
        await release();
        throw err;
      }
    },
  };
}

/** `connected`, `silent` (no answer within PROBE_MS: the SYN was dropped) or the connect error. */
function probeOutcome(socket: Socket): Promise<'connected' | 'silent' | Error> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve('silent'), PROBE_MS);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve('connected');
    });
    socket.once('error', (err) => {
      clearTimeout(timer);
      resolve(err);
    });
  });
}
