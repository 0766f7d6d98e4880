/**
 * The files a container node reads, written on the host in the node's directory and bind-mounted
 * into the container: containerd's config.toml, the hosts.toml tree, /etc/hosts and /etc/resolv.conf.
 * Bind mounts rather than copies, so the harness rewrites them while the node runs (a registry's
 * hosts.toml, a DNS fault in /etc/hosts) without a shell or any other tool in the image.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { renderContainerdConfig } from '../containerd/config.ts';
import { hostNamespaceDir, renderHostsToml } from '../containerd/hosts.ts';
import type { NodeRegistry } from '../containerd/options.ts';

/** Paths inside the node container (the standard ones, since each node has the container to itself). */
export const NODE_PATHS = {
  config: '/etc/containerd/config.toml',
  /** containerd's state; a bind mount of `<node dir>/run`, so the host reaches the socket. */
  state: '/run/containerd',
  socket: '/run/containerd/containerd.sock',
  /** containerd's root; a size-limited tmpfs (the node's disk). */
  root: '/var/lib/containerd',
  /** `registry.config_path`: a bind mount of `<node dir>/certs.d`. */
  certs: '/etc/containerd/certs.d',
  /** Empty: pods use host networking, so CNI has nothing to load. */
  cni: '/etc/containerd/cni',
  opt: '/opt/containerd',
} as const;

/** Host-side names inside the node directory. */
export const NODE_DIR = {
  config: 'config.toml',
  run: 'run',
  certs: 'certs.d',
  hosts: 'hosts',
  resolv: 'resolv.conf',
};

/** The node's config.toml with the container paths above (pure). overlayfs works: the root is a tmpfs. */
export function renderNodeConfig(
  sandboxImage: string,
  logLevel: 'trace' | 'debug' | 'info' | 'warn' | 'error' = 'info',
): string {
  return renderContainerdConfig({
    root: NODE_PATHS.root,
    state: NODE_PATHS.state,
    socket: NODE_PATHS.socket,
    configPath: NODE_PATHS.certs,
    cniDir: NODE_PATHS.cni,
    optDir: NODE_PATHS.opt,
    sandboxImage,
    snapshotter: 'overlayfs',
    logLevel,
  });
}

/** The node's /etc/hosts: loopback names, then `ip name` per entry in insertion order (pure). */
export function renderHostsFile(entries: ReadonlyMap<string, string>): string {
  const lines = ['127.0.0.1\tlocalhost', '::1\tlocalhost ip6-localhost ip6-loopback'];
  for (const [name, ip] of entries) lines.push(`${ip}\t${name}`);
  return `# pullstorm container node; rewritten at run time by setHostsEntry()\n${lines.join('\n')}\n`;
}

/** A resolv.conf naming one nameserver and no search domains, so a lookup is exactly one name (pure). */
export function renderResolvConf(nameserver: string): string {
  if (!isIP(nameserver)) throw new TypeError(`nameserver: expected an IP address, got "${nameserver}"`);
  return `# pullstorm container node: names not in /etc/hosts get NXDOMAIN from the harness\nnameserver ${nameserver}\n`;
}

/**
 * Writes `registry`'s hosts.toml under the host directory `certsDir` (mounted at NODE_PATHS.certs);
 * a `caPem` goes beside it as ca.pem, referenced by its path inside the container. Returns the file.
 */
export async function writeContainerRegistry(certsDir: string, registry: NodeRegistry): Promise<string> {
  const { host, caPem, ...config } = registry;
  const dir = hostNamespaceDir(certsDir, host);
  await mkdir(dir, { recursive: true });
  if (caPem !== undefined) {
    await writeFile(join(dir, 'ca.pem'), caPem);
    const inside = `${hostNamespaceDir(NODE_PATHS.certs, host)}/ca.pem`;
    config.ca = [inside, ...(config.ca === undefined ? [] : [config.ca].flat())];
  }
  const file = join(dir, 'hosts.toml');
  await writeFile(file, renderHostsToml(config));
  return file;
}
