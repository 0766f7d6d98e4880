/**
 * A scenario's distribution and nginx mirrors as the runner sees its stubs: each started by
 * harness/mirrors with the origin's door reserved for it, and wrapped so faults, doors and
 * teardown work as for a stub mirror. The origin gets one extra door per real mirror, on
 * 127.0.0.1 (nodes use 127.0.0.2 and up), named after the mirror: the origin's request events
 * then tell the mirror's fetches (`endpoint: <mirror>`) from nodes' direct pulls, and an origin
 * fault without a node scope reaches the mirror as it would in production.
 */

import { classifyPath } from '../../../registry-stubs/classify.ts';
import type { MirrorStoreError, RegistryRequest } from '../../events/types.ts';
import { isProcessMirror } from '../../mirrors/requirements.ts';
import { startProcessMirror } from '../../mirrors/start.ts';
import { mirrorsRoot } from '../../mirrors/state.ts';
import type { Mirror, Registry } from '../../scenario/resolved.ts';
import { stateRoot } from '../names.ts';
import type { Stub } from '../stub-engine.ts';
import type { ProvisionedStub } from './registries.ts';

/** The origin's extra doors: one per real mirror of `registry`. */
export function mirrorOriginDoors(registry: Registry): { name: string; host: string }[] {
  return registry.mirrors
    .filter((m) => isProcessMirror(m.type))
    .map((m) => ({ name: m.name, host: '127.0.0.1' }));
}

/** Options of {@link startRealMirror}. */
export interface RealMirrorOptions {
  runId: string;
  registry: Registry;
  mirror: Mirror;
  origin: Stub;
  /** Node doors: one per node. */
  endpoints: { name: string; host: string }[];
  /** Where the mirror's answered requests go, as `registry.request` events of the mirror. */
  emit: (event: RegistryRequest | MirrorStoreError) => void;
  onFaultEvent: NonNullable<Parameters<typeof startProcessMirror>[0]['onFaultEvent']>;
  now: () => number;
}

/** Starts one real mirror in front of `origin` and returns it as a provisioned stub. */
export async function startRealMirror(o: RealMirrorOptions): Promise<ProvisionedStub> {
  const { mirror, registry } = o;
  if (!isProcessMirror(mirror.type))
    throw new TypeError(`mirror ${mirror.name} is a ${mirror.type}, not a started mirror`);
  const originDoor = o.origin.endpoints.find((e) => e.name === mirror.name);
  if (!originDoor) throw new RangeError(`registry ${registry.name} has no door for mirror ${mirror.name}`);
  const user = registry.auth?.users.find((u) => u.username === mirror.credentials);
  const started = await startProcessMirror({
    runId: o.runId,
    name: mirror.name,
    type: mirror.type,
    origin: originDoor.url,
    ...(user ? { credentials: { username: user.username, password: user.password } } : {}),
    ...(mirror.lock === undefined ? {} : { lock: mirror.lock }),
    ...(mirror.diskBytes === undefined ? {} : { diskBytes: mirror.diskBytes }),
    root: mirrorsRoot(stateRoot()),
    endpoints: o.endpoints,
    onFaultEvent: o.onFaultEvent,
    now: o.now,
    onStoreError: (message) =>
      o.emit({
        kind: 'mirror.store-error',
        time: new Date(o.now()).toISOString(),
        mirror: mirror.name,
        message,
      }),
    onRequest: (r) =>
      o.emit({
        kind: 'registry.request',
        // Stamped when read: the log's wall time is not the run clock's.
        time: new Date(o.now()).toISOString(),
        registry: mirror.name,
        method: r.method,
        path: r.path,
        ...classifyPath(r.path),
        status: r.status,
        bytes: r.bytes,
        ...(r.cache ? { cache: r.cache } : {}),
      }),
  });
  const doors = new Map(started.endpoints.map((e) => [e.name, e]));
  const stub: Stub = {
    endpoints: started.endpoints,
    apply: (request) => started.apply(request),
    close: () => started.close(),
  };
  return {
    name: mirror.name,
    registry: registry.name,
    stub,
    quiesce: () => started.drain(),
    door(node) {
      const door = doors.get(node);
      if (!door) throw new RangeError(`mirror ${mirror.name} has no door for node ${node}`);
      return door;
    },
  };
}
