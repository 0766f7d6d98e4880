/**
 * What `pullstorm serve` starts: the registry stub with fixtures, TLS material (generated, or read
 * from `--tls-cert`/`--tls-key` files), users, and with a control token the control API and the
 * event feed. Separate from the yargs command so tests and the Deno smoke run can start the same thing.
 *
 * The registry is served through one front door (registry-stubs/faults/net), so every TCP- and
 * TLS-layer fault applies to it. With a control token the control API and the feed are also served
 * on a control listener of their own (`--control-port`, default an ephemeral port; the ready line's
 * `controlUrl`), which no fault touches: a harness steering the stub from outside keeps its hold
 * through `refused` or `blackhole`. They still answer on the registry's port too, as before the
 * control listener existed, but there they go through the door like any request.
 */
import { resolve } from 'node:path';
import { UsageError } from '../../vocab/errors.ts';
import { fixtureImages } from '../fixtures/catalogue.ts';
import { ControlListenError, type RegistryLimits, type RunningRegistry, startRegistry } from '../index.ts';
import { serveCertificates } from './serve-certificates.ts';
import type { ServeUser } from './serve-secrets.ts';
import type { TlsFileOptions } from './serve-tls.ts';

/** Name of serve's one front door, as `fault.hit` events and `nodes` scopes see it: `registry`. */
export const SERVE_ENDPOINT = 'registry';

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
  /** Users with pull/push/delete on every repository: a password, or a bcrypt hash (--users-file). */
  users: ServeUser[];
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
  /** Port of the control listener (with `controlToken`); default 0, a free one. */
  controlPort?: number | undefined;
  /** Limits and timeouts (registry-stubs/limits.ts); default the stub's. */
  limits?: RegistryLimits;
}

/** The JSON line `pullstorm serve` prints when it is ready. */
export interface ServeReady {
  ready: true;
  url: string;
  host: string;
  port: number;
  tls: boolean;
  caFile: string | null;
  /** Where the control API and the event feed answer out of the faults' reach; null without a control token. */
  controlUrl: string | null;
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
  const { tls, caFile, certificates, certificatesHint } = await serveCertificates(options);
  const everything = [
    { repository: '**', actions: ['pull', 'push', 'delete'] as ('pull' | 'push' | 'delete')[] },
  ];
  let registry: RunningRegistry;
  try {
    registry = await startRegistry({
      endpoints: [{ name: SERVE_ENDPOINT, host: options.host, port: options.port }],
      tls,
      ...(certificates !== undefined && { certificates }),
      certificatesHint,
      images,
      storage: options.storage ? { kind: 'disk', root: resolve(options.storage) } : { kind: 'memory' },
      auth:
        options.auth === 'none'
          ? undefined
          : { mode: options.auth, users: options.users.map((u) => ({ ...u, access: everything })) },
      controlToken: options.controlToken,
      ...(options.limits !== undefined && { limits: options.limits }),
      ...(options.controlToken && {
        controlListener: { host: options.host, port: options.controlPort ?? 0 },
      }),
    });
  } catch (error) {
    throw listenUsageError(error, options) ?? error;
  }
  const authority = `${registry.host.includes(':') ? `[${registry.host}]` : registry.host}:${registry.port}`;
  const ready: ServeReady = {
    ready: true,
    url: registry.url,
    host: registry.host,
    port: registry.port,
    tls: Boolean(tls),
    caFile,
    controlUrl: registry.controlUrl ?? null,
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

/**
 * A listen error the flags caused, as a UsageError (exit 2) naming the flag, what was expected and
 * what was given; undefined for any other error. The registry listens before the control listener,
 * whose errors come as ControlListenError.
 */
function listenUsageError(error: unknown, o: ServeOptions): UsageError | undefined {
  const [flag, port] =
    error instanceof ControlListenError ? ['--control-port', o.controlPort ?? 0] : ['--port', o.port];
  switch ((error as { code?: unknown } | undefined)?.code) {
    case 'EADDRINUSE':
      return new UsageError(`${flag}: expected a free port on ${o.host}, got ${port} (in use)`, {
        cause: error,
      });
    case 'EACCES':
      return new UsageError(
        `${flag}: expected a port this user may listen on at ${o.host}, got ${port} (permission denied)`,
        { cause: error },
      );
    case 'EADDRNOTAVAIL':
      return new UsageError(`--host: expected an address of this machine, got ${o.host} (not available)`, {
        cause: error,
      });
    default:
      return undefined;
  }
}
