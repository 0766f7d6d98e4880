/**
 * Provisioning a scenario's registries: each registry and each of its mirrors is a stub with one
 * front door per node (the node's own loopback address, so node-scoped faults work), its own CA
 * and a leaf valid for the registry's name and every door address when it serves TLS, the
 * scenario's users, and the fixture images. Every request and fault event goes to the event log.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AuthOptions } from '../../../registry-stubs/auth/options.ts';
import { fixtureImages } from '../../../registry-stubs/fixtures/catalogue.ts';
import type { ImageBundle } from '../../../registry-stubs/oci/types.ts';
import { certificateVariants, createCertificateAuthority } from '../../../registry-stubs/tls/index.ts';
import { faultEventLog } from '../../events/fault-events.ts';
import type { RunEvent } from '../../events/types.ts';
import type { RunClock } from '../../kubelet/run-clock.ts';
import type { ExternalHostSettings } from '../../mirrors/external.ts';
import { isRealMirror } from '../../mirrors/requirements.ts';
import type { Access, Registry, Scenario } from '../../scenario/resolved.ts';
import { REGISTRY_DOMAIN } from '../names.ts';
import { type Stub, startStub } from '../stub-engine.ts';
import { containerGateway, mirrorOriginDoors, startRealMirror } from './real-mirrors.ts';

/** One provisioned stub: a scenario registry or one of its mirrors. */
export interface ProvisionedStub {
  /** Registry or mirror name, as fault scopes name it. */
  name: string;
  /** The registry it serves (itself for a registry, the origin for a mirror). */
  registry: string;
  stub: Stub;
  /** PEM of the CA nodes must trust; undefined for plain HTTP. */
  caPem?: string;
  /** The door of node `node`. */
  door(node: string): { url: string; host: string; port: number };
  /** Reads what is still pending of its events (a real mirror's log); default nothing to read. */
  quiesce?(): Promise<void>;
  /** An external mirror's own hosts.toml settings (CA, skip_verify, credentials); default the registry's CA. */
  hostSettings?: ExternalHostSettings;
  /** A mirror's `nodes`: the only nodes whose hosts.toml lists it; undefined: every node. */
  nodes?: readonly string[];
}

/** The stubs of a run, registries first, each followed by its mirrors in file order. */
export type Stubs = ProvisionedStub[];

/** A registry's users in the stub's terms (one access rule per repository glob). */
export function stubAuth(registry: Registry): AuthOptions | undefined {
  const auth = registry.auth;
  if (!auth) return undefined;
  const rules = (a: Access) => a.repositories.map((repository) => ({ repository, actions: [...a.actions] }));
  return {
    mode: auth.mode,
    users: auth.users.map((u) => ({ username: u.username, password: u.password, access: rules(u) })),
    anonymous: auth.anonymous.flatMap(rules),
  };
}

/**
 * The fixture images of a registry, each under its `1.0` tag and also as `latest`, so a reference
 * without a tag (kubelet's `:latest` and pull policy Always) finds the same image.
 */
export function registryImages(registry: Registry): ImageBundle[] {
  const images = fixtureImages({
    include: registry.fixtures.include,
    largeSizeBytes: registry.fixtures.largeSizeBytes,
    largeLayers: registry.fixtures.largeLayers,
  });
  return [...images, ...images.map((image) => ({ ...image, tag: 'latest' }))];
}

/** Options of {@link provisionRegistries}. */
export interface ProvisionRegistriesOptions {
  scenario: Scenario;
  /** Loopback address of each node's doors, by node name. */
  addresses: ReadonlyMap<string, string>;
  emit: (event: RunEvent) => void;
  /** Where to write each TLS registry's `ca.crt` (for users of `--retain`). */
  tlsDir: string;
  /** The run clock: the stubs' time (rate-limit windows, token expiry, events) and their requests as work. */
  clock: RunClock;
  /** The run id distribution and nginx mirrors are recorded under (for `pullstorm clean`); default `run`. */
  runId?: string;
}

/** Starts every registry and mirror; on failure closes those already started and throws. */
export async function provisionRegistries(o: ProvisionRegistriesOptions): Promise<Stubs> {
  const started: Stubs = [];
  const faultEvents = faultEventLog(o.emit);
  const endpoints = [...o.addresses].map(([name, host]) => ({ name, host }));
  const ips = [...new Set(o.addresses.values())];
  try {
    const gateway = await containerGateway(o.scenario);
    for (const registry of o.scenario.registries) {
      const ca = registry.tls
        ? await createCertificateAuthority({ commonName: `pullstorm ${registry.name} CA` })
        : undefined;
      if (ca) {
        await mkdir(join(o.tlsDir, registry.name), { recursive: true });
        await writeFile(join(o.tlsDir, registry.name, 'ca.crt'), ca.certPem);
      }
      const images = registryImages(registry);
      const auth = stubAuth(registry);
      let origin: Stub | undefined;
      for (const name of [registry.name, ...registry.mirrors.map((m) => m.name)]) {
        const real = registry.mirrors.find((m) => m.name === name && isRealMirror(m.type));
        const placement = registry.mirrors.find((m) => m.name === name)?.nodes;
        const nodes = placement ? { nodes: placement } : {};
        if (real && origin) {
          started.push({
            ...nodes,
            ...(await startRealMirror({
              runId: o.runId ?? 'run',
              registry,
              mirror: real,
              origin,
              endpoints,
              emit: o.emit,
              onFaultEvent: faultEvents.from(name),
              now: () => o.clock.now(),
            })),
          });
          continue;
        }
        // The good certificate and the broken ones the TLS faults serve, all for this door set.
        const certificates = ca
          ? await certificateVariants(ca, { hosts: [`${name}.${REGISTRY_DOMAIN}`, 'localhost'], ips })
          : undefined;
        const stub = await startStub({
          // The origin has one more door per real mirror, which the mirror fetches through.
          endpoints:
            name === registry.name ? [...endpoints, ...mirrorOriginDoors(registry, gateway)] : endpoints,
          ...(certificates ? { certificates } : {}),
          ...(auth ? { auth } : {}),
          images,
          now: () => o.clock.now(),
          work: o.clock,
          onRequest: (event) => o.emit({ ...event, registry: name }),
          onFaultEvent: faultEvents.from(name),
        });
        if (name === registry.name) origin = stub;
        const doors = new Map(stub.endpoints.map((e) => [e.name, e]));
        started.push({
          ...nodes,
          name,
          registry: registry.name,
          stub,
          ...(ca ? { caPem: ca.certPem } : {}),
          door: (node) => {
            const door = doors.get(node);
            if (!door) throw new RangeError(`stub ${name} has no door for node ${node}`);
            return door;
          },
        });
      }
    }
    return started;
  } catch (error) {
    await closeStubs(started).catch(() => undefined);
    throw error;
  }
}

/** Closes every stub (faults cleared, doors closed); throws the failures together. */
export async function closeStubs(stubs: Stubs): Promise<void> {
  const results = await Promise.allSettled(stubs.map((s) => s.stub.close()));
  const errors = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
  if (errors.length > 0) throw new AggregateError(errors, `closing ${errors.length} registry stub(s) failed`);
}
