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
import { applyNetFault } from './engine-net.ts';
import type { CatalogueEntry } from './entry.ts';
import { FaultError, faultError } from './errors.ts';
import { createLayer, type LayerEntry } from './layer.ts';
import { type NetFaults, seededRandom } from './net/index.ts';
import { anyGlob, compileGlob, type FaultScope } from './scope.ts';
import { type FaultSpec, type FaultSummary, scopeWithDefaults, specProblems } from './spec.ts';
import type { HttpFaultActions } from './types.ts';

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

interface Applied {
  summary: FaultSummary;
  http?: { entry: LayerEntry; actions: HttpFaultActions };
}

/** Creates the engine; put `engine.layer` in the registry's fault slot. */
export function createFaultEngine(options: FaultEngineOptions): FaultEngine {
  const now = options.now ?? Date.now;
  const auth = authInfoOf(options.auth);
  const applied = new Map<string, Applied>();
  let serial = 0;
  let queue: Promise<unknown> = Promise.resolve();
  const emit = (event: FaultEvent) => {
    try {
      options.onEvent?.(event);
    } catch {
      // Reporting must never break serving.
    }
  };
  const { layer, setActive } = createLayer(now, emit);
  const refresh = () => setActive([...applied.values()].flatMap((a) => (a.http ? [a.http.entry] : [])));
  const change = (kind: FaultChange['kind'], s: FaultSummary) =>
    emit({
      kind,
      time: new Date(now()).toISOString(),
      id: s.id,
      fault: s.fault,
      options: s.options,
      scope: { ...s.scope },
    });
  // Applies and clears run one at a time, so ids and the store stay consistent under concurrent calls.
  const serially = <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(work);
    queue = run.catch(() => {});
    return run;
  };

  async function applyHttp(
    entry: CatalogueEntry,
    id: string,
    spec: FaultSpec,
    scope: FaultScope,
  ): Promise<Applied> {
    if (entry.factory.kind !== 'http') throw new TypeError('not an HTTP fault');
    const fault = entry.factory.create(spec.options ?? {});
    if (fault.needsAuth !== undefined && auth.mode !== fault.needsAuth) {
      throw faultError(
        'FAULT_NOT_APPLICABLE',
        `${entry.name} needs a registry with auth mode '${fault.needsAuth}'; this one has '${auth.mode}'`,
        'fault',
      );
    }
    const seed = scope.seed ?? 1;
    const repository = scope.repository === undefined ? undefined : compileGlob(scope.repository);
    const actions = await fault.start({
      id,
      now,
      random: seededRandom(seed ^ 0x9e3779b9),
      store: options.store,
      auth,
      repository: (name) => repository === undefined || repository.test(name),
    });
    const route = scope.route === undefined || scope.route === 'any' ? undefined : scope.route;
    const layerEntry: LayerEntry = {
      id,
      fault,
      actions,
      ...(route !== undefined && { route }),
      ...(repository !== undefined && { repository }),
      ...(scope.nodes !== undefined && { nodes: new Set(scope.nodes) }),
      ...(scope.clients !== undefined && { clients: anyGlob(scope.clients) }),
      probability: scope.probability ?? 1,
      ...(scope.maxCount !== undefined && { maxCount: scope.maxCount }),
      choose: seededRandom(seed),
      count: 0,
    };
    const summary = {
      id,
      fault: entry.name,
      where: entry.where,
      options: { ...fault.options },
      scope,
      appliedAt: '',
    };
    return { summary, http: { entry: layerEntry, actions } };
  }

  async function clearOne(id: string): Promise<void> {
    const found = applied.get(id);
    if (found === undefined) {
      const ids = [...applied.keys()].join(', ') || 'none applied';
      throw faultError('FAULT_UNKNOWN', `expected the id of an applied fault (${ids}), got '${id}'`, 'id');
    }
    applied.delete(id);
    if (found.http === undefined) return options.net?.clear(id);
    refresh();
    await found.http.actions.clear?.();
    change('fault.cleared', found.summary);
  }

  const engine: FaultEngine = {
    layer,
    apply: (spec) =>
      serially(async () => {
        const problems = specProblems(spec);
        if (problems.length > 0) throw new FaultError('FAULT_INVALID', problems);
        const entry = catalogueEntry(spec.fault)!;
        const id = spec.id ?? `${entry.name}-${++serial}`;
        if (applied.has(id))
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
        const scope = scopeWithDefaults(spec.scope);
        const made =
          entry.factory.kind === 'http'
            ? await applyHttp(entry, id, spec, scope)
            : {
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
        made.summary.appliedAt = new Date(now()).toISOString();
        applied.set(id, made);
        if (made.http !== undefined) {
          refresh();
          change('fault.applied', made.summary);
        }
        return { id, fault: entry.name, clear: () => engine.clear(id) };
      }),
    clear: (id) => serially(() => clearOne(id)),
    clearAll: () =>
      serially(async () => {
        for (const id of [...applied.keys()].reverse()) await clearOne(id);
      }),
    list: () =>
      [...applied.values()].map(({ summary, http }) => ({
        ...summary,
        scope: { ...summary.scope },
        ...(http !== undefined && { hits: http.entry.count }),
      })),
  };
  return engine;
}
