/**
 * The two real mirrors that are not local processes, as the runner sees its stubs. An external
 * mirror is only a URL: every node's door is that URL, it has no fault controls (validation refuses
 * faults scoped to it; the `dns` node fault still rewrites its entry), and nothing is closed. A
 * container mirror is started with testcontainers, with `{{origin}}` the origin's door on the Docker
 * gateway named after the mirror, so the origin's events tell its fetches apart as for a process
 * mirror.
 */
import { startContainerMirror } from '../../mirrors/container.ts';
import { externalHostSettings } from '../../mirrors/external.ts';
import type { ContainerMirror, ExternalMirror } from '../../scenario/resolved.ts';
import type { RealMirrorOptions } from './real-mirrors.ts';
import type { ProvisionedStub } from './registries.ts';

/** The user's mirror at `external.url`, for every node, with its hosts.toml settings. */
export async function externalMirrorStub(
  name: string,
  registry: string,
  external: ExternalMirror,
): Promise<ProvisionedStub> {
  const u = new URL(external.url);
  const port = Number(u.port || (u.protocol === 'https:' ? 443 : 80));
  const door = { url: external.url, host: u.hostname, port };
  return {
    name,
    registry,
    stub: {
      endpoints: [],
      apply: async (request) => {
        throw new TypeError(
          `fault ${request.id}: ${name} is an external mirror; the harness cannot inject ${request.fault} there`,
        );
      },
      close: async () => undefined,
    },
    door: () => door,
    hostSettings: await externalHostSettings(external),
  };
}

/** Starts the container mirror in front of the origin's door named after it. */
export async function containerMirrorStub(
  o: RealMirrorOptions,
  spec: ContainerMirror,
): Promise<ProvisionedStub> {
  const { mirror, registry } = o;
  const originDoor = o.origin.endpoints.find((e) => e.name === mirror.name);
  if (!originDoor) throw new RangeError(`registry ${registry.name} has no door for mirror ${mirror.name}`);
  const started = await startContainerMirror({
    runId: o.runId,
    name: mirror.name,
    spec,
    origin: originDoor.url,
    endpoints: o.endpoints,
    onFaultEvent: o.onFaultEvent,
    now: o.now,
  });
  const doors = new Map(started.endpoints.map((e) => [e.name, e]));
  return {
    name: mirror.name,
    registry: registry.name,
    stub: { endpoints: started.endpoints, apply: (r) => started.apply(r), close: () => started.close() },
    door(node) {
      const door = doors.get(node);
      if (!door) throw new RangeError(`mirror ${mirror.name} has no door for node ${node}`);
      return door;
    },
  };
}
