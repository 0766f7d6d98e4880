/**
 * Real sockets for the fault-layer tests: a plain `node:http` server as the door's delivery
 * target, Node clients that report the real error code, and a `curl` runner.
 */
import { createServer, get as httpGet, type IncomingMessage, type Server } from 'node:http';
import { get as httpsGet } from 'node:https';
import { Readable } from 'node:stream';
import { execa } from 'execa';
import {
  createFrontDoor,
  type FrontDoor,
  type FrontDoorOptions,
  type NetFaultEvent,
} from '../../../registry-stubs/faults/net/index.ts';

/** An HTTP server that is never bound: doors hand it connections. `/blob?size=N` streams N bytes. */
export function blobServer(): Server {
  return createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://door');
    if (url.pathname !== '/blob') {
      res.end(
        `ok ${req.socket.remoteAddress} ${(req.socket as { encrypted?: boolean }).encrypted ? 'tls' : 'plain'}`,
      );
      return;
    }
    const size = Number(url.searchParams.get('size') ?? 0);
    res.writeHead(200, { 'content-length': size, 'content-type': 'application/octet-stream' });
    Readable.from(chunks(size)).pipe(res);
  });
}

function* chunks(size: number): Generator<Buffer> {
  const piece = Buffer.alloc(64 * 1024, 0x61);
  for (let left = size; left > 0; left -= piece.length)
    yield left >= piece.length ? piece : piece.subarray(0, left);
}

/** A door in front of `server`, collecting events into `events`. */
export async function doorFor(
  server: Server,
  options: Omit<FrontDoorOptions, 'deliver'> = {},
  events: NetFaultEvent[] = [],
): Promise<FrontDoor> {
  return createFrontDoor({
    onEvent: (e) => events.push(e),
    ...options,
    deliver: (s) => server.emit('connection', s),
  });
}

/** What one request came to. */
export interface Outcome {
  ok: boolean;
  status?: number;
  body: string;
  /** Body bytes received. */
  bytes: number;
  /** Node error code on failure (`CLIENT_TIMEOUT` for our own timeout). */
  code?: string;
  message?: string;
  /** From request start to the end or the error. */
  ms: number;
  /** From request start to the response headers. */
  headersMs?: number;
}

/** Options of `request()`. */
export interface RequestOptions {
  /** CA to trust for https. */
  ca?: string;
  /** TLS server name to verify (SNI); default the URL host. */
  servername?: string;
  /** Gives up (code CLIENT_TIMEOUT) when idle this long; default 5 s. */
  timeoutMs?: number;
}

/** GET `url` with a fresh connection (no agent), never rejecting: failures are outcomes. */
export function request(url: string, options: RequestOptions = {}): Promise<Outcome> {
  const started = performance.now();
  const elapsed = () => performance.now() - started;
  return new Promise((resolve) => {
    let bytes = 0;
    let body = '';
    let headersMs: number | undefined;
    const fail = (err: NodeJS.ErrnoException) =>
      resolve({
        ok: false,
        body,
        bytes,
        code: err.code,
        message: err.message,
        ms: elapsed(),
        ...(headersMs !== undefined && { headersMs }),
      });
    const onResponse = (res: IncomingMessage) => {
      headersMs = elapsed();
      res.on('data', (d: Buffer) => {
        bytes += d.length;
        if (body.length < 200) body += d.toString('latin1');
      });
      res.on('error', fail);
      res.on('end', () =>
        resolve({ ok: true, status: res.statusCode, body, bytes, ms: elapsed(), headersMs }),
      );
    };
    const common = { agent: false as const, timeout: options.timeoutMs ?? 5000 };
    const req = url.startsWith('https:')
      ? httpsGet(url, { ...common, ca: options.ca, servername: options.servername }, onResponse)
      : httpGet(url, common, onResponse);
    req.on('timeout', () =>
      req.destroy(Object.assign(new Error('client timeout'), { code: 'CLIENT_TIMEOUT' })),
    );
    req.on('error', fail);
  });
}

/** Runs curl (a real client outside Node) against `url`; returns its exit code and stderr. */
export async function curl(
  url: string,
  args: string[] = [],
): Promise<{ exitCode: number; stderr: string; stdout: string }> {
  const result = await execa('curl', ['-sS', '--max-time', '10', ...args, url], {
    reject: false,
    timeout: 15_000,
  });
  return { exitCode: result.exitCode ?? -1, stderr: result.stderr, stdout: result.stdout };
}

/** The events of one kind. */
export function eventsOf<K extends NetFaultEvent['kind']>(
  events: NetFaultEvent[],
  kind: K,
): (NetFaultEvent & { kind: K })[] {
  return events.filter((e): e is NetFaultEvent & { kind: K } => e.kind === kind);
}
