/**
 * One HTTP/1.1 client per pull and TLS setting, standing in for the `http.Transport` containerd's
 * ConfigureHosts builds for every PullImage call (remotes/docker/config/hosts.go): keep-alive
 * within the pull, at most 2 idle connections per host (Go's DefaultMaxIdleConnsPerHost), all of
 * it closed when the pull ends. Failures reject with Go's `*url.Error` text:
 * `Head "http://127.0.0.1:5000/v2/…": dial tcp 127.0.0.1:5000: connect: connection refused`.
 */
import { Agent, type ClientRequestArgs, request as httpRequest, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type DialError, type DialOptions, dial, socketInfo } from './dial.ts';
import { GoError } from './go-error.ts';
import { goNetText } from './go-text.ts';

/** Settings shared by every connection of a transport. */
export type TransportOptions = Omit<DialOptions, 'host' | 'port' | 'tls'>;

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
  body: IncomingMessage;
  /** First value of a header (lower-case name). */
  header(name: string): string | undefined;
}

/** Sends requests; `close()` drops every connection. */
export interface Transport {
  send(request: HttpRequest): Promise<HttpResponse>;
  close(): void;
}

class DialingAgent extends Agent {
  readonly #tls: boolean;
  readonly #options: TransportOptions;
  #closed = false;
  constructor(tls: boolean, options: TransportOptions) {
    super({ keepAlive: true, maxFreeSockets: 2 });
    this.#tls = tls;
    this.#options = options;
  }
  override createConnection(
    args: ClientRequestArgs,
    callback?: (err: Error | null, stream: Duplex) => void,
  ): undefined {
    const target = { host: String(args.host), port: Number(args.port), tls: this.#tls };
    dial({ ...this.#options, ...target }, (err, stream) => {
      // A dial that finishes after the pull ended must not leave a connection behind.
      if (this.#closed) stream?.destroy();
      callback?.(err, stream as Duplex);
    });
    return undefined;
  }
  override destroy(): void {
    this.#closed = true;
    super.destroy();
  }
}

/** Go's url.Error op: `Head`, `Get`, `Post`. */
const op = (method: string) => method[0] + method.slice(1).toLowerCase();

/** Creates a transport; `options` apply to every connection it opens. */
export function createTransport(options: TransportOptions): Transport {
  const plain = new DialingAgent(false, options);
  const secure = new DialingAgent(true, options);
  const send = (r: HttpRequest, retried: boolean): Promise<HttpResponse> =>
    new Promise((resolve, reject) => {
      const https = r.url.protocol === 'https:';
      const req = httpRequest({
        agent: https ? secure : plain,
        method: r.method,
        host: r.url.hostname.replace(/^\[|\]$/g, ''),
        port: r.url.port || (https ? 443 : 80),
        path: r.url.pathname + r.url.search,
        headers: { ...r.headers, host: r.url.host },
        signal: r.signal,
      });
      let answered = false;
      req.once('response', (body) => {
        answered = true;
        const headers = body.headersDistinct;
        resolve({
          status: `${body.statusCode} ${body.statusMessage ?? ''}`.trimEnd(),
          statusCode: body.statusCode ?? 0,
          headers,
          method: r.method,
          url: r.url.href,
          body,
          header: (name) => headers[name]?.[0],
        });
      });
      req.on('error', (err: NodeJS.ErrnoException & Partial<DialError>) => {
        // Once the response is here, errors belong to the body and readBody reports them.
        if (answered) return;
        // Go's transport retries an idempotent request once when a reused connection was closed under it.
        if (!retried && req.reusedSocket && err.code === 'ECONNRESET' && !r.signal.aborted) {
          resolve(send(r, true));
          return;
        }
        reject(requestError(r, req.socket, err));
      });
      req.end(r.body);
    });
  return {
    send: (r) => send(r, false),
    close() {
      plain.destroy();
      secure.destroy();
    },
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
 * Streams a response body to `onChunk`. A body cut short by a clean close rejects with
 * `io.ErrUnexpectedEOF` (what Go's body reader returns before Content-Length is reached), a reset
 * with the `read tcp …: connection reset by peer` text, a cancellation with `context canceled`.
 */
export function readBody(
  response: HttpResponse,
  onChunk: (chunk: Buffer) => void,
  signal: AbortSignal,
): Promise<void> {
  const socket = response.body.socket;
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = () => {
      if (settled) return;
      settled = true;
      reject(bodyError(socket, signal));
    };
    response.body.on('data', onChunk);
    response.body.once('end', () => {
      settled = true;
      resolve();
    });
    response.body.once('error', fail);
    response.body.once('close', () => {
      if (!response.body.complete) fail();
    });
    const abort = () => response.body.destroy();
    if (signal.aborted) abort();
    else signal.addEventListener('abort', abort, { once: true });
    response.body.once('close', () => signal.removeEventListener('abort', abort));
  });
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
  if (empty) response.body.resume();
  else response.body.destroy();
}

/** Reads at most `limit` bytes of a body as text (error bodies, tokens); a failed read gives what arrived. */
export async function readText(response: HttpResponse, signal: AbortSignal, limit = 65_536): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  await readBody(
    response,
    (chunk) => {
      if (size < limit) chunks.push(chunk.subarray(0, limit - size));
      size += chunk.length;
    },
    signal,
  ).catch(() => undefined);
  return Buffer.concat(chunks).toString('utf8');
}
