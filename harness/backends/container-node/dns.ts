/**
 * The container nodes' nameserver: a UDP responder on the Docker network's gateway that answers every
 * query with NXDOMAIN. A node resolves registry names from its own /etc/hosts; a name missing there
 * reaches this responder and fails the way a real cluster DNS fails for an unknown name:
 * `dial tcp: lookup <name> on <gateway>:53: no such host`. Without it the lookup would either leave
 * the machine (Docker copies the host's resolv.conf) or fail with a socket error instead of
 * `no such host` (no nameserver: Go tries 127.0.0.1:53 and [::1]:53 inside the node).
 * One responder per address per process, shared by its nodes and closed with the last of them.
 */
import { createSocket, type Socket } from 'node:dgram';

/** DNS port; fixed, since resolv.conf cannot name another one. */
export const DNS_PORT = 53;

/**
 * The NXDOMAIN answer to a DNS `query` (RFC 1035 §4.1): same id, opcode, RD and question, QR and RA
 * set, RCODE 3, no records; `undefined` for anything that is not a one-question query (pure).
 */
export function nxdomainResponse(query: Uint8Array): Uint8Array | undefined {
  if (query.length < 12) return undefined;
  const view = new DataView(query.buffer, query.byteOffset, query.byteLength);
  const flags = view.getUint16(2);
  if (flags & 0x8000 || view.getUint16(4) !== 1) return undefined; // a response, or not one question
  let at = 12;
  while (at < query.length && query[at] !== 0) at += (query[at] ?? 0) + 1; // labels up to the root
  const end = at + 1 + 4; // root byte, QTYPE, QCLASS
  if (end > query.length) return undefined;
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

/** A share of the responder on one address. */
export interface NxdomainResolver {
  /** The address nodes put in resolv.conf. */
  readonly address: string;
  /** Gives the share back; the socket closes with the last share (idempotent). */
  release(): Promise<void>;
}

const shared = new Map<string, { socket: Promise<Socket>; users: number }>();

function bind(address: string): Promise<Socket> {
  // reuseAddr: test files run in several processes, each with its own responder on the same address;
  // any of them answers the same way.
  const socket = createSocket({ type: address.includes(':') ? 'udp6' : 'udp4', reuseAddr: true });
  socket.on('message', (query, peer) => {
    const answer = nxdomainResponse(query);
    if (answer) socket.send(answer, peer.port, peer.address);
  });
  return new Promise((resolve, reject) => {
    socket.once('error', (error) => {
      reject(
        new Error(
          `cannot serve DNS on ${address}:${DNS_PORT} (${error.message}); it needs root, or pass dns: 'docker'`,
          { cause: error },
        ),
      );
    });
    socket.bind(DNS_PORT, address, () => {
      socket.removeAllListeners('error');
      socket.on('error', () => undefined); // a send to a vanished node is not worth a crash
      socket.unref(); // nodes keep it by share, never the event loop
      resolve(socket);
    });
  });
}

/** Takes a share of the NXDOMAIN responder on `address`, starting it if this is the first. */
export async function acquireNxdomainResolver(address: string): Promise<NxdomainResolver> {
  let entry = shared.get(address);
  if (!entry) {
    entry = { socket: bind(address), users: 0 };
    shared.set(address, entry);
    entry.socket.catch(() => shared.delete(address));
  }
  entry.users++;
  const held = entry;
  try {
    await held.socket;
  } catch (error) {
    held.users--;
    throw error;
  }
  let released = false;
  return {
    address,
    async release() {
      if (released) return;
      released = true;
      if (--held.users > 0) return;
      shared.delete(address);
      const socket = await held.socket;
      await new Promise<void>((resolve) => socket.close(() => resolve()));
    },
  };
}
