/**
 * What `pullstorm serve` starts: the registry stub with fixtures, TLS material (generated, or read
 * from `--tls-cert`/`--tls-key` files), users, and with a control token the control API and the
 * event feed. Separate from the yargs command so tests and the Deno smoke run can start the same thing.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fixtureImages } from '../../registry-stubs/fixtures/catalogue.ts';
import { startRegistry } from '../../registry-stubs/index.ts';
import {
  createCertificateAuthority,
  issueCertificate,
  writeTlsFiles,
} from '../../registry-stubs/tls/index.ts';
import { loadTlsFiles, type TlsFileOptions } from './serve-tls.ts';

/** Options of `startServe()`; the CLI's flags, with the same defaults. */
export interface ServeOptions {
  /** Listen address; default 127.0.0.1. */
  host: string;
  /** Port; 0 picks a free one. */
  port: number;
  /** Serve HTTPS with a generated CA (or with `tlsFiles`); default false. */
  tls: boolean;
  /** Serve this certificate and key instead of generating (implies `tls`); default none. */
  tlsFiles?: TlsFileOptions | undefined;
  /** Where the CA, certificate and key are written; default a new temp dir. */
  tlsDir?: string;
  /** Extra DNS names or IPs for the certificate (e.g. a container's network alias); default none. */
  tlsNames?: string[];
  /** Authentication mode; default none. */
  auth: 'none' | 'basic' | 'token';
  /** Users with pull/push/delete on every repository. */
  users: { username: string; password: string }[];
  /** Disk storage root; default memory. */
  storage?: string;
  /** Seed the fixture images; default true. */
  fixtures: boolean;
  /** Size of pullstorm/large:1.0 in bytes. */
  largeSizeBytes?: number;
  /** Layers of pullstorm/large:1.0. */
  largeLayers?: number;
  /** Token of the fault control API and the event feed; default none (both answer 404). */
  controlToken?: string | undefined;
}

/** The JSON line `pullstorm serve` prints when it is ready. */
export interface ServeReady {
  ready: true;
  url: string;
  host: string;
  port: number;
  tls: boolean;
  caFile: string | null;
  auth: string;
  fixtures: { reference: string; digest: string; mediaType: string; description: string }[];
}

/** Starts the stub as `pullstorm serve` does; returns the ready line and a way to stop it. */
export async function startServe(
  options: ServeOptions,
): Promise<{ ready: ServeReady; close(): Promise<void> }> {
  const images = options.fixtures
    ? fixtureImages({ largeSizeBytes: options.largeSizeBytes, largeLayers: options.largeLayers })
    : [];
  let tls: { certPem: string; keyPem: string } | undefined;
  let caFile: string | null = null;
  if (options.tlsFiles !== undefined) {
    const loaded = await loadTlsFiles(options.tlsFiles);
    tls = { certPem: loaded.certPem, keyPem: loaded.keyPem };
    caFile = loaded.caFile;
  } else if (options.tls) {
    const ca = await createCertificateAuthority();
    const names = [options.host, ...(options.tlsNames ?? [])].filter((n) => n !== '0.0.0.0' && n !== '::');
    const hosts = [...new Set(['localhost', ...names.filter((n) => !isIp(n))])];
    const ips = [...new Set(['127.0.0.1', '::1', ...names.filter(isIp)])];
    const leaf = await issueCertificate(ca, { hosts, ips });
    const dir = options.tlsDir ? resolve(options.tlsDir) : await mkdtemp(join(tmpdir(), 'pullstorm-tls-'));
    const files = await writeTlsFiles(dir, { ca, leaf });
    caFile = files.caFile;
    tls = { certPem: leaf.certPem, keyPem: leaf.keyPem };
  }
  const everything = [
    { repository: '**', actions: ['pull', 'push', 'delete'] as ('pull' | 'push' | 'delete')[] },
  ];
  const registry = await startRegistry({
    host: options.host,
    port: options.port,
    tls,
    images,
    storage: options.storage ? { kind: 'disk', root: resolve(options.storage) } : { kind: 'memory' },
    auth:
      options.auth === 'none'
        ? undefined
        : { mode: options.auth, users: options.users.map((u) => ({ ...u, access: everything })) },
    controlToken: options.controlToken,
  });
  const authority = `${registry.host.includes(':') ? `[${registry.host}]` : registry.host}:${registry.port}`;
  const ready: ServeReady = {
    ready: true,
    url: registry.url,
    host: registry.host,
    port: registry.port,
    tls: Boolean(tls),
    caFile,
    auth: options.auth,
    fixtures: images.map((image) => ({
      reference: `${authority}/${image.repository}:${image.tag}`,
      digest: image.root.digest,
      mediaType: image.root.mediaType,
      description: image.description,
    })),
  };
  return { ready, close: () => registry.close() };
}

function isIp(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(':');
}
