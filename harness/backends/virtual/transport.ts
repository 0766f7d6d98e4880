/**
 * One HTTP/1.1 client per pull and TLS setting, standing in for the `http.Transport` containerd's
 * ConfigureHosts builds for every PullImage call (remotes/docker/config/hosts.go): keep-alive
 * within the pull, at most 2 idle connections per host (Go's DefaultMaxIdleConnsPerHost), all of
 * it closed when the pull ends. Failures reject with Go's `*url.Error` text:
 * `Head "http://127.0.0.1:5000/v2/…": dial tcp 127.0.0.1:5000: connect: connection refused`.
 */
import type { Duplex } from 'node:stream';
import { type DialError, type DialOptions, dial, socketInfo } from './dial.ts';
import { GoError } from './go-error.ts';
import { goNetText } from './go-text.ts';
import { type Body, Connection, sharedOnread } from './http1.ts';

/** Settings shared by every connection of a transport. */
export type TransportOptions = Omit<DialOptions, 'host' | 'port' | 'tls' | 'onread'>;

/** A request as the resolver and fetcher send it. */
export interface HttpRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: string;
  signal: AbortSignal;
}

/** A response whose body has not been read yet. */
export interface HttpResponse {
  /** Go's `resp.Status`: `429 Too Many Requests`. */
  status: string;
  statusCode: number;
  headers: NodeJS.Dict<string[]>;
  method: string;
  /** The request URL as Go prints it. */
  url: string;
  body: Body;
  /** First value of a header (lower-case name). */
  header(name: string): string | undefined;
}

/** Sends requests; `close()` drops every connection. */
export interface Transport {
  send(request: HttpRequest): Promise<HttpResponse>;
  close(): void;
}

/** Go's DefaultMaxIdleConnsPerHost. */
const maxIdlePerHost = 2;

/** Connections by `tls|host|port`: idle ones reused (at most 2 kept per host), all closed at the end. */
class ConnectionPool {
  readonly #options: TransportOptions;
  readonly #idle = new Map<string, Connection[]>();
  readonly #open = new Set<Connection>();
  #closed = false;

  constructor(options: TransportOptions) {
    this.#options = options;
  }

