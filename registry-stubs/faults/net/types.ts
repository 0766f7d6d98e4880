/**
 * The shapes every connection fault is made of. A factory (refused(), reset(), …) checks its
 * options once and returns a `NetFault`; applying it calls `start()`, whose actions live until the
 * fault is cleared — the Hono middleware-factory pattern, moved down to sockets.
 */
import type { Socket } from 'node:net';
import type { SecureContext } from 'node:tls';
import type { FaultChange, FaultHit } from '../../../vocab/fault-events.ts';
import type { Scope } from './scope.ts';

/** A connection fault as its factory made it. */
export interface NetFault {
  /** Catalogue name, e.g. `reset`; reported as `fault` in events. */
  readonly name: string;
  /** Options with defaults filled in, as reported in `fault.applied`. */
  readonly options: Readonly<Record<string, unknown>>;
  readonly scope: Scope;
  /** Acts only on connections to a door serving TLS (others are not chosen); default false. */
  readonly needsTls?: boolean;
  /** Starts one application; what it returns acts until `run.cleared` aborts. */
  start(run: FaultRun): FaultActions;
}

/** What one application of a fault gets from the controller. */
export interface FaultRun {
  readonly id: string;
  /** Aborted when the fault is cleared. */
  readonly cleared: AbortSignal;
  /** The application's seeded PRNG, [0, 1); seeded from `scope.seed`. */
  readonly random: () => number;
}

/** What an applied fault does; each part optional. */
export interface FaultActions {
  /** Runs for each new connection the scope chose, in apply order; `next()` goes on towards delivery. */
  connection?: ConnectionMiddleware;
  /** Takes the endpoint's address and port over while applied (the door stops listening). */
  listener?: ListenerTakeover;
  /** Runs once per connection the endpoint already has at apply time; true means touched (a `fault.hit`). */
  existing?: (conn: DoorConnection) => boolean;
}

/** A connection-level middleware; named after its fault so stack traces say which one ran. */
export type ConnectionMiddleware = (conn: DoorConnection, next: () => Promise<void>) => Promise<void>;

/** A connection as the faults see it, from accept until it closes. */
export interface DoorConnection {
  /** Endpoint (node) name of the door. */
  readonly endpoint: string;
  /** Client `ip:port`. */
  readonly client: string;
  /** The accepted TCP socket (paused until delivery). */
  readonly socket: Socket;
  /** The door serves TLS to this connection (unless `plainHttp` is set). */
  readonly tls: boolean;
  /** Certificate for this connection's handshake; default the door's. */
  secureContext: SecureContext | undefined;
  /** Skip TLS and hand the raw bytes to HTTP; default false. */
  plainHttp: boolean;
  /** Response-direction shaping, used once the connection is delivered. */
  readonly shaping: Shaping;
  /** Aborted when the connection closes. */
  readonly closed: AbortSignal;
  /** Sends RST at once (`resetAndDestroy`). */
  reset(): void;
  /** Closes the connection normally (FIN). */
  destroy(): void;
  /** Holds every response byte until `signal` aborts. */
  stallUntil(signal: AbortSignal): void;
}

/** How response bytes are let through. */
export interface Shaping {
  /** RST after this many response bytes (headers included, before TLS); default Infinity. */
  resetAfterBytes: number;
  /** Longest wait for the kernel send queue to empty before that RST; default 0. */
  resetDrainMs: number;
  /** Largest piece handed to the gates at once; default 64 KiB. */
  sliceBytes: number;
  /** Each piece waits for every gate in turn (latency, token buckets). */
  readonly gates: WriteGate[];
}

/** Resolves when `bytes` more response bytes may go; `signal` aborts when the connection closes. */
export type WriteGate = (bytes: number, signal: AbortSignal) => void | Promise<void>;

/** Something that occupies an endpoint's address instead of the door. */
export interface ListenerTakeover {
  /** Takes `host:port` (already released by the door); resolves with the function that gives it back. */
  occupy(host: string, port: number): Promise<() => Promise<void>>;
}

/** What the fault layer reports. */
export type NetFaultEvent = FaultChange | FaultHit;

/** PEM certificate and key for TLS. */
export interface TlsPems {
  certPem: string;
  keyPem: string;
}
