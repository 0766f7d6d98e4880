/**
 * The fault controller: applies and clears connection faults at run time, decides which faults a
 * new connection gets (endpoint, seeded probability, maximum count) and reports every change and
 * every touched connection. One controller may serve many doors, so one fault can hit some
 * nodes and spare others.
 */
import { seededRandom } from './random.ts';
import { coversEndpoint } from './scope.ts';
import type {
  ConnectionMiddleware,
  DoorConnection,
  FaultActions,
  ListenerTakeover,
  NetFault,
  NetFaultEvent,
} from './types.ts';

/** Options of `createNetFaults()`. */
export interface NetFaultsOptions {
  /** Receives `fault.applied`, `fault.cleared` and `fault.hit`; default none. Its exceptions are swallowed. */
  onEvent?: ((event: NetFaultEvent) => void) | undefined;
  /** Clock for event times; default `Date.now`. */
  now?: () => number;
}

/** One applied fault. */
export interface AppliedNetFault {
  readonly id: string;
  readonly fault: NetFault;
}

/** An endpoint the controller acts on; a front door implements it. */
export interface FaultEndpoint {
  readonly name: string;
  /** Makes the right party listen: the door, or the newest takeover `listenerFor()` names. */
  reconcileListener(): Promise<void>;
  /** Connections open right now, delivered or not. */
  connections(): Iterable<DoorConnection>;
}

/** Applies and clears faults; shared by the doors it is given to. */
export interface NetFaults {
  /** Applies `fault`; resolves with its id (default `<name>-<n>`) once it is in effect. */
  apply(fault: NetFault, options?: { id?: string }): Promise<string>;
  /** Clears the fault with `id`; resolves once the endpoint is back (listening again, stalls released). */
  clear(id: string): Promise<void>;
  /** Clears every applied fault, newest first. */
  clearAll(): Promise<void>;
  /** The applied faults in apply order. */
  active(): readonly AppliedNetFault[];
  /** For doors: the takeover that should hold `endpoint`'s address (newest wins), or undefined for the door. */
  listenerFor(endpoint: string): ListenerTakeover | undefined;
  /** For doors: the middleware of the faults chosen for a new connection; reports a hit for each. */
  choose(conn: DoorConnection): ConnectionMiddleware[];
  /** For doors: registers an endpoint and brings it in line with the applied faults; resolves with detach. */
  attach(endpoint: FaultEndpoint): Promise<() => void>;
}

interface Entry {
  id: string;
  fault: NetFault;
  actions: FaultActions;
  abort: AbortController;
  /** Draws for probability only, so jitter draws cannot shift which connections are chosen. */
  choose: () => number;
  count: number;
}

/** Creates a fault controller. */
export function createNetFaults(options: NetFaultsOptions = {}): NetFaults {
  const now = options.now ?? Date.now;
  const applied = new Map<string, Entry>();
  const endpoints = new Set<FaultEndpoint>();
  let serial = 0;

  const emit = (event: NetFaultEvent) => {
    try {
      options.onEvent?.(event);
    } catch {
      // Reporting must never break serving.
    }
  };
  const time = () => new Date(now()).toISOString();
  const inScope = (entry: Entry) => [...endpoints].filter((e) => coversEndpoint(entry.fault.scope, e.name));
  const reconcile = (entry: Entry) => Promise.all(inScope(entry).map((e) => e.reconcileListener()));
  const change = (kind: 'fault.applied' | 'fault.cleared', entry: Entry) =>
    emit({
      kind,
      time: time(),
      id: entry.id,
      fault: entry.fault.name,
      options: { ...entry.fault.options },
      scope: { ...entry.fault.scope },
    });
  const hit = (entry: Entry, conn: DoorConnection) =>
    emit({
      kind: 'fault.hit',
      time: time(),
      id: entry.id,
      fault: entry.fault.name,
      endpoint: conn.endpoint,
      client: conn.client,
    });

  return {
    async apply(fault, applyOptions = {}) {
      const id = applyOptions.id ?? `${fault.name}-${++serial}`;
      if (applied.has(id)) throw new Error(`a fault with id '${id}' is already applied; clear it first`);
      const abort = new AbortController();
      const seed = fault.scope.seed;
      const actions = fault.start({ id, cleared: abort.signal, random: seededRandom(seed ^ 0x9e3779b9) });
      const entry: Entry = { id, fault, actions, abort, choose: seededRandom(seed), count: 0 };
      applied.set(id, entry);
      if (actions.listener !== undefined) {
        try {
          await reconcile(entry);
        } catch (err) {
          applied.delete(id);
          abort.abort();
          await reconcile(entry).catch(() => {});
          throw err;
        }
      }
      change('fault.applied', entry);
      if (actions.existing !== undefined) {
        for (const endpoint of inScope(entry)) {
          for (const conn of endpoint.connections()) if (actions.existing(conn)) hit(entry, conn);
        }
      }
      return id;
    },
    async clear(id) {
      const entry = applied.get(id);
      if (entry === undefined) {
        throw new RangeError(
          `no applied fault has id '${id}' (applied: ${[...applied.keys()].join(', ') || 'none'})`,
        );
      }
      applied.delete(id);
      entry.abort.abort();
      if (entry.actions.listener !== undefined) await reconcile(entry);
      change('fault.cleared', entry);
    },
    async clearAll() {
      for (const id of [...applied.keys()].reverse()) await this.clear(id);
    },
    active: () => [...applied.values()].map(({ id, fault }) => ({ id, fault })),
    listenerFor(endpoint) {
      let newest: ListenerTakeover | undefined;
      for (const entry of applied.values()) {
        if (entry.actions.listener !== undefined && coversEndpoint(entry.fault.scope, endpoint)) {
          newest = entry.actions.listener;
        }
      }
      return newest;
    },
    choose(conn) {
      const chosen: ConnectionMiddleware[] = [];
      for (const entry of applied.values()) {
        const { connection } = entry.actions;
        const { scope, needsTls } = entry.fault;
        if (connection === undefined || !coversEndpoint(scope, conn.endpoint)) continue;
        if (needsTls === true && !conn.tls) continue;
        if (scope.maxCount !== undefined && entry.count >= scope.maxCount) continue;
        if (scope.probability < 1 && entry.choose() >= scope.probability) continue;
        entry.count++;
        hit(entry, conn);
        chosen.push(connection);
      }
      return chosen;
    },
    async attach(endpoint) {
      endpoints.add(endpoint);
      if (this.listenerFor(endpoint.name) !== undefined) await endpoint.reconcileListener();
      return () => endpoints.delete(endpoint);
    },
  };
}
