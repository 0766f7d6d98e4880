/**
 * The socket the HTTP server gets: a Duplex over the TCP or TLS socket that lets response bytes
 * through the connection's gates (latency, bandwidth), stalls and reset limit. It sits above
 * TLS so the handshake stays native and fast; shaped bytes are therefore plaintext, which
 * differs from wire bytes only by TLS record overhead (about 0.2 %).
 *
 * Node's HTTP server accepts any Duplex on 'connection'; it reads `remoteAddress` (client
 * identity), `encrypted` (Hono's URL scheme) and calls `setTimeout` (keep-alive timeout), so
 * those are forwarded from the real socket.
 */
import type { Socket } from 'node:net';
import { Duplex } from 'node:stream';
import type { Connection } from './connection.ts';
import { drained } from './drain.ts';

/** A delivered connection; looks enough like a net.Socket for `http.Server`. */
export class ShapedSocket extends Duplex {
  readonly remoteAddress: string | undefined;
  readonly remotePort: number | undefined;
  readonly remoteFamily: string | undefined;
  readonly localAddress: string | undefined;
  readonly localPort: number | undefined;
  /** True over TLS, as on a TLSSocket; undefined otherwise. */
  readonly encrypted: true | undefined;
  readonly #inner: Socket;
  readonly #conn: Connection;
  readonly #abort = new AbortController();
  #sent = 0;

  /** `inner` is the raw socket or the TLSSocket over it; `conn` holds the shaping. */
  constructor(inner: Socket, conn: Connection, encrypted: boolean) {
    super({ allowHalfOpen: true });
    const raw = conn.socket;
    this.remoteAddress = raw.remoteAddress;
    this.remotePort = raw.remotePort;
    this.remoteFamily = raw.remoteFamily;
    this.localAddress = raw.localAddress;
    this.localPort = raw.localPort;
    this.encrypted = encrypted ? true : undefined;
    this.#inner = inner;
    this.#conn = conn;
    inner.on('data', (data: Buffer) => {
      if (!this.push(data)) inner.pause();
    });
    inner.on('end', () => this.push(null));
    inner.on('error', (err) => this.destroy(err));
    inner.on('close', () => this.destroy());
    inner.on('timeout', () => this.emit('timeout'));
    conn.watch(this);
  }

  override _read(): void {
    this.#inner.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    const { shaping } = this.#conn;
    if (
      shaping.gates.length === 0 &&
      shaping.resetAfterBytes === Number.POSITIVE_INFINITY &&
      !this.#conn.stalled
    ) {
      // Pass-through: accept the next chunk as soon as the socket has buffer room, as a plain socket
      // would, instead of waiting for each chunk to reach the kernel (that serialised every write).
      this.#sent += chunk.length;
      if (this.#inner.write(chunk)) callback();
      else this.#inner.once('drain', () => callback());
      return;
    }
    this.#shaped(chunk).then(
      () => callback(),
      (err: unknown) => (this.#abort.signal.aborted ? callback() : callback(err as Error)),
    );
  }

  async #shaped(chunk: Buffer): Promise<void> {
    const { shaping } = this.#conn;
    const signal = this.#abort.signal;
    for (let offset = 0; offset < chunk.length; ) {
      await this.#conn.unstalled();
      if (signal.aborted) return;
      const size = Math.min(shaping.sliceBytes, chunk.length - offset, shaping.resetAfterBytes - this.#sent);
      if (size > 0) {
        for (const gate of shaping.gates) await gate(size, signal);
        const piece = chunk.subarray(offset, offset + size);
        await new Promise<void>((resolve, reject) =>
          this.#inner.write(piece, (e) => (e ? reject(e) : resolve())),
        );
        this.#sent += size;
        offset += size;
      }
      if (this.#sent >= shaping.resetAfterBytes) {
        // Mid-response RST: what a registry, proxy or network that drops a connection mid-blob sends.
        await drained(this.#conn.socket, shaping.resetDrainMs);
        this.#conn.reset();
        this.destroy();
        return;
      }
    }
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.#inner.end();
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#abort.abort();
    this.#inner.destroy();
    callback(error);
  }

  /** Like `net.Socket#setTimeout`: 'timeout' after `ms` idle on the real socket; 0 turns it off. */
  setTimeout(ms: number, listener?: () => void): this {
    this.#inner.setTimeout(ms);
    if (listener !== undefined) {
      if (ms === 0) this.off('timeout', listener);
      else this.once('timeout', listener);
    }
    return this;
  }

  /** Forwarded to the real socket. */
  setNoDelay(noDelay?: boolean): this {
    this.#inner.setNoDelay(noDelay);
    return this;
  }

  /** Forwarded to the real socket. */
  setKeepAlive(enable?: boolean, initialDelay?: number): this {
    this.#inner.setKeepAlive(enable, initialDelay);
    return this;
  }

  /** Response bytes handed on so far. */
  get bytesShaped(): number {
    return this.#sent;
  }
}
