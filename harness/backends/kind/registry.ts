/**
 * The scenario's registries as stub containers on kind's Docker network. Each answers under its
 * image-reference host name (`hub.pullstorm.test`, port 5000 as in references), and the first one
 * also under the stable alias `pullstorm-registry`; with TLS its certificate is valid for those names
 * (`pullstorm serve --tls-san`). Docker's embedded DNS resolves the aliases for containerd on the nodes.
 *
 * This starts the container itself rather than through `startStubContainer` because that helper does
 * not pass `--tls-san` for its aliases yet; the image, labels, ready line and CA copy are the same.
 * Users (an htpasswd of bcrypt hashes) and each stub's random control token are files copied into
 * the container before it starts (containers/stub-secrets.ts), never flags. With the token the
 * backend applies faults and follows the stub's event feed through the mapped port of the
 * stub's control listener (`controlUrl`, container port 5001), which no fault touches: connection
 * and TLS faults act on the registry port (serve's front door), as the nodes reach it on the
 * network. Two kind runs at once on one Docker host would share the `kind` network and so these
 * aliases: run them one after another.
 */
import { GenericContainer, type StartedTestContainer, Wait } from 'testcontainers';
import { runLabels } from '../../containers/labels.ts';
import { readyLineWatcher } from '../../containers/ready-line.ts';
import { STUB_CONTAINER_PORT, stubImage } from '../../containers/stub-image.ts';
import { STUB_CONTROL_TOKEN_FILE, STUB_USERS_FILE, stubSecretFiles } from '../../containers/stub-secrets.ts';
import { readFirstFile } from '../../containers/tar.ts';
import type { Registry } from '../../scenario/resolved.ts';
import { STUB_CONTROL_PORT, serveArgs } from '../kubeconfig/stub-manifests.ts';
import { REGISTRY_DOMAIN, registryHost } from '../names.ts';
import { newControlToken } from '../remote-stub.ts';

/** The stable alias of the first registry: `pullstorm-registry`. */
export const STABLE_ALIAS = 'pullstorm-registry';
/** kind's Docker network: `kind` (kind creates it with the first cluster). */
export const KIND_NETWORK = 'kind';

/** One stub container, as the nodes and the host reach it. */
export interface KindStub {
  /** Registry or mirror name. */
  name: string;
  /** The registry it serves (itself, or the origin of a mirror). */
  registry: string;
  /** `hub.pullstorm.test:5000`: host in image references and hosts.toml directory. */
  host: string;
  /** `https://hub.pullstorm.test:5000` as the nodes reach it. */
  nodeUrl: string;
  /** `https://localhost:<port>` as this machine reaches the registry port (seeding, k6); faults act here. */
  hostUrl: string;
  /** `https://localhost:<port>` as this machine reaches the control listener: its control API and event feed. */
  controlUrl: string;
  aliases: string[];
  /** CA PEM for TLS stubs. */
  caPem?: string;
  /** The stub's control token (`--control-token`): its control API and event feed at `controlUrl`. */
  controlToken: string;
  container: StartedTestContainer;
}

/** The aliases of stub `name`; `first` adds the stable alias. */
export function stubAliases(name: string, first: boolean): string[] {
  return [`${name}.${REGISTRY_DOMAIN}`, ...(first ? [STABLE_ALIAS] : [])];
}

/** `pullstorm serve` arguments for a stub on the kind network. */
export function kindServeArgs(registry: Registry, aliases: string[]): string[] {
  const tls = registry.tls ? ['--tls', ...aliases.flatMap((a) => ['--tls-san', a])] : [];
  const extra = {
    controlPort: STUB_CONTROL_PORT,
    controlTokenFile: STUB_CONTROL_TOKEN_FILE,
    ...(registry.auth && { usersFile: STUB_USERS_FILE }),
  };
  return [...tls, ...serveArgs(registry, extra)];
}

/** Starts one stub (`name` is the registry or one of its mirrors) on `network`. */
export async function startKindStub(
  runId: string,
  registry: Registry,
  name: string,
  first: boolean,
  network = KIND_NETWORK,
): Promise<KindStub> {
  const aliases = stubAliases(name, first);
  const controlToken = newControlToken();
  const image = await stubImage();
  const watcher = readyLineWatcher();
  const started = await new GenericContainer(image.name)
    .withCommand(kindServeArgs(registry, aliases))
    .withCopyContentToContainer(stubSecretFiles({ users: registry.auth?.users, controlToken }))
    .withLabels(runLabels(runId, 'registry-stub'))
    .withName(`pullstorm-${runId}-${name}-${crypto.randomUUID().slice(0, 6)}`)
    .withNetworkMode(network)
    .withNetworkAliases(...aliases)
    .withExposedPorts(STUB_CONTAINER_PORT, STUB_CONTROL_PORT)
    .withLogConsumer(watcher.consume)
    .withWaitStrategy(Wait.forLogMessage(/^\{"ready":true/))
    .withStartupTimeout(60_000)
    .start()
    .catch((error: Error) => {
      throw new Error(
        `registry stub ${name} did not start on network ${network}: ${error.message}${watcher.tail()}`,
        { cause: error },
      );
    });
  try {
    const ready = await watcher.ready();
    const scheme = ready.tls ? 'https' : 'http';
    const caPem = ready.caFile
      ? new TextDecoder().decode(await readFirstFile(await started.copyArchiveFromContainer(ready.caFile)))
      : undefined;
    const host = registryHost(name);
    return {
      name,
      registry: registry.name,
      host,
      nodeUrl: `${scheme}://${host}`,
      hostUrl: `${scheme}://localhost:${started.getMappedPort(STUB_CONTAINER_PORT)}`,
      controlUrl: `${scheme}://localhost:${started.getMappedPort(STUB_CONTROL_PORT)}`,
      aliases,
      ...(caPem ? { caPem } : {}),
      controlToken,
      container: started,
    };
  } catch (error) {
    await started.stop().catch(() => undefined);
    throw error;
  }
}

/** Every registry and mirror of the scenario as stubs (registries first, each followed by its mirrors). */
export async function startKindStubs(
  runId: string,
  registries: readonly Registry[],
  network = KIND_NETWORK,
): Promise<KindStub[]> {
  const cache = registries.flatMap((r) =>
    r.mirrors.filter((m) => m.type !== 'stub').map((m) => `${r.name}/${m.name}`),
  );
  if (cache.length)
    throw new RangeError(
      `backend kind: only 'stub' mirrors are supported; ${cache.join(', ')} are pull-through caches`,
    );
  const stubs: KindStub[] = [];
  try {
    for (const [i, r] of registries.entries()) {
      stubs.push(await startKindStub(runId, r, r.name, i === 0, network));
      for (const m of r.mirrors) stubs.push(await startKindStub(runId, r, m.name, false, network));
    }
    return stubs;
  } catch (error) {
    await stopKindStubs(stubs);
    throw error;
  }
}

/** Stops and removes the stub containers; never throws. */
export async function stopKindStubs(stubs: readonly KindStub[]): Promise<void> {
  await Promise.allSettled(stubs.map((s) => s.container.stop()));
}
