/**
 * One connection through a front door, from accept until close: what the faults decided for it
 * (certificate, plain HTTP, shaping) and the handles to reset or stall it later.
 */
import type { Socket } from 'node:net';
import type { SecureContext } from 'node:tls';
import { whenAborted } from './signals.ts';
import type { DoorConnection, Shaping } from './types.ts';

/** Default largest piece of response shaped at once: 64 KiB, the size Node streams write in. */
export const DEFAULT_SLICE_BYTES = 64 * 1024;

/** `ip:port` of a socket's peer, IPv6 bracketed; `unknown` once it has gone. */
export function peerOf(socket: Socket): string {
  const { remoteAddress: ip, remotePort: port } = socket;
  if (ip === undefined) return 'unknown';
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/** The door's record of a connection; the faults see it as a `DoorConnection`. */
export class Connection implements DoorConnection {
  readonly endpoint: string;
  readonly client: string;
  readonly socket: Socket;
  readonly tls: boolean;
  secureContext: SecureContext | undefined = undefined;
  plainHttp = false;
  readonly shaping: Shaping = {
    resetAfterBytes: Number.POSITIVE_INFINITY,
    resetDrainMs: 0,
    sliceBytes: DEFAULT_SLICE_BYTES,
    gates: [],
  };
  readonly #closed = new AbortController();
  readonly #stalls = new Set<AbortSignal>();
  readonly #streams: { destroy(): void }[] = [];

  constructor(endpoint: string, socket: Socket, tls: boolean) {
    this.endpoint = endpoint;
    this.socket = socket;
    this.client = peerOf(socket);
    this.tls = tls;
    this.watch(socket);
  }

  /** Aborted when the connection closes. */
  get closed(): AbortSignal {
    return this.#closed.signal;
  }

  /** Whether any stall holds the response direction now. */
  get stalled(): boolean {
    return this.#stalls.size > 0;
  }

  /** Treats `stream` closing as the connection closing (a TLS socket does not always close its raw one). */
  watch(stream: NodeJS.EventEmitter & { destroy(): void }): void {
    this.#streams.push(stream);
    stream.once('close', () => this.#closed.abort());
  }

  /** Closes every stream of the connection (FIN, not RST): what a door does when it closes. */
  destroy(): void {
    for (const stream of this.#streams) stream.destroy();
    this.#closed.abort();
  }

  reset(): void {
    // RST needs the TCP handle, which the raw socket keeps even under a TLSSocket.
    if (!this.socket.destroyed) this.socket.resetAndDestroy();
    this.#closed.abort();
  }

  stallUntil(signal: AbortSignal): void {
    if (signal.aborted || this.#closed.signal.aborted) return;
    this.#stalls.add(signal);
    signal.addEventListener('abort', () => this.#stalls.delete(signal), { once: true });
  }

  /** Resolves when no stall holds (each round drops at least one stall, so the loop ends) or the connection closed. */
  async unstalled(): Promise<void> {
    while (this.#stalls.size > 0 && !this.#closed.signal.aborted) {
      await Promise.race([whenAborted(this.#closed.signal), ...[...this.#stalls].map(whenAborted)]);
    }
  }
}
