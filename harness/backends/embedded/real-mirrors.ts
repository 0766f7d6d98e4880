/**
 * A scenario's distribution and nginx mirrors as the runner sees its stubs: each started by
 * harness/mirrors with the origin's door reserved for it, and wrapped so faults, doors and
 * teardown work as for a stub mirror. The origin gets one extra door per real mirror, on
 * 127.0.0.1 (nodes use 127.0.0.2 and up), named after the mirror: the origin's request events
 * then tell the mirror's fetches (`endpoint: <mirror>`) from nodes' direct pulls, and an origin
 * fault without a node scope reaches the mirror as it would in production. Container and external
 * mirrors (other-mirrors.ts) get their origin door on the Docker gateway and at `upstream`.
 */

import { classifyPath } from '../../../registry-stubs/classify.ts';
import { networkGateway } from '../../containers/network.ts';
import type { MirrorStoreError, RegistryRequest } from '../../events/types.ts';
import { isProcessMirror } from '../../mirrors/requirements.ts';
import { startProcessMirror } from '../../mirrors/start.ts';
import { mirrorsRoot } from '../../mirrors/state.ts';
import type { Mirror, Registry, Scenario } from '../../scenario/resolved.ts';
import { stateRoot } from '../names.ts';
import type { Stub } from '../stub-engine.ts';
import { containerMirrorStub, externalMirrorStub } from './other-mirrors.ts';
import type { ProvisionedStub } from './registries.ts';

/**
 * The origin's extra doors: one per real mirror of `registry` that fetches through the harness:
 * a process mirror's on 127.0.0.1, a container mirror's on the Docker bridge's gateway (the
 * container's way to the host), an external mirror's at its `upstream` when it has one.
 */
export function mirrorOriginDoors(
  registry: Registry,
  gateway?: string,
): { name: string; host: string; port?: number }[] {
  return registry.mirrors.flatMap((m) => {
    if (isProcessMirror(m.type)) return [{ name: m.name, host: '127.0.0.1' }];
    if (m.container) {
      if (!gateway)
        throw new RangeError(`mirror ${m.name} runs in a container: the Docker gateway is needed`);
      return [{ name: m.name, host: gateway }];
    }
    if (m.external?.upstream) return [{ name: m.name, ...m.external.upstream }];
    return [];
  });
}

/** The Docker bridge's gateway when a container mirror needs it; undefined otherwise. */
export async function containerGateway(scenario: Scenario): Promise<string | undefined> {
  if (!scenario.registries.some((r) => r.mirrors.some((m) => m.container))) return undefined;
  return networkGateway();
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

/** Starts (or, external, points at) one real mirror in front of `origin`; returns it as a provisioned stub. */
export async function startRealMirror(o: RealMirrorOptions): Promise<ProvisionedStub> {
  const { mirror, registry } = o;
  if (mirror.external) return externalMirrorStub(mirror.name, registry.name, mirror.external);
  if (mirror.container) return containerMirrorStub(o, mirror.container);
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
