/**
 * One fault id is applied on several stubs when its scope names no registry, and each stub reports
 * its own `fault.applied` / `fault.cleared`: the log gets each change once. A change is counted per
 * stub (the n-th application of an id on that stub), so the same id applied again after a clear is
 * logged again, and stubs whose reports arrive interleaved (relayed feeds, harness/backends/
 * remote-stub/) still give one line per change. `fault.hit`s are per stub and all pass.
 */
import type { FaultChange, FaultHit } from './types.ts';

/** Where each stub's fault events go; `from(stub)` is that stub's listener. */
export interface FaultEventLog {
  from(stub: string): (event: FaultChange | FaultHit) => void;
}

/** Fault events of every stub into `emit`, each change once. */
export function faultEventLog(emit: (event: FaultChange | FaultHit) => void): FaultEventLog {
  const logged = new Set<string>();
  const counts = new Map<string, number>();
  return {
    from: (stub) =>
      function logFaultEvent(event) {
        if (event.kind !== 'fault.hit') {
          const change = `${event.kind}\u0000${event.id}`;
          const nth = (counts.get(`${stub}\u0000${change}`) ?? 0) + 1;
          counts.set(`${stub}\u0000${change}`, nth);
          if (logged.has(`${change}\u0000${nth}`)) return;
          logged.add(`${change}\u0000${nth}`);
        }
        emit(event);
      },
  };
}
