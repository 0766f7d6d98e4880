/**
 * A real containerd daemon as a pullstorm node: its own root, state, socket, hosts.toml directory
 * and cgroup subtree, started with execa and driven over CRI. `startContainerdNode` returns a
 * started node that is AsyncDisposable; a failed start tears down whatever it had created.
 * With `nameserver`, containerd runs in a private mount namespace with its own resolv.conf
 * (resolv-conf.ts), so its lookups stay on this machine.
 */

import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa, type ResultPromise } from 'execa';
import { startAll } from '../start-all.ts';
import { renderContainerdConfig } from './config.ts';
import { type CriClient, createCriClient } from './cri/client.ts';
import { isCriError } from './cri/errors.ts';
import type { VersionResponse } from './cri/types.ts';
import { hostNamespaceDir, writeHostsToml } from './hosts.ts';
import { type ContainerdNodeOptions, type NodeRegistry, resolveNodeOptions } from './options.ts';
import { renderResolvConf, withResolvConf } from './resolv-conf.ts';
import { mountTmpfs, overlayWorksIn } from './system.ts';
import { teardownNode } from './teardown.ts';

export type { ContainerdNodeOptions, NodeRegistry } from './options.ts';

/** A started containerd node. `stop()` and disposal are idempotent. */
export interface ContainerdNode extends AsyncDisposable {
  readonly name: string;
  readonly runId: string;
  /** Directory holding everything below. */
  readonly dir: string;
  /** CRI/containerd gRPC socket path. */
  readonly socket: string;
  readonly root: string;
  readonly state: string;
  /** hosts.toml directory (`registry.config_path`). */
  readonly configPath: string;
  /** containerd's stdout and stderr. */
  readonly logFile: string;
  /** Where pod logs go (`<podLogDir>/<pod>/<container>.log`). */
  readonly podLogDir: string;
  /** cgroup parent for this node's pods (cgroupfs path). */
  readonly cgroupParent: string;
  readonly snapshotter: 'overlayfs' | 'native';
  readonly platform: string;
  readonly sandboxImage: string;
  /** containerd's pid. */
  readonly pid: number;
  /** What CRI Version answered at start. */
  readonly version: VersionResponse;
  /** CRI client on {@link socket}; closed by stop. */
  readonly cri: CriClient;
  /** Writes (or rewrites) one registry's hosts.toml; containerd reads it on the next pull. */
  writeRegistry(registry: NodeRegistry): Promise<string>;
  /** The last `lines` lines of containerd's log (default 40). */
  logTail(lines?: number): Promise<string>;
  /** Removes pods, stops containerd (SIGTERM, then SIGKILL), unmounts and deletes the directory. */
  stop(): Promise<void>;
}

/** Writes `registry`'s hosts.toml (and its CA PEM beside it) under `configPath`. */
export async function writeNodeRegistry(configPath: string, registry: NodeRegistry): Promise<string> {
  const { host, caPem, ...config } = registry;
  if (caPem !== undefined) {
    const file = join(hostNamespaceDir(configPath, host), 'ca.pem');
    await mkdir(hostNamespaceDir(configPath, host), { recursive: true });
    await writeFile(file, caPem);
    config.ca = [file, ...(config.ca === undefined ? [] : [config.ca].flat())];
  }
  return writeHostsToml(configPath, host, config);
}

async function tail(file: string, lines: number): Promise<string> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

async function waitForCri(
  cri: CriClient,
  exited: () => string | undefined,
  timeoutMs: number,
  logFile: string,
): Promise<VersionResponse> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    const exit = exited();
    if (exit)
      throw new Error(`containerd exited during start (${exit}); log tail:\n${await tail(logFile, 20)}`);
    try {
      return await cri.version({ timeoutMs: 1000 });
    } catch (err) {
      last = err;
      // containerd serves without the CRI plugin when it fails to load; waiting will not help.
      if (isCriError(err, 'Unimplemented')) {
        const log = await readFile(logFile, 'utf8').catch(() => '');
        const why = log
          .split('\n')
          .filter((l) => l.includes('failed to load plugin io.containerd.grpc.v1.cri'));
        throw new Error(`containerd started without its CRI plugin: ${why.join('\n') || err.message}`);
      }
    }
    await sleep(100);
  }
  throw new Error(`containerd did not answer CRI Version within ${timeoutMs} ms: ${String(last)}`, {
    cause: last,
  });
}

