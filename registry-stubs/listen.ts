/**
 * Socket-level serving, kept apart from the app so the fault engine can put a TCP layer in front
 * (or replace this file's server) without touching routes. Uses @hono/node-server, which Deno 2
 * runs through its `node:http` compatibility.
 */
import type { Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer, type Http2Bindings, type HttpBindings } from '@hono/node-server';

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