  /** An idle connection (reused) or a new one; rejects with the dial's error. */
  acquire(key: string, target: { host: string; port: number; tls: boolean }): Promise<Connection> {
    const idle = this.#idle.get(key) ?? [];
    for (let c = idle.pop(); c !== undefined; c = idle.pop()) if (!c.closed) return Promise.resolve(c);
    return new Promise((resolve, reject) => {
      // Plain TCP reads into the thread's shared buffer; TLS reads through its socket's data events.
      const sink = target.tls ? undefined : { data: (_: Buffer) => undefined };
      const onread = sink === undefined ? undefined : sharedOnread(sink);
      dial({ ...this.#options, ...target, onread }, (err, stream) => {
        if (err !== null || stream === undefined) return reject(err);
        // A dial that finishes after the pull ended must not leave a connection behind.
        if (this.#closed) {
          stream.destroy();
          return reject(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
        }
        const conn = new Connection(stream, sink);
        this.#open.add(conn);
        stream.once('close', () => this.#open.delete(conn));
        resolve(conn);
      });
    });
  }

  release(key: string, conn: Connection): void {
    const idle = this.#idle.get(key) ?? [];
    this.#idle.set(key, idle);
    if (this.#closed || idle.length >= maxIdlePerHost) conn.socket.destroy();
    else idle.push(conn);
  }

  destroy(): void {
    this.#closed = true;
    for (const c of this.#open) c.socket.destroy();
    this.#open.clear();
    this.#idle.clear();
  }
}

/** Go's url.Error op: `Head`, `Get`, `Post`. */
const op = (method: string) => method[0] + method.slice(1).toLowerCase();

function requestHead(r: HttpRequest): string {
  const lines = [`${r.method} ${r.url.pathname}${r.url.search} HTTP/1.1`, `host: ${r.url.host}`];
  for (const [name, value] of Object.entries(r.headers)) if (name !== 'host') lines.push(`${name}: ${value}`);
  if (r.body !== undefined) lines.push(`content-length: ${Buffer.byteLength(r.body)}`);
  lines.push('connection: keep-alive', '', '');
  return lines.join('\r\n');
}

/** Creates a transport; `options` apply to every connection it opens. */
export function createTransport(options: TransportOptions): Transport {
  const pool = new ConnectionPool(options);
  const send = async (r: HttpRequest, retried: boolean): Promise<HttpResponse> => {
    const https = r.url.protocol === 'https:';
    const target = {
      host: r.url.hostname.replace(/^\[|\]$/g, ''),
      port: Number(r.url.port || (https ? 443 : 80)),
      tls: https,
    };
    const key = `${https}|${target.host}|${target.port}`;
    if (r.signal.aborted)
      throw requestError(r, null, new Error('aborted') as NodeJS.ErrnoException & Partial<DialError>);
    let conn: Connection;
    try {
      conn = await pool.acquire(key, target);
    } catch (err) {
      throw requestError(r, null, err as NodeJS.ErrnoException & Partial<DialError>);
    }
    const reused = conn.used;
    const abort = () => conn.socket.destroy();
    r.signal.addEventListener('abort', abort, { once: true });
    try {
      const { head, body } = await conn.exchange(r.method, requestHead(r), r.body, (c) =>
        pool.release(key, c),
      );
      return {
        status: `${head.statusCode} ${head.statusMessage}`.trimEnd(),
        statusCode: head.statusCode,
        headers: head.headers,
        method: r.method,
        url: r.url.href,
        body,
        header: (name) => head.headers[name]?.[0],
      };
    } catch (e) {
      const err = e as NodeJS.ErrnoException & Partial<DialError>;
      // Go's transport retries an idempotent request once when a reused connection was closed under it.
      if (!retried && reused && err.code === 'ECONNRESET' && !r.signal.aborted) return send(r, true);
      throw requestError(r, conn.socket, err);
    } finally {
      r.signal.removeEventListener('abort', abort);
    }
  };
  return {
    send: (r) => send(r, false),
    close: () => pool.destroy(),
  };
}

function requestError(
  r: HttpRequest,
  socket: Duplex | null,
  err: NodeJS.ErrnoException & Partial<DialError>,
) {
  const prefix = `${op(r.method)} "${r.url.href}"`;
  if (r.signal.aborted) return new GoError(`${prefix}: context canceled`, ['canceled']);
  if (err.goText !== undefined) return new GoError(`${prefix}: ${err.goText}`);
  const info = socket === null ? undefined : socketInfo.get(socket);
  const code = err.message === 'socket hang up' ? 'SOCKET_HANG_UP' : (info?.error?.code ?? err.code);
  const text = goNetText(code, info?.context ?? { host: r.url.hostname }) ?? err.message;
  return new GoError(`${prefix}: ${text}`);
}

/**
 * Streams a response body to `onChunk`, each chunk a view valid only during the call (copy to keep). A body cut short by a clean close rejects with
 * `io.ErrUnexpectedEOF` (what Go's body reader returns before Content-Length is reached), a reset
 * with the `read tcp …: connection reset by peer` text, a cancellation with `context canceled`.
 */
export function readBody(
  response: HttpResponse,
  onChunk: (chunk: Buffer) => void,
  signal: AbortSignal,
): Promise<void> {
  const body = response.body;
  const abort = () => body.destroy();
  if (signal.aborted) abort();
  else signal.addEventListener('abort', abort, { once: true });
  return body.read(onChunk).then(
    () => signal.removeEventListener('abort', abort),
    () => {
      signal.removeEventListener('abort', abort);
      throw bodyError(body.socket, signal);
    },
  );
}

function bodyError(socket: Duplex | null, signal: AbortSignal): GoError {
  if (signal.aborted) return new GoError('context canceled', ['canceled']);
  const info = socket === null ? undefined : socketInfo.get(socket);
  const text = info?.error === undefined ? undefined : goNetText(info.error.code, info.context);
  return text === undefined ? new GoError('unexpected EOF', ['unexpected-eof']) : new GoError(text);
}

/**
 * Lets go of a response whose body is not wanted. An empty body (HEAD, 204, Content-Length 0)
 * leaves the connection reusable, as Go's NoBody does; anything else is cut, as Go's early
 * `Body.Close()` makes the connection unusable.
 */
export function discard(response: HttpResponse): void {
  const empty =
    response.method === 'HEAD' || response.statusCode === 204 || response.header('content-length') === '0';
  if (empty) void response.body.read(() => undefined).catch(() => undefined);
  else response.body.destroy();
}

/** Reads at most `limit` bytes of a body as text (error bodies, tokens); a failed read gives what arrived. */
export async function readText(response: HttpResponse, signal: AbortSignal, limit = 65_536): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  await readBody(
    response,
    (chunk) => {
      // Chunks are views into a reused buffer: keep copies.
      if (size < limit) chunks.push(Buffer.from(chunk.subarray(0, limit - size)));
      size += chunk.length;
    },
    signal,
  ).catch(() => undefined);
  return Buffer.concat(chunks).toString('utf8');
}