/** Starts one containerd node and waits until CRI Version answers (bounded by `startTimeoutMs`). */
export async function startContainerdNode(options: ContainerdNodeOptions): Promise<ContainerdNode> {
  const o = resolveNodeOptions(options);
  const dir = o.dir ?? (await mkdtemp(join(tmpdir(), `pullstorm-${o.runId}-${o.name}-`)));
  const socket = join(dir, 'containerd.sock');
  // sun_path is 108 bytes; containerd also needs room for `<socket>.ttrpc`.
  if (new TextEncoder().encode(`${socket}.ttrpc`).length > 107) {
    throw new RangeError(`node dir too long for a unix socket path (max ~90 bytes): "${dir}"`);
  }
  const root = join(dir, 'root');
  const state = join(dir, 'state');
  const configPath = join(dir, 'certs.d');
  const logFile = join(dir, 'containerd.log');
  const podLogDir = join(dir, 'pods');
  const cgroupParent = `/pullstorm/${o.runId}/${basename(dir)}`;
  let proc: ResultPromise | undefined;
  let cri: CriClient | undefined;
  let exit: string | undefined;
  const running = () => proc !== undefined && exit === undefined;
  const teardown = () =>
    teardownNode({ name: o.name, dir, socket, state, cgroupParent, proc, running, cri, retain: o.retain });
  try {
    await Promise.all(
      [root, state, configPath, podLogDir, join(dir, 'cni'), join(dir, 'opt')].map((d) =>
        mkdir(d, { recursive: true }),
      ),
    );
    if (o.rootTmpfsBytes) await mountTmpfs(root, o.rootTmpfsBytes);
    const snapshotter =
      o.snapshotter === 'auto' ? ((await overlayWorksIn(root)) ? 'overlayfs' : 'native') : o.snapshotter;
    await Promise.all(o.registries.map((r) => writeNodeRegistry(configPath, r)));
    const configFile = join(dir, 'config.toml');
    await writeFile(
      configFile,
      renderContainerdConfig({
        root,
        state,
        socket,
        configPath,
        cniDir: join(dir, 'cni'),
        optDir: join(dir, 'opt'),
        sandboxImage: o.sandboxImage,
        snapshotter,
        logLevel: o.logLevel,
      }),
    );
    const log = { file: logFile, append: true } as const;
    let command = { file: 'containerd', args: ['--config', configFile] };
    if (o.nameserver !== undefined) {
      const resolvConf = join(dir, 'resolv.conf');
      await writeFile(resolvConf, renderResolvConf(o.nameserver));
      command = withResolvConf(resolvConf, command.file, command.args);
    }
    // cleanup: execa kills containerd if this process exits without stopping the node.
    const started = execa(command.file, command.args, {
      stdin: 'ignore',
      stdout: log,
      stderr: log,
      reject: false,
      cleanup: true,
      forceKillAfterDelay: o.stopTimeoutMs,
    });
    proc = started;
    void started.then((r) => {
      exit = r.signal ? `signal ${r.signal}` : `exit code ${r.exitCode}`;
    });
    cri = createCriClient(socket);
    const version = await waitForCri(cri, () => exit, o.startTimeoutMs, logFile);
    const pid = started.pid ?? -1;
    const marker = {
      name: o.name,
      runId: o.runId,
      labels: o.labels,
      pid,
      socket,
      cgroupParent,
      startedAt: new Date().toISOString(),
    };
    await writeFile(join(dir, 'pullstorm-node.json'), `${JSON.stringify(marker, null, 2)}\n`);
    let stopping: Promise<void> | undefined;
    const stop = () => {
      stopping ??= teardown();
      return stopping;
    };
    const client = cri;
    return {
      name: o.name,
      runId: o.runId,
      dir,
      socket,
      root,
      state,
      configPath,
      logFile,
      podLogDir,
      cgroupParent,
      snapshotter,
      platform: o.platform,
      sandboxImage: o.sandboxImage,
      pid,
      version,
      cri: client,
      writeRegistry: (registry) => writeNodeRegistry(configPath, registry),
      logTail: (lines = 40) => tail(logFile, lines),
      stop,
      [Symbol.asyncDispose]: stop,
    };
  } catch (err) {
    await teardown().catch((cleanupErr: unknown) => {
      throw new AggregateError([err, cleanupErr], `starting node ${o.name} failed, and so did its cleanup`);
    });
    throw err;
  }
}

/** Options of {@link startNodes}: node options without `name`, plus a name prefix. */
export type StartNodesOptions = Omit<ContainerdNodeOptions, 'name' | 'dir'> & {
  /** Nodes are named `<namePrefix>-<i>` from 0. Default `node`. */
  namePrefix?: string;
};

/** Starts `n` nodes in parallel (one shared run id); if any fails, stops the others and throws. */
export async function startNodes(
  n: number,
  options: StartNodesOptions = {},
): Promise<ContainerdNode[] & AsyncDisposable> {
  const { namePrefix = 'node', ...rest } = options;
  const runId = rest.runId ?? crypto.randomUUID().slice(0, 8);
  return startAll(
    n,
    (i) => startContainerdNode({ ...rest, runId, name: `${namePrefix}-${i}` }),
    'containerd nodes',
  );
}
