/**
 * One front door per node in front of a mirror process: a TCP relay on the node's own loopback
 * address to the mirror's port, so connection faults (refused, reset, latency, blackhole,
 * bandwidth) scoped to the mirror and to nodes act on a real mirror as they do on a stub. HTTP
 * faults cannot: the mirror's HTTP is its own, which is the point of running it.
 */
import { connect } from 'node:net';
import type { Duplex } from 'node:stream';
import { catalogueEntry } from '../../registry-stubs/faults/catalogue.ts';
import { applyNetFault } from '../../registry-stubs/faults/engine-net.ts';
import {
  createFrontDoor,
  createNetFaults,
  type FrontDoor,
  type NetFaultEvent,
} from '../../registry-stubs/faults/net/index.ts';

/** A fault as the runner hands it (the engine's request shape). */
export interface MirrorFaultRequest {
  id: string;
  fault: string;
  options: Record<string, unknown>;
  scope: { nodes?: readonly string[]; probability?: number; maxCount?: number };
}

/** The doors of one mirror. */
export interface MirrorDoors {
  readonly endpoints: readonly { name: string; host: string; port: number; url: string }[];
  /** Applies a connection fault on the doors; resolves with the function that clears it. */
  apply(request: MirrorFaultRequest): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/** Options of {@link openMirrorDoors}. */
export interface MirrorDoorsOptions {
  /** What errors call the mirror, e.g. `mirror cache (distribution)`. */
  what: string;
  /** One door per node, on the node's loopback address. */
  endpoints: readonly { name: string; host: string }[];
  /** The mirror process's port on 127.0.0.1. */
  port: number;
  onFaultEvent?: (event: NetFaultEvent) => void;
  now?: () => number;
}

/** Relays `socket` to the mirror; either side closing closes both. */
function relay(port: number) {
  return function relayToMirror(socket: Duplex) {
    const upstream = connect(port, '127.0.0.1');
    const end = () => {
      socket.destroy();
      upstream.destroy();
    };
    upstream.on('error', end);
    socket.on('error', end);
    upstream.on('close', end);
    socket.on('close', end);
    socket.pipe(upstream);
    upstream.pipe(socket);
  };
}

/** Opens every door; on failure closes those already open. */
export async function openMirrorDoors(o: MirrorDoorsOptions): Promise<MirrorDoors> {
  const net = createNetFaults({ onEvent: o.onFaultEvent, ...(o.now ? { now: o.now } : {}) });
  const doors: FrontDoor[] = [];
  try {
    for (const e of o.endpoints) {
      doors.push(await createFrontDoor({ host: e.host, name: e.name, faults: net, deliver: relay(o.port) }));
    }
  } catch (error) {
    await Promise.allSettled(doors.map((d) => d.close()));
    throw error;
  }
  return {
    endpoints: doors.map((d) => ({ name: d.name, host: d.host, port: d.port, url: d.url })),
    async apply(request) {
      const entry = catalogueEntry(request.fault);
      if (entry?.factory.kind !== 'net') {
        throw new TypeError(
          `fault ${request.id}: ${request.fault} acts on HTTP requests, which ${o.what} answers itself; expected a connection fault (refused, reset, latency, blackhole, bandwidth) on a real mirror, or scope it to the origin`,
        );
      }
      const { nodes, probability, maxCount } = request.scope;
      await applyNetFault(
        entry,
        request.id,
        request.options,
        {
          ...(nodes ? { nodes } : {}),
          ...(probability !== undefined ? { probability } : {}),
          ...(maxCount !== undefined ? { maxCount } : {}),
        },
        net,
        undefined,
      );
      return () => net.clear(request.id);
    },
    async close() {
      await net.clearAll().catch(() => undefined);
      await Promise.allSettled(doors.map((d) => d.close()));
    },
  };
}
