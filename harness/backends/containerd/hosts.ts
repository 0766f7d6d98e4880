/**
 * containerd `hosts.toml` (registry host namespaces, containerd ≥ 1.5; docs/hosts.md).
 *
 * containerd reads `<config_path>/<host:port>/hosts.toml`, falling back to
 * `<config_path>/_default/hosts.toml`; the `[host."…"]` entries are tried in file order and
 * `server` last. Only the keys containerd 1.6 reads are rendered: `server`, `capabilities`, `ca`,
 * `client`, `skip_verify`, `header`, `override_path` (`dial_timeout` and `proxy` are 2.x only).
 * The layout (two-space indent, a blank line between tables) follows the documented examples;
 * a file without host entries gets an empty `[host]` table, which containerd 1.6 requires.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** What a host may be used for; containerd's default is all three. Resolving a tag needs `resolve`. */
export type HostCapability = 'pull' | 'resolve' | 'push';

/** TLS and request settings shared by `server` and each `[host."…"]` entry. */
export interface HostSettings {
  /** Capabilities; omitted → containerd's default (pull, resolve, push). */
  capabilities?: HostCapability[];
  /** CA file path(s), absolute or relative to the hosts.toml. Default: system roots. */
  ca?: string | string[];
  /** Client certificate: a path, paths, or [cert, key] pairs. Default: none. */
  client?: string | string[] | [string, string][];
  /** Skip certificate verification. Omitted → not written (containerd default false). */
  skipVerify?: boolean;
  /** The URL path is the API root (no `/v2` appended). Omitted → not written (default false). */
  overridePath?: boolean;
  /** Extra request headers. Default: none. */
  header?: Record<string, string | string[]>;
}

/** One `[host."<url>"]` entry: a mirror or the registry itself, tried before `server`. */
export interface HostEntry extends HostSettings {
  /** URL with scheme, e.g. `http://127.0.0.1:5000` or `https://mirror.example/v2/up` (override_path). */
  url: string;
}

/** A whole hosts.toml: an optional `server` (with root-level settings) and ordered host entries. */
export interface HostsConfig extends HostSettings {
  /** Fallback server tried after all hosts; omitted → the namespace itself (`https://<ns>`). */
  server?: string;
  /** Hosts tried in order before `server`. Default: none. */
  hosts?: HostEntry[];
}

const str = (s: string) => JSON.stringify(s); // a JSON string is a valid TOML basic string
const arr = (xs: readonly string[]) => `[${xs.map(str).join(', ')}]`;
const bareKey = /^[A-Za-z0-9_-]+$/;
const key = (k: string) => (bareKey.test(k) ? k : str(k));

function clientValue(client: NonNullable<HostSettings['client']>): string {
  if (typeof client === 'string') return str(client);
  // The documented pair form has no space between pairs: [["a.cert", "a.key"],["b.pem", ""]].
  if (client.every((c) => typeof c === 'string')) return arr(client as string[]);
  return `[${client.map((c) => (typeof c === 'string' ? str(c) : arr(c))).join(',')}]`;
}

function settingLines(s: HostSettings, indent: string): string[] {
  const lines: string[] = [];
  if (s.capabilities) lines.push(`capabilities = ${arr(s.capabilities)}`);
  if (s.ca !== undefined) lines.push(`ca = ${typeof s.ca === 'string' ? str(s.ca) : arr(s.ca)}`);
  if (s.client !== undefined) lines.push(`client = ${clientValue(s.client)}`);
  if (s.skipVerify !== undefined) lines.push(`skip_verify = ${s.skipVerify}`);
  if (s.overridePath !== undefined) lines.push(`override_path = ${s.overridePath}`);
  return lines.map((l) => indent + l);
}

function headerLines(header: Record<string, string | string[]>, indent: string): string[] {
  return Object.entries(header).map(
    ([k, v]) => `${indent}${key(k)} = ${typeof v === 'string' ? str(v) : arr(v)}`,
  );
}

function checkUrl(url: string, what: string): void {
  if (!/^https?:\/\/[^/]/.test(url)) {
    throw new TypeError(`${what} must be an http:// or https:// URL, got "${url}"`);
  }
}

/** Renders a hosts.toml document (pure). Throws TypeError on a URL without http(s) scheme. */
export function renderHostsToml(config: HostsConfig): string {
  const blocks: string[] = [];
  const root: string[] = [];
  if (config.server !== undefined) {
    checkUrl(config.server, 'server');
    root.push(`server = ${str(config.server)}`);
  }
  root.push(...settingLines(config, ''));
  if (root.length) blocks.push(root.join('\n'));
  if (config.header && Object.keys(config.header).length) {
    blocks.push(['[header]', ...headerLines(config.header, '  ')].join('\n'));
  }
  // containerd 1.6 rejects a file without a `host` table (`failed to decode hosts.toml`
  // error="invalid `host` tree", logged only) and silently falls back to its defaults — for
  // 127.0.0.1 that is plain http. An empty table is valid TOML and accepted by every version.
  if (!config.hosts?.length) blocks.push('[host]');
  for (const host of config.hosts ?? []) {
    checkUrl(host.url, 'host url');
    const lines = [`[host.${str(host.url)}]`, ...settingLines(host, '  ')];
    if (host.header && Object.keys(host.header).length) {
      lines.push(`  [host.${str(host.url)}.header]`, ...headerLines(host.header, '    '));
    }
    blocks.push(lines.join('\n'));
  }
  return `${blocks.join('\n\n')}\n`;
}

/**
 * The directory containerd looks up for a registry host: `host:port` as written in the image
 * reference (`docker.io` for Docker Hub), or `_default` for the fallback.
 */
export function hostNamespaceDir(configPath: string, namespace: string): string {
  if (namespace !== '_default' && !/^[A-Za-z0-9.-]+(:\d+)?$|^\[[0-9a-fA-F:.]+\](:\d+)?$/.test(namespace)) {
    throw new TypeError(`expected a registry host like "host:port" or "_default", got "${namespace}"`);
  }
  return join(configPath, namespace);
}

/** Writes `<configPath>/<namespace>/hosts.toml` (creating directories); returns the file path. */
export async function writeHostsToml(
  configPath: string,
  namespace: string,
  config: HostsConfig,
): Promise<string> {
  const dir = hostNamespaceDir(configPath, namespace);
  await mkdir(dir, { recursive: true });
  const file = join(dir, 'hosts.toml');
  await writeFile(file, renderHostsToml(config));
  return file;
}
