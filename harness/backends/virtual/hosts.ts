/**
 * Registry host configuration as containerd reads hosts.toml (remotes/docker/config/hosts.go
 * `parseHostsFile` / `parseHostConfig` / `ConfigureHosts`): mirrors in the order given, then the
 * server; a missing server is the namespace itself. The shape mirrors the containerd backend's
 * `HostsConfig`, except that CAs are PEM text instead of file paths (a virtual node has no disk).
 */

/** What a host may be used for; default all three. Resolving a tag needs `resolve`. */
export type HostCapability = 'pull' | 'resolve' | 'push';

/** Settings of the server and of each mirror (hosts.toml keys). */
export interface VirtualHostSettings {
  /** Default `['pull', 'resolve', 'push']`. */
  capabilities?: HostCapability[];
  /** Extra trusted CA certificates (PEM), added to the system roots like `ca`; default none. */
  caPem?: string | string[];
  /** `skip_verify`; default false (true for a defaulted loopback server, see below). */
  skipVerify?: boolean;
  /** Extra request headers; default none. */
  header?: Record<string, string | string[]>;
  /** The URL path is the API root (no `/v2` appended); default false. */
  overridePath?: boolean;
}

/** A `[host."<url>"]` entry: tried before the server, in order. */
export interface VirtualHostEntry extends VirtualHostSettings {
  url: string;
}

/** One namespace's hosts.toml. */
export interface VirtualHostsConfig extends VirtualHostSettings {
  /** Default `https://<namespace>` (`https://registry-1.docker.io` for docker.io). */
  server?: string;
  /** Mirrors tried before `server`; default none. */
  hosts?: VirtualHostEntry[];
}

/** A resolved host, like containerd's `docker.RegistryHost`. */
export interface RegistryHost {
  scheme: 'http' | 'https';
  /** `host[:port]` as in the URL. */
  host: string;
  /** API root, e.g. `/v2`. */
  path: string;
  capabilities: ReadonlySet<HostCapability>;
  caPem: string[] | undefined;
  skipVerify: boolean;
  header: Record<string, string[]>;
}

const allCapabilities: HostCapability[] = ['pull', 'resolve', 'push'];

/** `docker.IsLocalhost`: `localhost` or a loopback IP. */
export function isLocalhost(host: string): boolean {
  const name = host.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  return name === 'localhost' || /^127\./.test(name) || name === '::1';
}

/** Problems with a hosts configuration, all of them (empty when valid). */
export function hostsProblems(config: Record<string, VirtualHostsConfig>): string[] {
  const problems: string[] = [];
  const check = (where: string, url: string | undefined, s: VirtualHostSettings) => {
    if (url !== undefined && !URL.canParse(/^https?:\/\//.test(url) ? url : `https://${url}`)) {
      problems.push(`${where}: ${JSON.stringify(url)} is not a URL`);
    }
    for (const c of s.capabilities ?? []) {
      if (!allCapabilities.includes(c)) problems.push(`${where}: unknown capability ${JSON.stringify(c)}`);
    }
  };
  for (const [namespace, c] of Object.entries(config)) {
    check(`hosts[${JSON.stringify(namespace)}].server`, c.server, c);
    for (const [i, h] of (c.hosts ?? []).entries()) {
      check(`hosts[${JSON.stringify(namespace)}].hosts[${i}]`, h.url, h);
    }
  }
  return problems;
}

function parseHost(server: string | undefined, s: VirtualHostSettings): RegistryHost {
  const ca = s.caPem === undefined ? undefined : [s.caPem].flat();
  const header = Object.fromEntries(Object.entries(s.header ?? {}).map(([k, v]) => [k, [v].flat()]));
  const base = { capabilities: new Set(s.capabilities ?? allCapabilities), caPem: ca, header };
  if (server === undefined) return { ...base, scheme: 'https', host: '', path: '/v2', skipVerify: false };
  const url = new URL(/^http/.test(server) ? server : `https://${server}`);
  let path = url.pathname === '/' ? '' : url.pathname.replace(/\/+$/, '');
  if (!path.endsWith('/v2') && !s.overridePath) path += '/v2';
  const scheme = url.protocol === 'http:' ? 'http' : 'https';
  return { ...base, scheme, host: url.host, path, skipVerify: s.skipVerify ?? false };
}

/**
 * The hosts for `namespace` (e.g. `127.0.0.1:5000`), mirrors first: `config[namespace]`, else
 * `config._default`, else the namespace alone. A defaulted server on a loopback address and a
 * port other than 443 speaks plain HTTP with verification off, as FACTS.md records for 1.7.
 */
export function registryHosts(
  namespace: string,
  config: Record<string, VirtualHostsConfig> | undefined,
): RegistryHost[] {
  const file = config?.[namespace] ?? config?._default;
  const hosts = (file?.hosts ?? []).map((h) => parseHost(h.url, h));
  const server = parseHost(file?.server, file ?? {});
  if (server.host === '') {
    if (namespace === 'docker.io') server.host = 'registry-1.docker.io';
    else {
      server.host = namespace;
      const port = /:(\d+)$/.exec(namespace)?.[1];
      if (isLocalhost(namespace) && port !== undefined && port !== '443') {
        server.scheme = 'http';
        server.skipVerify = file?.skipVerify ?? true;
      }
    }
  }
  return [...hosts, server];
}

/** `RegistryHost.isProxy`: a mirror for another namespace gets `?ns=<namespace>` on its requests. */
export function isProxy(host: RegistryHost, namespace: string): boolean {
  if (namespace === host.host) return false;
  return !(namespace === 'docker.io' && host.host === 'registry-1.docker.io');
}
