/**
 * What one PullImage call owns: its transports (containerd builds fresh ones for every pull in
 * ConfigureHosts, one per distinct TLS setting), its cancellation, and the CRI plugin's pull
 * progress timeout (containerd ≥ 1.7.10, `image_pull_progress_timeout`, default 5 min): when no
 * body byte arrives for that long the pull is cancelled and fails with `context canceled`.
 */
import type { RegistryHost } from './hosts.ts';
import type { PullSession } from './request.ts';
import { createTransport, type Transport } from './transport.ts';

/** Settings a session takes from its node. */
export interface SessionOptions {
  localAddress: string | undefined;
  dialTimeoutMs: number;
  tlsHandshakeTimeoutMs: number;
  /** 0 disables the timeout (containerd < 1.7, or `image_pull_progress_timeout = "0"`). */
  progressTimeoutMs: number;
  userAgent: string;
  /** The node's signal: closing the node cancels its pulls. */
  nodeSignal: AbortSignal;
  onExchange(): void;
  onBytes(bytes: number): void;
}

/** A pull session plus what only its owner may do. */
export interface OwnedSession extends PullSession {
  /** Cancels every request of the pull (an errgroup's first failure does this). */
  cancel(): void;
  /** Drops every connection and stops the progress timer. */
  close(): void;
}

/** Opens a session for one pull. */
export function openSession(o: SessionOptions): OwnedSession {
  const controller = new AbortController();
  const signal = AbortSignal.any([controller.signal, o.nodeSignal]);
  const transports = new Map<string, Transport>();
  let last = Date.now();
  let timer: NodeJS.Timeout | undefined;
  // One timer per pull, re-armed lazily: progress only stamps a time, so chunks cost nothing.
  const arm = (delay: number) => {
    timer = setTimeout(() => {
      const idle = Date.now() - last;
      if (idle >= o.progressTimeoutMs) controller.abort();
      else arm(o.progressTimeoutMs - idle);
    }, delay);
    timer.unref();
  };
  if (o.progressTimeoutMs > 0) arm(o.progressTimeoutMs);
  return {
    signal,
    headers: { 'user-agent': o.userAgent },
    onExchange: o.onExchange,
    progress(bytes) {
      last = Date.now();
      o.onBytes(bytes);
    },
    transport(host: RegistryHost) {
      const key = `${host.skipVerify}|${host.caPem?.join('') ?? ''}`;
      let transport = transports.get(key);
      if (transport === undefined) {
        transport = createTransport({
          localAddress: o.localAddress,
          caPem: host.caPem,
          skipVerify: host.skipVerify,
          dialTimeoutMs: o.dialTimeoutMs,
          tlsHandshakeTimeoutMs: o.tlsHandshakeTimeoutMs,
        });
        transports.set(key, transport);
      }
      return transport;
    },
    cancel: () => controller.abort(),
    close() {
      clearTimeout(timer);
      for (const t of transports.values()) t.close();
      transports.clear();
    },
  };
}
