/**
 * Holding connections: accepted and never answered (the stall blackhole, tls-stall) or open ones
 * that stop getting response bytes (a partition). Held connections go on when the fault clears,
 * as traffic does when a network heals; after the fault's safety bound they are dropped.
 */
import { whenAborted } from './signals.ts';
import type { ConnectionMiddleware, DoorConnection, FaultRun } from './types.ts';
import { checkNumber, type Problems } from './validate.ts';

/** Default safety bound of a stall: 1 hour. */
export const DEFAULT_MAX_STALL_MS = 60 * 60 * 1000;

/** Checks a `maxStallMs` option: 1 ms to 24 h. */
export function checkMaxStall(problems: Problems, value: unknown): void {
  checkNumber(problems, 'maxStallMs', value, { min: 1, max: 24 * 60 * 60 * 1000 });
}

/** Middleware that holds a new connection (nothing read, nothing sent) until `run` clears or `giveUp` aborts. */
export function holdNew(name: string, run: FaultRun, giveUp: AbortSignal): ConnectionMiddleware {
  const hold: ConnectionMiddleware = async (conn, next) => {
    await Promise.race([whenAborted(run.cleared), whenAborted(conn.closed), whenAborted(giveUp)]);
    if (conn.closed.aborted) return;
    if (run.cleared.aborted) return next();
    conn.destroy();
  };
  return Object.defineProperty(hold, 'name', { value: name });
}

/** Stalls the response direction of an open connection until `run` clears; drops it if `giveUp` aborts first. */
export function stallOpen(conn: DoorConnection, run: FaultRun, giveUp: AbortSignal): boolean {
  conn.stallUntil(run.cleared);
  giveUp.addEventListener('abort', () => conn.destroy(), { once: true, signal: conn.closed });
  return true;
}
