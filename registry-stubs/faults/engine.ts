/**
 * The fault engine attached to a running registry: `apply({ fault, options, scope })` by
 * catalogue name, `clear(id)`, `clearAll()`, `list()`. HTTP faults act in the registry's fault
 * slot (`engine.layer`); connection faults go to the front doors' controller; node faults are
 * the runner's. Every apply and clear is reported (`fault.applied` / `fault.cleared`), and so is
 * every request or connection a fault touched (`fault.hit`).
 */
import type { FaultChange, FaultHit } from '../../vocab/fault-events.ts';
import type { AuthOptions } from '../auth/options.ts';
import type { RegistryMiddleware } from '../context.ts';
import type { Store } from '../storage/types.ts';
import type { CertificateVariants } from '../tls/variants.ts';
import { catalogueEntry } from './catalogue.ts';
import { authInfoOf } from './challenge.ts';
import { type Applied, applyHttp, type HttpFaultRegistry } from './engine-http.ts';
import { applyNetFault } from './engine-net.ts';
import type { CatalogueEntry } from './entry.ts';
import { FaultError, faultError } from './errors.ts';
import { createLayer } from './layer.ts';
import type { NetFaults } from './net/index.ts';
import { type FaultSpec, type FaultSummary, scopeWithDefaults, specProblems } from './spec.ts';

export type { FaultSpec, FaultSummary } from './spec.ts';
export { specProblems } from './spec.ts';

/** What the engine reports. */
export type FaultEvent = FaultChange | FaultHit;

/** Options of `createFaultEngine()`; `startRegistry` passes its own. */
export interface FaultEngineOptions {
  /** The registry's store (tag re-pointing faults change it). */
  store: Store;
  /** The registry's auth options; default none. */
  auth?: AuthOptions;
  /** Clock in ms; default `Date.now`. */
  now?: () => number;
  /** Receives every fault event; default none. Its exceptions are swallowed. */
  onEvent?: (event: FaultEvent) => void;
  /** The front doors' controller; default none (connection faults then cannot apply). */
  net?: NetFaults;
  /** Certificates the TLS faults serve; default none (a TLS certificate fault whose variant is missing cannot apply). */
  certificates?: Partial<CertificateVariants>;
  /**
   * How to get the missing variants, said when a TLS certificate fault cannot apply; default
   * `start the registry with certificates: certificateVariants()` (`pullstorm serve` names its flags).
   */
  certificatesHint?: string;
}

/** What `apply()` resolves with. */
export interface AppliedFault {
  id: string;
  fault: string;
  /** Clears this fault (same as `engine.clear(id)`). */
  clear(): Promise<void>;
}

/** The engine of one registry. */
export interface FaultEngine {
  apply(spec: FaultSpec): Promise<AppliedFault>;
  clear(id: string): Promise<void>;
  /** Clears every applied fault, newest first. */
  clearAll(): Promise<void>;
  list(): FaultSummary[];
  /** The middleware for the registry's fault slot. */
  readonly layer: RegistryMiddleware;
}

/** What one engine's phases share: its options, clock, auth, reporting and the faults applied now. */
interface EngineState extends HttpFaultRegistry {
  options: FaultEngineOptions;
  applied: Map<string, Applied>;
  /** The last generated id's number (`<fault>-<n>`). */
  serial: number;
  layer: RegistryMiddleware;
  /** Puts the applied HTTP faults' entries into the fault slot. */
  refresh(): void;
  /** Reports `fault.applied` / `fault.cleared` of `s`. */
  change(kind: FaultChange['kind'], s: FaultSummary): void;
}

/** Creates the engine; put `engine.layer` in the registry's fault slot. */
export function createFaultEngine(options: FaultEngineOptions): FaultEngine {
  const state = engineState(options);
  const serially = oneAtATime();
  const engine: FaultEngine = {
    layer: state.layer,
    apply: (spec) =>
      serially(async () => {
        const { id, entry } = admit(state, spec);
        record(state, id, await make(state, entry, id, spec));
        return { id, fault: entry.name, clear: () => engine.clear(id) };
      }),
    clear: (id) => serially(() => clearOne(state, id)),
    clearAll: () =>
      serially(async () => {
        for (const id of [...state.applied.keys()].reverse()) await clearOne(state, id);
      }),
    list: () => listApplied(state),
  };
  return engine;
}

