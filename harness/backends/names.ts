/**
 * The names a run gives things: its id, its output and state directories, the host name pods use
 * for each scenario registry, and the loopback address of each node. One place, so `pullstorm clean`
 * and the runner agree.
 */
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ImageRef } from '../scenario/refs.ts';
import type { Scenario } from '../scenario/resolved.ts';

/**
 * Registry host names pods use: `<registry>.pullstorm.test:5000`. `.test` is reserved (RFC 6761)
 * and never resolved: each node's hosts.toml sends the name to that node's own front door, so image
 * references stay the same on every node and in every report while faults pick nodes.
 */
export const REGISTRY_DOMAIN = 'pullstorm.test';
/** The port in image references; never listened on (hosts.toml maps it to the door). */
export const REGISTRY_PORT = 5000;

/** `hub` → `hub.pullstorm.test:5000`. */
export function registryHost(registry: string): string {
  return `${registry}.${REGISTRY_DOMAIN}:${REGISTRY_PORT}`;
}

/** The reference a pod spec carries for a scenario image (`hub/pullstorm/tiny:1.0` → `hub.pullstorm.test:5000/pullstorm/tiny:1.0`). */
export function podImage(ref: ImageRef): string {
  const tag = ref.tag === undefined ? '' : `:${ref.tag}`;
  const digest = ref.digest === undefined ? '' : `@${ref.digest}`;
  return `${registryHost(ref.registry)}/${ref.repository}${tag}${digest}`;
}

/** Two digits. */
const two = (n: number) => String(n).padStart(2, '0');

/** A run id: `<scenario>-<yyyymmdd-hhmmss>-<4 hex>` (UTC), e.g. `unknown-tag-20261126-190512-3f9a`. */
export function newRunId(scenario: string, now = new Date()): string {
  const date = `${now.getUTCFullYear()}${two(now.getUTCMonth() + 1)}${two(now.getUTCDate())}`;
  const time = `${two(now.getUTCHours())}${two(now.getUTCMinutes())}${two(now.getUTCSeconds())}`;
  const hex = [...crypto.getRandomValues(new Uint8Array(2))].map((b) => b.toString(16).padStart(2, '0'));
  return `${scenario}-${date}-${time}-${hex.join('')}`;
}

/** Where run directories go by default: `./pullstorm-runs`. */
export const DEFAULT_RUNS_DIR = 'pullstorm-runs';

/** A run's output directory: `out` as given, else `<runsDir>/<run-id>` (default `./pullstorm-runs/<run-id>`). */
export function runOutDir(runId: string, out?: string, runsDir = DEFAULT_RUNS_DIR): string {
  return resolve(out ?? join(runsDir, runId));
}

/**
 * Where runs keep node state (containerd roots, sockets, mounts): `$PULLSTORM_STATE_DIR`, default
 * `<tmpdir>/pullstorm`. Short on purpose: a unix socket path must fit in 107 bytes, and a run id
 * (up to 84 characters) would not, so each run gets a random 8-hex key directory here instead,
 * with `run.json` naming the run.
 */
export function stateRoot(): string {
  return resolve(process.env.PULLSTORM_STATE_DIR || join(tmpdir(), 'pullstorm'));
}

/** The marker file of a run's state directory. */
export const RUN_MARKER = 'run.json';

/** What `run.json` records, so `pullstorm clean` knows whose state it is. */
export interface RunMarker {
  runId: string;
  /** The pullstorm process; its state is left alone while it lives. */
  pid: number;
  startedAt: string;
  outDir: string;
}

/** The name of the pull secret for `user` of `registry` (one per registry user). */
export function pullSecretName(registry: string, user: string): string {
  return `${registry}-${user}`;
}

/** Every registry user as a cluster pull secret. */
export function pullSecrets(scenario: Scenario): Record<string, { username: string; password: string }> {
  const secrets: Record<string, { username: string; password: string }> = {};
  for (const r of scenario.registries) {
    for (const u of r.auth?.users ?? []) {
      secrets[pullSecretName(r.name, u.username)] = { username: u.username, password: u.password };
    }
  }
  return secrets;
}
