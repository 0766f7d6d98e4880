/**
 * Options of a containerd node: types, defaults computed once, and validation that reports every
 * problem at once (a TypeError for wrong shapes, a RangeError for out-of-range values).
 */
import { isIP } from 'node:net';
import { arch } from 'node:os';
import type { HostsConfig } from './hosts.ts';

/** One registry host namespace of a node: its hosts.toml, written to `<config_path>/<host>/`. */
export interface NodeRegistry extends HostsConfig {
  /** Host as written in image references, `host:port` (e.g. `127.0.0.1:5000`), or `_default`. */
  host: string;
  /** PEM of a CA to trust for `server`; written beside the hosts.toml and set as `ca`. Default: none. */
  caPem?: string;
}

/** Options of `startContainerdNode`. */
export interface ContainerdNodeOptions {
  /** Node name, used in paths and labels; letters, digits, `-`, `_`, `.`. Required. */
  name: string;
  /** Directory for everything the node writes. Default: a fresh `pullstorm-<runId>-<name>-*` in tmpdir. */
  dir?: string;
  /** Registry host namespaces (hosts.toml). Default: none (containerd's built-in resolution). */
  registries?: NodeRegistry[];
  /** Must equal the host's platform: containerd 1.6 CRI pulls for its own. Default: `linux/<host arch>`. */
  platform?: string;
  /** Pause image for pod sandboxes, pulled through the registries above. Default `registry.k8s.io/pause:3.6`. */
  sandboxImage?: string;
  /** Size of a tmpfs mounted as the containerd root (disk-full faults). Default: none (a plain directory). */
  rootTmpfsBytes?: number;
  /** Snapshotter; `auto` probes overlayfs under the root and falls back to `native`. Default `auto`. */
  snapshotter?: 'auto' | 'overlayfs' | 'native';
  /** Run id, recorded in the node's marker file and cgroup path. Default: a random 8-hex id. */
  runId?: string;
  /** Extra labels recorded in the marker file `<dir>/pullstorm-node.json`. Default: none. */
  labels?: Record<string, string>;
  /** Bound on waiting for CRI Version to answer. Default 20 000 ms. */
  startTimeoutMs?: number;
  /** Bound between SIGTERM and SIGKILL when stopping. Default 5 000 ms. */
  stopTimeoutMs?: number;
  /** Keep the directory (config, log) after stop, for debugging. Default false. */
  retain?: boolean;
  /**
   * Name server for the node's lookups (an IP on port 53): containerd then runs in a private mount
   * namespace whose /etc/resolv.conf names only it (resolv-conf.ts); the caller serves it, e.g.
   * `acquireNxdomainResolver(LOCAL_NAMESERVER)`. Default none: the machine's /etc/resolv.conf.
   */
  nameserver?: string;
  /** containerd log level. Default `info`. */
  logLevel?: 'trace' | 'debug' | 'info' | 'warn' | 'error';
}

/** Node options with every default filled in. */
export type ResolvedNodeOptions = Required<Omit<ContainerdNodeOptions, 'dir' | 'nameserver'>> & {
  dir: string | undefined;
  nameserver: string | undefined;
};

const goArch: Record<string, string> = {
  x64: 'amd64',
  arm64: 'arm64',
  arm: 'arm',
  ppc64: 'ppc64le',
  s390x: 's390x',
};

/** The host's platform as containerd names it, e.g. `linux/amd64`. */
export function hostPlatform(): string {
  return `linux/${goArch[arch()] ?? arch()}`;
}

/** Validates `options` (all problems at once) and fills in defaults. */
export function resolveNodeOptions(options: ContainerdNodeOptions): ResolvedNodeOptions {
  const problems: string[] = [];
  let range = false;
  if (typeof options.name !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/.test(options.name)) {
    problems.push(`name must be 1-40 letters, digits, ".", "_" or "-", got ${JSON.stringify(options.name)}`);
  }
  const platform = options.platform ?? hostPlatform();
  if (platform !== hostPlatform()) {
    range = true;
    problems.push(
      `platform must be the host's (${hostPlatform()}): containerd 1.6 CRI pulls only for its own platform; got "${platform}"`,
    );
  }
  const size = options.rootTmpfsBytes;
  if (size !== undefined && (!Number.isInteger(size) || size < 1024 * 1024)) {
    range = true;
    problems.push(`rootTmpfsBytes must be an integer ≥ 1048576 (1 MiB), got ${size}`);
  }
  for (const [i, r] of (options.registries ?? []).entries()) {
    if (typeof r?.host !== 'string' || !r.host)
      problems.push(`registries[${i}].host must be "host:port" or "_default"`);
  }
  if (options.dir !== undefined && !options.dir.startsWith('/')) {
    problems.push(`dir must be an absolute path, got "${options.dir}"`);
  }
  if (options.nameserver !== undefined && !isIP(options.nameserver)) {
    problems.push(`nameserver must be an IP address, got ${JSON.stringify(options.nameserver)}`);
  }
  if (problems.length) {
    const message = `invalid containerd node options:\n- ${problems.join('\n- ')}`;
    throw range ? new RangeError(message) : new TypeError(message);
  }
  return {
    name: options.name,
    dir: options.dir,
    registries: options.registries ?? [],
    platform,
    sandboxImage: options.sandboxImage ?? 'registry.k8s.io/pause:3.6',
    rootTmpfsBytes: size ?? 0,
    snapshotter: options.snapshotter ?? 'auto',
    runId: options.runId ?? crypto.randomUUID().slice(0, 8),
    labels: options.labels ?? {},
    startTimeoutMs: options.startTimeoutMs ?? 20_000,
    stopTimeoutMs: options.stopTimeoutMs ?? 5_000,
    retain: options.retain ?? false,
    logLevel: options.logLevel ?? 'info',
    nameserver: options.nameserver,
  };
}
