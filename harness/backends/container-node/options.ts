/**
 * Options of a container node: types, defaults computed once, and validation reporting every problem
 * at once (TypeError for wrong shapes, RangeError for out-of-range values), like process nodes.
 */
import { isIP } from 'node:net';
import type { NodeRegistry } from '../containerd/options.ts';
import { hostPlatform } from '../containerd/options.ts';

/** Options of `startContainerNode`. */
export interface ContainerNodeOptions {
  /** Run id: container label `pullstorm.run-id` and part of its name. Required. */
  runId: string;
  /** Node name, in the container name and labels; letters, digits, `-`, `_`, `.`. Required. */
  name: string;
  /** Pause image for pod sandboxes, pulled through `registries`. Required (no default reaches offline). */
  sandboxImage: string;
  /** Registry host namespaces (hosts.toml), as for process nodes; addresses as seen from the node. Default none. */
  registries?: NodeRegistry[];
  /** The node's /etc/hosts entries, name → IP (e.g. the registry's name → the network gateway). Default none. */
  extraHosts?: Record<string, string>;
  /** Size of the tmpfs at /var/lib/containerd, the node's disk (disk-full faults). Default 1 GiB. */
  diskBytes?: number;
  /** Must equal the host's platform: containerd 1.6 CRI pulls only its own. Default `linux/<host arch>`. */
  platform?: string;
  /** Docker network the node joins. Default `bridge` (the registry reached at its gateway IP). */
  network?: string;
  /**
   * Names missing from /etc/hosts: `nxdomain` asks the harness's responder on the network gateway,
   * which answers NXDOMAIN (`… no such host`); `docker` keeps Docker's resolv.conf (container
   * aliases on user-defined networks; on `bridge` the host's own resolvers). Default `nxdomain`.
   */
  dns?: 'nxdomain' | 'docker';
  /** Bound on container start plus CRI Version answering. Default 30 000 ms. */
  startTimeoutMs?: number;
  /** containerd log level. Default `info`. */
  logLevel?: 'trace' | 'debug' | 'info' | 'warn' | 'error';
}

/** Options with every default filled in. */
export type ResolvedContainerNodeOptions = Required<ContainerNodeOptions>;

/** Default size of a node's disk (tmpfs: only what is written uses memory): 1 GiB. */
export const DEFAULT_DISK_BYTES = 1024 ** 3;

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/;
const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const HOST_NAME =
  /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** Validates `options` (all problems at once) and fills in defaults. */
export function resolveContainerNodeOptions(options: ContainerNodeOptions): ResolvedContainerNodeOptions {
  const problems: string[] = [];
  let range = false;
  const shape = (ok: boolean, message: string) => {
    if (!ok) problems.push(message);
  };
  const bound = (ok: boolean, message: string) => {
    if (ok) return;
    problems.push(message);
    range = true;
  };
  const o = options ?? ({} as ContainerNodeOptions);
  // Shorter than process nodes' run ids: the container name `pullstorm-<runId>-<name>` must stay readable.
  shape(
    RUN_ID.test(String(o.runId)),
    `runId must be 1-64 letters, digits, ".", "_" or "-", got ${JSON.stringify(o.runId)}`,
  );
  shape(
    NAME.test(String(o.name)),
    `name must be 1-40 letters, digits, ".", "_" or "-", got ${JSON.stringify(o.name)}`,
  );
  shape(
    typeof o.sandboxImage === 'string' && o.sandboxImage !== '',
    'sandboxImage must be an image reference',
  );
  for (const [i, r] of (o.registries ?? []).entries()) {
    shape(
      typeof r?.host === 'string' && r.host !== '',
      `registries[${i}].host must be "host:port" or "_default"`,
    );
  }
  for (const [name, ip] of Object.entries(o.extraHosts ?? {})) {
    shape(HOST_NAME.test(name), `extraHosts: "${name}" is not a host name`);
    shape(isIP(ip) !== 0, `extraHosts["${name}"] must be an IP address, got ${JSON.stringify(ip)}`);
  }
  const disk = o.diskBytes ?? DEFAULT_DISK_BYTES;
  bound(
    Number.isInteger(disk) && disk >= 1024 ** 2,
    `diskBytes must be an integer ≥ 1048576 (1 MiB), got ${disk}`,
  );
  const platform = o.platform ?? hostPlatform();
  bound(platform === hostPlatform(), `platform must be the host's (${hostPlatform()}), got "${platform}"`);
  const dns = o.dns ?? 'nxdomain';
  shape(
    dns === 'nxdomain' || dns === 'docker',
    `dns must be "nxdomain" or "docker", got ${JSON.stringify(dns)}`,
  );
  const timeout = o.startTimeoutMs ?? 30_000;
  bound(Number.isFinite(timeout) && timeout > 0, `startTimeoutMs must be > 0, got ${timeout}`);
  if (problems.length) {
    const message = `invalid container node options:\n- ${problems.join('\n- ')}`;
    throw range ? new RangeError(message) : new TypeError(message);
  }
  return {
    runId: o.runId,
    name: o.name,
    sandboxImage: o.sandboxImage,
    registries: o.registries ?? [],
    extraHosts: { ...o.extraHosts },
    diskBytes: disk,
    platform,
    network: o.network ?? 'bridge',
    dns,
    startTimeoutMs: timeout,
    logLevel: o.logLevel ?? 'info',
  };
}
