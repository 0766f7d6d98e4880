/**
 * The front door: a TCP listener per endpoint (node) that runs the connection faults on every
 * accepted socket, then hands it — TLS-wrapped when the door serves TLS, shaped when a fault
 * asks — to an HTTP server with `deliver`, typically `deliverTo(httpServer)`.
 * No extra hop: the HTTP server reads and writes the client's own connection.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { createSecureContext, type SecureContext, TLSSocket } from 'node:tls';
import { Connection } from './connection.ts';
import { createNetFaults, type FaultEndpoint, type NetFaults } from './controller.ts';
import { ShapedSocket } from './shaped-socket.ts';
import type { ListenerTakeover, NetFaultEvent, TlsPems } from './types.ts';
import { checkNumber, problemsOf, shown, throwIfAny } from './validate.ts';

/** Options of `createFrontDoor()`. */
export interface FrontDoorOptions {
  /** Address to listen on; default 127.0.0.1 (127.0.0.2, 127.0.0.3 … give each node its own). */
  host?: string;
  /** Port; default 0 (ephemeral, then kept, so clearing `refused` listens on the same one). */
  port?: number;
  /** Endpoint (node) name that fault scopes select; default `host:port` (IPv6 bracketed). */
  name?: string;
  /** Takes each connection once the faults let it through. */
  deliver: (socket: Duplex) => void;
  /** Serve TLS with this certificate and key; default plain TCP. */
  tls?: TlsPems | undefined;
  /** Fault controller, shareable by several doors; default a new one for this door. */
  faults?: NetFaults;
  /** Events of the door's own controller (unused when `faults` is given); default none. */
  onEvent?: (event: NetFaultEvent) => void;
  /** Longest TLS handshake the door waits for before dropping the socket; default 30 s (tls-stall aside). */
  handshakeTimeoutMs?: number;
}

/** A listening front door; `await using door = await createFrontDoor(…)`. */
export interface FrontDoor extends AsyncDisposable {
  readonly name: string;
  readonly host: string;
  readonly port: number;
  /** `http(s)://host:port` as served to new connections now, IPv6 bracketed. */
  readonly url: string;
  /** The controller to apply faults with. */
  readonly faults: NetFaults;
  /** Certificate for new connections from now on (undefined: plain); open connections keep theirs. */
  setTls(pems: TlsPems | undefined): void;
  /** Stops listening, drops every connection, clears its own controller's faults (idempotent). */
  close(): Promise<void>;
}

type Occupant = { who: 'door'; server: Server } | { who: ListenerTakeover; release: () => Promise<void> };

