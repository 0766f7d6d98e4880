/**
 * Waiting for a socket's kernel send queue to empty before an RST. A reset with SO_LINGER 0
 * throws away whatever the peer has not yet taken, so without this wait a client that reads a
 * little slower gets far fewer than `afterBytes` (seen: 128 kB of 1 MiB). Node exposes no
 * SIOCOUTQ, so the queue is read from /proc/net/tcp{,6} (`tx_queue`), one shared poll for all
 * waiting sockets. Where /proc is not there (not Linux) the wait ends at once.
 */
import { readFile } from 'node:fs/promises';
import type { Socket } from 'node:net';

/** How often the poll reads /proc while anything waits: 5 ms. */
const POLL_MS = 5;

interface Waiter {
  key: string;
  until: number;
  resolve: () => void;
}

const waiters = new Set<Waiter>();
let polling = false;

/** Resolves when `socket`'s send queue is empty, it closed, or `maxMs` passed. */
export function drained(socket: Socket, maxMs: number): Promise<void> {
  const { localPort, remotePort } = socket;
  if (maxMs <= 0 || localPort === undefined || remotePort === undefined || socket.destroyed)
    return Promise.resolve();
  return new Promise((resolve) => {
    waiters.add({
      key: `${hexPort(localPort)} ${hexPort(remotePort)}`,
      until: performance.now() + maxMs,
      resolve,
    });
    if (!polling) void poll();
  });
}

async function poll(): Promise<void> {
  polling = true;
  // Bounded: each waiter leaves by its deadline at the latest, and the loop ends with the last one.
  while (waiters.size > 0) {
    const queues = await sendQueues();
    const now = performance.now();
    for (const waiter of waiters) {
      const queued = queues?.get(waiter.key);
      if (queues === undefined || queued === undefined || queued === 0 || now >= waiter.until) {
        waiters.delete(waiter);
        waiter.resolve();
      }
    }
    if (waiters.size > 0) await new Promise((r) => setTimeout(r, POLL_MS));
  }
  polling = false;
}

/** `localPort remotePort` (hex, as /proc writes them) → tx_queue bytes; undefined without /proc. */
async function sendQueues(): Promise<Map<string, number> | undefined> {
  const tables = await Promise.all(
    ['/proc/net/tcp', '/proc/net/tcp6'].map((path) => readFile(path, 'latin1').catch(() => undefined)),
  );
  if (tables.every((t) => t === undefined)) return undefined;
  const queues = new Map<string, number>();
  for (const table of tables) {
    for (const line of table?.split('\n').slice(1) ?? []) {
      // sl local_address rem_address st tx_queue:rx_queue …
      const [, local, remote, , queue] = line.trim().split(/\s+/);
      if (local === undefined || remote === undefined || queue === undefined) continue;
      const key = `${local.slice(local.lastIndexOf(':') + 1)} ${remote.slice(remote.lastIndexOf(':') + 1)}`;
      queues.set(key, Number.parseInt(queue.slice(0, queue.indexOf(':')), 16));
    }
  }
  return queues;
}

function hexPort(port: number): string {
  return port.toString(16).toUpperCase().padStart(4, '0');
}
