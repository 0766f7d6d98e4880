/**
 * A local name server that knows no names: a UDP responder answering every query with NXDOMAIN, the
 * way a cluster's DNS answers an unknown name. A node started with `nameserver` (resolv-conf.ts) sends
 * its lookups here instead of to this machine's resolver, which is not on this machine: a failure test
 * must never send traffic off it. Go then fails as in a cluster:
 * `dial tcp: lookup <name> on <address>:53: no such host`.
 * One responder per address per process, shared by its users and closed with the last of them; each
 * share records the names it was asked, so a test can prove a lookup did (or did not) leave the node.
 */
import { createSocket, type Socket } from 'node:dgram';

/** DNS port; fixed, since resolv.conf cannot name another one. */
const DNS_PORT = 53;

/**
 * The NXDOMAIN answer to a DNS `query` (RFC 1035 §4.1): same id, opcode, RD and question, QR and RA
 * set, RCODE 3, no records; `undefined` for anything that is not a one-question query (pure).
 */
export function nxdomainResponse(query: Uint8Array): Uint8Array | undefined {
  const end = questionEnd(query);
  if (end === undefined) return undefined;
  const flags = new DataView(query.buffer, query.byteOffset, query.byteLength).getUint16(2);
  const answer = new Uint8Array(end);
  answer.set(query.subarray(0, end));
  const out = new DataView(answer.buffer);
  // QR=1, opcode and RD kept, RA=1, RCODE=3 (NXDOMAIN); counts: one question, nothing else.
  out.setUint16(2, 0x8000 | (flags & 0x7900) | 0x0080 | 3);
  out.setUint16(6, 0);
  out.setUint16(8, 0);
  out.setUint16(10, 0);
  return answer;
}

/** The name a one-question query asks about, dotted and without the root dot (pure). */
export function questionName(query: Uint8Array): string | undefined {
  const end = questionEnd(query);
  if (end === undefined) return undefined;
  const labels: string[] = [];
  for (let at = 12; query[at] !== 0; at += (query[at] ?? 0) + 1) {
    labels.push(new TextDecoder().decode(query.subarray(at + 1, at + 1 + (query[at] ?? 0))));
  }
  return labels.join('.');
}

/** Where the question of a one-question query ends, or undefined for anything else (an answer too). */
function questionEnd(query: Uint8Array): number | undefined {
  if (query.length < 12) return undefined;
  const view = new DataView(query.buffer, query.byteOffset, query.byteLength);
  if (view.getUint16(2) & 0x8000 || view.getUint16(4) !== 1) return undefined; // a response, or not one question
  let at = 12;
  while (at < query.length && query[at] !== 0) at += (query[at] ?? 0) + 1; // labels up to the root
  const end = at + 1 + 4; // root byte, QTYPE, QCLASS
  return end > query.length ? undefined : end;
}

/** A share of the responder on one address. */
export interface NxdomainResolver {
  /** The address to name in resolv.conf. */
  readonly address: string;
  /** Every name asked since this share was taken, in order (a name asked twice appears twice). */
  readonly asked: readonly string[];
  /** Gives the share back; the socket closes with the last share (idempotent). */
  release(): Promise<void>;
}

interface Entry {
  socket: Promise<Socket>;
  users: number;
  listeners: Set<(name: string) => void>;
}

const shared = new Map<string, Entry>();

function bind(address: string, listeners: ReadonlySet<(name: string) => void>): Promise<Socket> {
  // reuseAddr: test files run in several processes, each with its own responder on the same address;
  // any of them answers the same way.
  const socket = createSocket({ type: address.includes(':') ? 'udp6' : 'udp4', reuseAddr: true });
  socket.on('message', (query, peer) => {
    const answer = nxdomainResponse(query);
    if (!answer) return;
    const name = questionName(query);
    if (name !== undefined) for (const listener of listeners) listener(name);
    socket.send(answer, peer.port, peer.address);
  });
  return new Promise((resolve, reject) => {
    socket.once('error', (error: NodeJS.ErrnoException) => {
      socket.close();
      const why =
        error.code === 'EADDRINUSE'
          ? `another program serves port ${DNS_PORT} there (a local DNS server bound to every address?): stop it, since containerd nodes send their lookups to this address`
          : error.code === 'EACCES' || error.code === 'EPERM'
            ? `binding port ${DNS_PORT} needs root`
            : `expected a loopback address this machine has (127.0.0.0/8), got ${address}`;
      reject(
        new Error(`cannot serve DNS on ${address}:${DNS_PORT} (${error.message}): ${why}`, { cause: error }),
      );
    });
    socket.bind(DNS_PORT, address, () => {
      socket.removeAllListeners('error');
      socket.on('error', () => undefined); // a send to a vanished client is not worth a crash
      socket.unref(); // users keep it by share, never the event loop
      resolve(socket);
    });
  });
}

/** Takes a share of the NXDOMAIN responder on `address`, starting it if this is the first. */
export async function acquireNxdomainResolver(address: string): Promise<NxdomainResolver> {
  let entry = shared.get(address);
  if (!entry) {
    const listeners = new Set<(name: string) => void>();
    entry = { socket: bind(address, listeners), users: 0, listeners };
    entry.socket.catch(() => shared.delete(address));
    shared.set(address, entry);
  }
  entry.users++;
  const held = entry;
  try {
    await held.socket;
  } catch (error) {
    held.users--;
    throw error;
  }
  const asked: string[] = [];
  const listener = (name: string) => asked.push(name);
  held.listeners.add(listener);
  let released = false;
  return {
    address,
    asked,
    async release() {
      if (released) return;
      released = true;
      held.listeners.delete(listener);
      if (--held.users > 0) return;
      shared.delete(address);
      const socket = await held.socket;
      await new Promise<void>((resolve) => socket.close(() => resolve()));
    },
  };
}