/** The engine's wiring, made once: clock, auth, event reporting that never breaks serving, the fault slot. */
function engineState(options: FaultEngineOptions): EngineState {
  const now = options.now ?? Date.now;
  const applied = new Map<string, Applied>();
  const emit = (event: FaultEvent) => {
    try {
      options.onEvent?.(event);
    } catch {
      // Reporting must never break serving.
    }
  };
  const { layer, setActive } = createLayer(now, emit);
  return {
    options,
    now,
    store: options.store,
    auth: authInfoOf(options.auth),
    applied,
    serial: 0,
    layer,
    refresh: () => setActive([...applied.values()].flatMap((a) => (a.http ? [a.http.entry] : []))),
    change: (kind, s) =>
      emit({
        kind,
        time: new Date(now()).toISOString(),
        id: s.id,
        fault: s.fault,
        options: s.options,
        scope: { ...s.scope },
      }),
  };
}

/** Applies and clears run one at a time, so ids and the store stay consistent under concurrent calls. */
function oneAtATime(): <T>(work: () => Promise<T>) => Promise<T> {
  let queue: Promise<unknown> = Promise.resolve();
  return <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(work);
    queue = run.catch(() => {});
    return run;
  };
}

/** Refuses a spec before anything starts (invalid, a taken id, a node fault) and names its id. */
function admit(state: EngineState, spec: FaultSpec): { id: string; entry: CatalogueEntry } {
  const problems = specProblems(spec);
  if (problems.length > 0) throw new FaultError('FAULT_INVALID', problems);
  const entry = catalogueEntry(spec.fault)!;
  const id = spec.id ?? `${entry.name}-${++state.serial}`;
  if (state.applied.has(id))
    throw faultError(
      'FAULT_EXISTS',
      `expected an id no applied fault has, got '${id}'; clear it first`,
      'id',
    );
  if (entry.factory.kind === 'node') {
    throw faultError(
      'FAULT_NOT_APPLICABLE',
      `${entry.name} is injected at the node by the backend (nodeOnly); the runner applies it, not the registry`,
      'fault',
    );
  }
  return { id, entry };
}

/** Starts the fault where it acts: the registry's fault slot (HTTP) or the front doors (connection, TLS). */
async function make(
  state: EngineState,
  entry: CatalogueEntry,
  id: string,
  spec: FaultSpec,
): Promise<Applied> {
  const { options } = state;
  const scope = scopeWithDefaults(spec.scope);
  if (entry.factory.kind === 'http') return applyHttp(state, entry, id, spec, scope);
  return {
    summary: {
      ...{ id, fault: entry.name, where: entry.where, scope, appliedAt: '' },
      options: await applyNetFault(
        entry,
        id,
        spec.options ?? {},
        scope,
        options.net,
        options.certificates,
        options.certificatesHint,
      ),
    },
  };
}

/** Keeps the started fault under its id; an HTTP fault enters the slot and is reported (the front doors report their own). */
function record(state: EngineState, id: string, made: Applied): void {
  made.summary.appliedAt = new Date(state.now()).toISOString();
  state.applied.set(id, made);
  if (made.http !== undefined) {
    state.refresh();
    state.change('fault.applied', made.summary);
  }
}

/** Clears applied fault `id`, or says which ids there are. */
async function clearOne(state: EngineState, id: string): Promise<void> {
  const { applied } = state;
  const found = applied.get(id);
  if (found === undefined) {
    const ids = [...applied.keys()].join(', ') || 'none applied';
    throw faultError('FAULT_UNKNOWN', `expected the id of an applied fault (${ids}), got '${id}'`, 'id');
  }
  applied.delete(id);
  if (found.http === undefined) return state.options.net?.clear(id);
  state.refresh();
  await found.http.actions.clear?.();
  state.change('fault.cleared', found.summary);
}

/** The applied faults as `list()` shows them, with the hits of each HTTP fault. */
function listApplied(state: EngineState): FaultSummary[] {
  return [...state.applied.values()].map(({ summary, http }) => ({
    ...summary,
    scope: { ...summary.scope },
    ...(http !== undefined && { hits: http.entry.count }),
  }));
}