/** Starts a front door; resolves once it listens. */
export async function createFrontDoor(options: FrontDoorOptions): Promise<FrontDoor> {
  const { host = '127.0.0.1', deliver, handshakeTimeoutMs = 30_000 } = options;
  const problems = problemsOf('createFrontDoor');
  checkNumber(problems, 'port', options.port, { max: 65535, integer: true });
  checkNumber(problems, 'handshakeTimeoutMs', handshakeTimeoutMs, { min: 1, max: 600_000 });
  if (typeof deliver !== 'function') {
    problems.messages.push(`deliver must be a function taking the socket, got ${shown(deliver)}`);
    problems.wrongType = true;
  }
  throwIfAny(problems);
  let secure = options.tls === undefined ? undefined : secureContextOf(options.tls);
  let port = options.port ?? 0;
  const ownFaults = options.faults === undefined;
  const faults = options.faults ?? createNetFaults({ onEvent: options.onEvent });
  const connections = new Set<Connection>();
  let name = options.name ?? '';
  let occupant: Occupant | undefined;
  let closing = false;
  let queue = Promise.resolve();

  const onConnection = (raw: Socket) => {
    raw.on('error', () => {}); // a client's RST must not crash the process
    if (closing) return void raw.destroy();
    const conn = new Connection(name, raw, secure !== undefined);
    conn.secureContext = secure;
    connections.add(conn);
    conn.closed.addEventListener('abort', () => connections.delete(conn), { once: true });
    const chain = faults.choose(conn);
    const step = (i: number): Promise<void> => {
      const middleware = chain[i];
      return middleware === undefined ? handOver(conn) : middleware(conn, () => step(i + 1));
    };
    step(0).catch(() => conn.destroy());
  };

  const handOver = async (conn: Connection) => {
    if (conn.closed.aborted) return;
    const raw = conn.socket;
    if (!conn.tls || conn.plainHttp || conn.secureContext === undefined) {
      return handTo(new ShapedSocket(raw, conn, false), conn);
    }
    const tlsSocket = new TLSSocket(raw, { isServer: true, secureContext: conn.secureContext });
    conn.watch(tlsSocket);
    // Before 'secure' errors are the client refusing our certificate or not speaking TLS: its business.
    tlsSocket.on('error', () => conn.destroy());
    const timer = setTimeout(() => conn.destroy(), handshakeTimeoutMs);
    tlsSocket.once('close', () => clearTimeout(timer));
    tlsSocket.once('secure', () => {
      clearTimeout(timer);
      handTo(new ShapedSocket(tlsSocket, conn, true), conn);
    });
  };

  const handTo = (socket: ShapedSocket, conn: Connection) => {
    try {
      deliver(socket);
    } catch {
      conn.destroy(); // a throwing target must not take the door (or the process) down
    }
  };

  const listenAsDoor = async (): Promise<Server> => {
    const server = createServer({ pauseOnConnect: true }, onConnection);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host, port }, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', () => {}); // accept errors (EMFILE) after listening: keep serving the rest
    return server;
  };

  const reconcile = async () => {
    const wanted = closing ? undefined : (faults.listenerFor(name) ?? 'door');
    if (occupant?.who === wanted) return;
    const current = occupant;
    occupant = undefined;
    // close() stops listening at once; it would wait for open connections only to emit 'close'.
    if (current?.who === 'door') current.server.close();
    else if (current !== undefined) await current.release();
    if (wanted === 'door') occupant = { who: 'door', server: await listenAsDoor() };
    else if (wanted !== undefined) occupant = { who: wanted, release: await wanted.occupy(host, port) };
  };
  const endpoint: FaultEndpoint = {
    get name() {
      return name;
    },
    reconcileListener() {
      const run = queue.then(reconcile);
      queue = run.catch(() => {});
      return run;
    },
    connections: () => connections,
  };

  const server = await listenAsDoor();
  occupant = { who: 'door', server };
  port = (server.address() as { port: number }).port;
  const authority = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  if (name === '') name = authority;
  const detach = await faults.attach(endpoint);
  let closed: Promise<void> | undefined;
  const close = () => {
    closed ??= (async () => {
      closing = true;
      detach();
      if (ownFaults) await faults.clearAll();
      await endpoint.reconcileListener();
      for (const conn of connections) conn.destroy();
    })();
    return closed;
  };
  return {
    name,
    host,
    port,
    get url() {
      return `${secure === undefined ? 'http' : 'https'}://${authority}`;
    },
    faults,
    setTls(pems) {
      secure = pems === undefined ? undefined : secureContextOf(pems);
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}

/** The usual `deliver`: injects the connection into `server` as if it had accepted it. */
export function deliverTo(server: {
  emit(event: 'connection', socket: Duplex): unknown;
}): (socket: Duplex) => void {
  return function deliverConnection(socket) {
    server.emit('connection', socket);
  };
}

/** A secure context for `pems`, or a TypeError naming what was wrong with them. */
function secureContextOf(pems: TlsPems): SecureContext {
  try {
    return createSecureContext({ cert: pems.certPem, key: pems.keyPem });
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    throw new TypeError(`tls must be a PEM certificate and its private key (certPem, keyPem): ${detail}`, {
      cause,
    });
  }
}
