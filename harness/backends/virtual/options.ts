/**
 * Options of a virtual node: typed, defaulted once, every problem reported at once. The timeouts
 * default to containerd's (30 s dial, 10 s TLS handshake, 5 min pull progress) and run on the wall
 * clock: a pull in flight is real work, which the run clock never skips.
 */
import { isIP } from 'node:net';
import type { AuthConfig } from '../../kubelet/image-service.ts';
import { hostsProblems, type VirtualHostsConfig } from './hosts.ts';
import { type Platform, parsePlatform } from './platforms.ts';

/** Options of `createVirtualNode`. */
export interface VirtualNodeOptions {
  /** Node name, e.g. `vnode-17`; required. */
  name: string;
  /** `os/architecture[/variant]` the node runs; default `linux/amd64`. */
  platform?: string;
  /** hosts.toml per registry namespace (`host:port`, or `_default`); default none: each namespace is its own server. */
  hosts?: Record<string, VirtualHostsConfig>;
  /** Loopback source address the node's connections come from (e.g. `127.0.0.7`); default the OS's choice. */
  clientAddress?: string;
  /** Layers downloaded at once per pull (`max_concurrent_downloads`); default 3. */
  maxConcurrentDownloads?: number;
  /** Credentials per registry host (`registry.configs."<host>".auth`), used when a pull brings none; default none. */
  credentials?: Record<string, AuthConfig>;
  /** Keep content bytes (readable through `content()`); default false: hash and drop. */
  keepContent?: boolean;
  /** Dial timeout; default 30 000 ms. */
  dialTimeoutMs?: number;
  /** TLS handshake timeout; default 10 000 ms. */
  tlsHandshakeTimeoutMs?: number;
  /** Cancel a pull without a body byte for this long; 0 disables; default 300 000 ms. */
  progressTimeoutMs?: number;
  /** User-Agent of every request; default `containerd/v1.7.27`. */
  userAgent?: string;
}

/** Options with every default filled in. */
export interface ResolvedNodeOptions {
  name: string;
  platformText: string;
  platform: Platform;
  hosts: Record<string, VirtualHostsConfig> | undefined;
  clientAddress: string | undefined;
  maxConcurrentDownloads: number;
  credentials: Record<string, AuthConfig> | undefined;
  keepContent: boolean;
  dialTimeoutMs: number;
  tlsHandshakeTimeoutMs: number;
  progressTimeoutMs: number;
  userAgent: string;
}

const nonNegative = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v >= 0;

/** Validates and defaults; throws one TypeError naming every problem. */
export function resolveNodeOptions(o: VirtualNodeOptions): ResolvedNodeOptions {
  const problems: string[] = [];
  if (typeof o?.name !== 'string' || o.name === '')
    problems.push(`name must be a non-empty string; got ${JSON.stringify(o?.name)}`);
  const platformText = o?.platform ?? 'linux/amd64';
  let platform: Platform = { os: 'linux', architecture: 'amd64' };
  try {
    platform = parsePlatform(platformText);
  } catch (e) {
    problems.push((e as Error).message);
  }
  if (o?.clientAddress !== undefined && isIP(o.clientAddress) === 0) {
    problems.push(
      `clientAddress must be an IP address such as 127.0.0.7; got ${JSON.stringify(o.clientAddress)}`,
    );
  }
  const downloads = o?.maxConcurrentDownloads ?? 3;
  if (!Number.isInteger(downloads) || downloads < 1) {
    problems.push(
      `maxConcurrentDownloads must be an integer ≥ 1; got ${JSON.stringify(o?.maxConcurrentDownloads)}`,
    );
  }
  const timeout = (key: 'dialTimeoutMs' | 'tlsHandshakeTimeoutMs' | 'progressTimeoutMs', real: number) => {
    const value = o?.[key] ?? real;
    if (!nonNegative(value))
      problems.push(`${key} must be a number of milliseconds ≥ 0; got ${JSON.stringify(o?.[key])}`);
    return value;
  };
  const resolved: ResolvedNodeOptions = {
    name: o?.name,
    platformText,
    platform,
    hosts: o?.hosts,
    clientAddress: o?.clientAddress,
    maxConcurrentDownloads: downloads,
    credentials: o?.credentials,
    keepContent: o?.keepContent ?? false,
    dialTimeoutMs: timeout('dialTimeoutMs', 30_000),
    tlsHandshakeTimeoutMs: timeout('tlsHandshakeTimeoutMs', 10_000),
    progressTimeoutMs: timeout('progressTimeoutMs', 300_000),
    userAgent: o?.userAgent ?? 'containerd/v1.7.27',
  };
  if (o?.hosts !== undefined) problems.push(...hostsProblems(o.hosts));
  if (problems.length > 0) throw new TypeError(`invalid virtual node options:\n- ${problems.join('\n- ')}`);
  return resolved;
}

/** The n-th loopback source address for storms: 127.0.0.2, 127.0.0.3, … (all of 127/8 is local on Linux). */
export function loopbackAddress(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 0xfffffd)
    throw new RangeError(`loopback index must be 0…16777213; got ${n}`);
  const v = n + 2;
  return `127.${(v >> 16) & 255}.${(v >> 8) & 255}.${v & 255}`;
}
