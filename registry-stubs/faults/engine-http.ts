/**
 * Applying an HTTP fault through the engine: the catalogue factory makes the fault, its `start`
 * gets the registry's store and auth, and the engine's scope compiles into the layer entry that the
 * registry's fault slot matches requests against (route, repository, nodes, clients, chance, count).
 */

import type { Store } from '../storage/types.ts';
import type { CatalogueEntry } from './entry.ts';
import { faultError } from './errors.ts';
import type { LayerEntry } from './layer.ts';
import { seededRandom } from './net/index.ts';
import { anyGlob, compileGlob, type FaultScope } from './scope.ts';
import type { FaultSpec, FaultSummary } from './spec.ts';
import type { AuthInfo, HttpFaultActions } from './types.ts';

/** One applied fault; `http` only for faults in the registry's fault slot (net faults live in the front doors). */
export interface Applied {
  summary: FaultSummary;
  http?: { entry: LayerEntry; actions: HttpFaultActions };
}

/** What an HTTP fault's start needs from its registry. */
export interface HttpFaultRegistry {
  now: () => number;
  store: Store;
  auth: AuthInfo;
}

/** Starts HTTP fault `entry` under `id`; refuses one that needs another auth mode than the registry's. */
export async function applyHttp(
  registry: HttpFaultRegistry,
  entry: CatalogueEntry,
  id: string,
  spec: FaultSpec,
  scope: FaultScope,
): Promise<Applied> {
  const { now, auth } = registry;
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
    store: registry.store,
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
