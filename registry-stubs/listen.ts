/**
 * Socket-level serving, kept apart from the app so the fault engine can put a TCP layer in front
 * (or replace this file's server) without touching routes. Uses @hono/node-server, which Deno 2
 * runs through its `node:http` compatibility.
 */
import type { Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer, type Http2Bindings, type HttpBindings } from '@hono/node-server';
import { createFrontDoor, type FrontDoor, type NetFaults } from './faults/net/index.ts';
import { applyTimeouts, DEFAULT_LIMITS, type ResolvedLimits } from './limits.ts';

/** PEM material for HTTPS. */
export interface TlsOptions {
  certPem: string;
  keyPem: string;
  /** CA chain sent along with the leaf; default none. */
  caPem?: string;
}

/** Where and how to listen. */
export interface ListenOptions {
  /** Address to bind; default 127.0.0.1. */
  host?: string;
  /** Port; default 0 (an ephemeral port). */
  port?: number;
  /** Serve HTTPS with this certificate; default plain HTTP. */
  tls?: TlsOptions | undefined;
  /** Connection timeouts (the other limits are the app's); default {@link DEFAULT_LIMITS}. */
  limits?: ResolvedLimits;
}

/** A listening server. */
export interface Listener {
  server: Server;
  host: string;
  port: number;
  /** `http(s)://host:port`, IPv6 hosts bracketed. */
  url: string;
  /** Stops accepting, ends keep-alive and in-flight connections at once, resolves when closed. */
  close(): Promise<void>;
}

/** A fetch handler as Hono apps expose it. */
export type FetchHandler = (request: Request, env: HttpBindings | Http2Bindings) => unknown;

/** Starts listening; resolves once the socket is bound (ready means listening). */
export async function listen(fetch: FetchHandler, options: ListenOptions = {}): Promise<Listener> {
  const host = options.host ?? '127.0.0.1';
  const tls = options.tls;
  const server = (
    tls === undefined
      ? createAdaptorServer({ fetch })
      : createAdaptorServer({
          fetch,
          createServer: createHttpsServer,
          serverOptions: {
            cert: tls.certPem,
            key: tls.keyPem,
            ...(tls.caPem !== undefined && { ca: tls.caPem }),
          },
        })
  ) as Server;
  applyTimeouts(server, options.limits ?? DEFAULT_LIMITS);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const authority = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  let closing: Promise<void> | undefined;
  return {
    server,
    host,
    port,
    url: `${tls === undefined ? 'http' : 'https'}://${authority}`,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

/** One endpoint (node) of a registry: a front door with its own address. */
export interface EndpointOptions {
  /** Name fault scopes select (`nodes`); unique per registry. */
  name: string;
  /** Address; default 127.0.0.1 (127.0.0.2, 127.0.0.3 … give each node its own address). */
  host?: string;
  /** Port; default 0 (ephemeral, then kept across `refused`). */
  port?: number;
}

/** A listening endpoint. */
export interface Endpoint {
  name: string;
  host: string;
  port: number;
  /** `http(s)://host:port`. */
  url: string;
}

// Which door delivered a socket; the app reads it per request (a WeakMap: sockets come and go).
const endpointOfSocket = new WeakMap<object, string>();

/** Name of the endpoint whose door delivered the request's connection; undefined without doors or in-process. */
export function endpointOf(c: { env: unknown }): string | undefined {
  const socket = (c.env as { incoming?: { socket?: object } } | undefined)?.incoming?.socket;
  return socket === undefined ? undefined : endpointOfSocket.get(socket);
}

/** Options of `listenThroughDoors()`. */
export interface DoorListenOptions {
  endpoints: readonly EndpointOptions[];
  /** TLS the doors serve; default plain. */
  tls?: TlsOptions | undefined;
  /** The connection-fault controller every door shares. */
  faults: NetFaults;
  /** Connection timeouts; default {@link DEFAULT_LIMITS}. */
  limits?: ResolvedLimits;
}

/**
 * Serves `fetch` through one front door per endpoint, all delivering into one HTTP server that
 * never binds a port itself; the doors do TLS, so connection faults see every handshake.
 */
export async function listenThroughDoors(
  fetch: FetchHandler,
  options: DoorListenOptions,
): Promise<{ endpoints: Endpoint[]; close(): Promise<void> }> {
  const names = options.endpoints.map((e) => e.name);
  const twice = names.filter((n, i) => names.indexOf(n) !== i);
  if (names.length === 0 || twice.length > 0 || names.some((n) => typeof n !== 'string' || n === '')) {
    throw new TypeError(
      `endpoints must be a non-empty list of { name, host?, port? } with unique non-empty names; got ${JSON.stringify(names)}`,
    );
  }
  const server = createAdaptorServer({ fetch }) as Server;
  applyTimeouts(server, options.limits ?? DEFAULT_LIMITS);
  // Node starts checking header and request deadlines when a server emits 'listening'; this one never
  // listens (the doors do), so without this a client sending a header byte a minute is never cut off.
  server.emit('listening');
  const tls = options.tls && { certPem: options.tls.certPem, keyPem: options.tls.keyPem };
  const doors: FrontDoor[] = [];
  const close = async () => {
    await Promise.all(doors.map((d) => d.close()));
    // close() on a server that never listened only stops the deadline checks, which is what is wanted.
    server.close();
    server.closeAllConnections();
  };
  try {
    for (const endpoint of options.endpoints) {
      doors.push(
        await createFrontDoor({
          name: endpoint.name,
          host: endpoint.host,
          port: endpoint.port,
          tls,
          faults: options.faults,
          deliver: function deliverToRegistry(socket) {
            endpointOfSocket.set(socket, endpoint.name);
            server.emit('connection', socket);
          },
        }),
      );
    }
  } catch (err) {
    await close();
    throw err;
  }
  const endpoints = doors.map((d) => ({ name: d.name, host: d.host, port: d.port, url: d.url }));
  return { endpoints, close };
}
