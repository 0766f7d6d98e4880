/**
 * Opening a connection the way containerd's `http.Transport` does (remotes/docker/config/hosts.go:
 * a 30 s dialer timeout covering lookup and connect, addresses tried one after the other with
 * the first error reported, like Go's dialSerial, then a 10 s TLS handshake timeout) and failing
 * with Go's text for every way that can go wrong. The optional local address makes the registry
 * see each virtual node as its own client (per-client rate limits, per-node faults).
 */

import { lookup } from 'node:dns';
import { isIP, type Socket, connect as tcpConnect } from 'node:net';
import type { Duplex } from 'node:stream';
import { rootCertificates, connect as tlsConnect } from 'node:tls';
import { PullstormError } from '../../../vocab/errors.ts';
import { goAddress, goNetText, type NetContext } from './go-text.ts';
import { verifyPeer } from './tls-verify.ts';

/** How to reach one `host:port`. */
export interface DialOptions {
  host: string;
  port: number;
  tls: boolean;
  /** Source address to bind (e.g. `127.0.0.7`); default the OS's choice. */
  localAddress?: string | undefined;
  /** Extra trusted roots (PEM), added to the bundled ones as Go adds `ca` files to the system pool. */
  caPem?: readonly string[] | undefined;
  /** Accept any certificate (`skip_verify`). */
  skipVerify: boolean;
  dialTimeoutMs: number;
  tlsHandshakeTimeoutMs: number;
  /** net.connect's `onread` for a plain-TCP connection (http1.ts reads into one shared buffer). */
  onread?: { buffer: Uint8Array; callback: (n: number, buffer: Uint8Array) => boolean } | undefined;
}

/** A failed dial: `goText` is what Go's transport would have returned. */
export class DialError extends PullstormError {
  override readonly name = 'DialError';
  readonly goText: string;
  constructor(goText: string) {
    super(goText);
    this.goText = goText;
  }
}

/** Connection facts later errors on the socket are rendered with. */
export interface SocketInfo {
  context: NetContext;
  /** The first error the socket reported, if any (a reset shows up here before the response ends). */
  error?: NodeJS.ErrnoException;
}

/** Per-socket facts, for rendering read errors like `read tcp A->B: read: connection reset by peer`. */
export const socketInfo = new WeakMap<Duplex, SocketInfo>();

/** Dials `options` and calls `done` once with a connected (and, for TLS, verified) stream or an error. */
export function dial(options: DialOptions, done: (err: DialError | null, stream?: Duplex) => void): void {
  const context: NetContext = { host: options.host };
  let finished = false;
  let current: Socket | undefined;
  const finish = (err: DialError | null, stream?: Duplex) => {
    if (finished) return;
    finished = true;
    clearTimeout(deadline);
    if (err !== null) current?.destroy();
    done(err, stream);
  };
  const fail = (code: string | undefined, message: string, extra: Partial<NetContext> = {}) =>
    finish(new DialError(goNetText(code, { ...context, ...extra }) ?? message));
  // Go's dialSerial reports the first address's error, whatever happened to the later ones.
  let first: { code?: string | undefined; message: string; remote?: string | undefined } | undefined;
  const failFirst = () => fail(first?.code, first?.message ?? 'no addresses', { remote: first?.remote });
  const deadline = setTimeout(
    () => (first === undefined ? fail('DIAL_TIMEOUT', 'i/o timeout') : failFirst()),
    options.dialTimeoutMs,
  );
  const family = options.localAddress === undefined ? 0 : isIP(options.localAddress);
  const connectTo = (addresses: string[]) => {
    const address = addresses[0];
    if (address === undefined) return failFirst();
    const remote = goAddress(address, options.port);
    context.remote = remote;
    const socket = tcpConnect({
      host: address,
      port: options.port,
      localAddress: options.localAddress,
      ...(options.onread !== undefined && !options.tls && { onread: options.onread }),
    });
    current = socket;
    socket.once('error', (e: NodeJS.ErrnoException) => {
      first ??= { code: e.code, message: e.message, remote };
      if (!finished) connectTo(addresses.slice(1));
    });
    socket.once('connect', () => {
      context.local = goAddress(socket.localAddress, socket.localPort);
      clearTimeout(deadline);
      if (options.tls) handshake(socket);
      else deliver(socket);
    });
  };
  const deliver = (stream: Duplex) => {
    const info: SocketInfo = { context };
    socketInfo.set(stream, info);
    stream.on('error', (e: NodeJS.ErrnoException) => {
      info.error ??= e;
    });
    finish(null, stream);
  };
  const handshake = (socket: Socket) => {
    const timer = setTimeout(
      () => fail('TLS_HANDSHAKE_TIMEOUT', 'TLS handshake timeout'),
      options.tlsHandshakeTimeoutMs,
    );
    const secure = tlsConnect({
      socket,
      ...(isIP(options.host) === 0 && { servername: options.host }),
      ...(options.caPem !== undefined && { ca: [...rootCertificates, ...options.caPem] }),
      rejectUnauthorized: false,
      checkServerIdentity: () => undefined,
      ALPNProtocols: ['http/1.1'],
    });
    secure.once('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      secure.destroy();
      // The server hung up mid-handshake: Go's tls package sees EOF on the record reader.
      const code = /disconnected before secure TLS/.test(e.message) ? 'SOCKET_HANG_UP' : e.code;
      fail(code, e.message);
    });
    secure.once('secureConnect', () => {
      clearTimeout(timer);
      const problem = options.skipVerify ? undefined : verifyPeer(secure, options.host);
      if (problem === undefined) deliver(secure);
      else {
        secure.destroy();
        fail(problem.code, problem.code, { cert: problem.cert });
      }
    });
  };
  if (isIP(options.host) !== 0) connectTo([options.host]);
  else if (/\.invalid\.?$/i.test(options.host)) {
    // RFC 6761 §6.4: resolver libraries answer `.invalid` negatively at once. Asking the system
    // resolver would send a query to a name server that is not on this machine.
    queueMicrotask(() => fail('ENOTFOUND', `getaddrinfo ENOTFOUND ${options.host}`));
  } else {
    lookup(options.host, { all: true, family }, (err, addresses) => {
      if (finished) return;
      if (err) fail(err.code, err.message);
      else connectTo(addresses.map((a) => a.address));
    });
  }
}
