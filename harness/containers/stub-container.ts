/**
 * The registry stub as a container: `pullstorm serve` from the locally built stub image (stub-image.ts),
 * started through testcontainers, ready when it prints its JSON ready line.
 *
 * TLS: the stub generates its CA inside the container (a temp dir, named by `caFile` in the ready line)
 * and the CA is copied out with the archive API into a host temp dir. Chosen over a bind-mounted
 * --tls-dir because it also works with a remote engine and leaves no root-owned files on the host.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GenericContainer, type StartedNetwork, type StartedTestContainer, Wait } from 'testcontainers';
import type { ServeReady } from '../../registry-stubs/serve/serve-registry.ts';
import { runLabels } from './labels.ts';
import { readyLineWatcher } from './ready-line.ts';
import { STUB_CONTAINER_PORT, type StubImage, stubImage } from './stub-image.ts';
import { STUB_USERS_FILE, stubSecretFiles } from './stub-secrets.ts';
import { readFirstFile } from './tar.ts';

/** Options of `startStubContainer()`. */
export interface StubContainerOptions {
  /** Run id, put on the container as the `pullstorm.run-id` label; required. */
  runId: string;
  /** Serve HTTPS with a CA generated in the container; default false. */
  tls?: boolean;
  /** Authentication mode; default `basic` when `users` are given, else `none`. */
  auth?: 'none' | 'basic' | 'token';
  /** Users with pull/push/delete everywhere; default none (required unless auth is `none`). */
  users?: { username: string; password: string }[];
  /** Seed the fixture images; default true. */
  fixtures?: boolean;
  /** Docker network to join (a testcontainers network or a network name, e.g. `kind`); default the bridge. */
  network?: StartedNetwork | string;
  /** Names other containers on `network` reach the stub by; default [`pullstorm-registry`]. */
  networkAliases?: string[];
  /** How long to wait for the ready line; default 60 000 ms. */
  startupTimeoutMs?: number;
}

/** A running stub container; `await using` stops and removes it. */
export interface StubContainer extends AsyncDisposable {
  /** Base URL from the host: `http(s)://localhost:<mapped port>`. */
  url: string;
  /** Base URL from other containers: `http(s)://<first alias>:5000`, or the bridge IP without a network. */
  containerUrl: string;
  /** The ready line as the stub printed it (its URLs and fixture references are container-side). */
  ready: ServeReady;
  /** Host path of the stub's CA certificate (PEM) with `tls`; null otherwise. */
  caFile: string | null;
  /** The image the container runs, with its build or lookup time. */
  image: StubImage;
  /** Milliseconds from container create to ready line (image build excluded). */
  startMs: number;
  /** The testcontainers handle, for logs, exec and network details. */
  container: StartedTestContainer;
  /** Stops and removes the container and the host copy of the CA; safe to call twice. */
  stop(): Promise<void>;
}

/** Starts the stub in a container (building its image first if needed) and waits until it is ready. */
export async function startStubContainer(options: StubContainerOptions): Promise<StubContainer> {
  const labels = runLabels(options.runId, 'registry-stub');
  const users = options.users ?? [];
  const auth = options.auth ?? (users.length > 0 ? 'basic' : 'none');
  if (auth !== 'none' && users.length === 0) {
    throw new TypeError(`auth: '${auth}' needs at least one entry in users, got none`);
  }
  if (options.networkAliases && !options.network) {
    throw new TypeError(
      'networkAliases: given without network; aliases only exist on a user-defined network',
    );
  }
  const aliases = options.network ? (options.networkAliases ?? ['pullstorm-registry']) : [];
  const args = [
    ...(options.tls ? ['--tls'] : []),
    ...(auth !== 'none' ? ['--auth', auth, '--users-file', STUB_USERS_FILE] : []),
    ...(options.fixtures === false ? ['--no-fixtures'] : []),
  ];

  const image = await stubImage();
  const watcher = readyLineWatcher();
  let container = new GenericContainer(image.name)
    .withCommand(args)
    .withCopyContentToContainer(stubSecretFiles({ users }))
    .withLabels(labels)
    .withName(`pullstorm-${options.runId}-stub-${crypto.randomUUID().slice(0, 8)}`)
    .withExposedPorts(STUB_CONTAINER_PORT)
    .withLogConsumer(watcher.consume)
    .withWaitStrategy(Wait.forLogMessage(/^\{"ready":true/))
    .withStartupTimeout(options.startupTimeoutMs ?? 60_000);
  if (typeof options.network === 'string') container = container.withNetworkMode(options.network);
  else if (options.network) container = container.withNetwork(options.network);
  if (aliases.length > 0) container = container.withNetworkAliases(...aliases);

  const begun = performance.now();
  let started: StartedTestContainer;
  try {
    started = await container.start();
  } catch (error) {
    throw new Error(
      `registry stub container did not become ready: ${(error as Error).message}${watcher.tail()}`,
      {
        cause: error,
      },
    );
  }
  let caDir: string | undefined;
  try {
    const ready = await watcher.ready();
    const startMs = performance.now() - begun;
    const scheme = ready.tls ? 'https' : 'http';
    let caFile: string | null = null;
    if (ready.caFile) {
      caDir = await mkdtemp(join(tmpdir(), 'pullstorm-stub-ca-'));
      caFile = join(caDir, 'ca.crt');
      await writeFile(caFile, await readFirstFile(await started.copyArchiveFromContainer(ready.caFile)));
    }
    const network = started.getNetworkNames()[0];
    const inside = aliases[0] ?? (network ? started.getIpAddress(network) : 'localhost');
    let stopping: Promise<void> | undefined;
    const stop = () => {
      stopping ??= (async () => {
        await started.stop();
        if (caDir) await rm(caDir, { recursive: true, force: true });
      })();
      return stopping;
    };
    return {
      url: `${scheme}://${started.getHost()}:${started.getMappedPort(STUB_CONTAINER_PORT)}`,
      containerUrl: `${scheme}://${inside}:${STUB_CONTAINER_PORT}`,
      ready,
      caFile,
      image,
      startMs,
      container: started,
      stop,
      [Symbol.asyncDispose]: stop,
    };
  } catch (error) {
    await started.stop().catch(() => undefined);
    if (caDir) await rm(caDir, { recursive: true, force: true });
    throw error;
  }
}
