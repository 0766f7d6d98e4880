/**
 * The built-in scenario library: one YAML per row of the fault catalogue under `scenarios/`, each
 * with expectations a healthy setup meets (so the expected verdict of every one is `pass`). The
 * files say what runs; this table adds what `pullstorm list` shows beside them and which suites
 * include them. A name on the command line that is not a file is looked up here.
 */
import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../../vocab/errors.ts';

/** The directory of the built-in scenarios. */
export const SCENARIOS_DIR = fileURLToPath(new URL('../../scenarios/', import.meta.url));

/**
 * A suite name: `default` is every built-in that needs only containerd, runc and root and finishes
 * in seconds; `long` holds those that take much longer (hours of scenario time); `mirrors` holds
 * those that start a real mirror, so they also need Debian's docker-registry (and nginx), which
 * `scripts/setup.mjs` installs but the default suite does not require.
 */
export type SuiteName = 'default' | 'long' | 'mirrors';

/** What `pullstorm list` says about a built-in beside its file's description. */
export interface BuiltinScenario {
  /** The scenario's `name`, also its file's base name. */
  name: string;
  /** The fault catalogue row it covers. */
  row: string;
  /** Wall time measured for one run on 2 cores, rounded (provisioning and teardown included). */
  roughSeconds: number;
  /**
   * A real timeout of containerd's that bounds the run's wall time: a pull in flight is real work,
   * so the run clock passes 1:1 through it and cannot skip it; default none.
   */
  boundBy?: string;
  suites: readonly SuiteName[];
}

const all = ['default'] as const;

/** Every built-in scenario, in the order the default suite runs them. */
export const BUILTINS: readonly BuiltinScenario[] = [
  { name: 'unknown-tag', row: 'content: unknown tag', roughSeconds: 4, suites: all },
  { name: 'corrupt-blob', row: 'content: corrupted blob', roughSeconds: 4, suites: all },
  { name: 'truncated-blob', row: 'content: truncated blob', roughSeconds: 4, suites: all },
  { name: 'auth-no-credentials', row: 'auth: no credentials', roughSeconds: 4, suites: all },
  { name: 'auth-bad-credentials', row: 'auth: bad credentials', roughSeconds: 4, suites: all },
  { name: 'auth-insufficient-scope', row: 'auth: insufficient scope', roughSeconds: 4, suites: all },
  { name: 'auth-token-endpoint', row: 'auth: token endpoint failing', roughSeconds: 6, suites: all },
  { name: 'rate-limit', row: 'rate limit, with recovery', roughSeconds: 10, suites: all },
  {
    name: 'rate-limit-window',
    row: 'rate limit: a 6-hour window refills',
    roughSeconds: 18,
    suites: ['long'],
  },
  { name: 'tls-unknown-ca', row: 'TLS: unknown CA', roughSeconds: 4, suites: all },
  { name: 'tls-expired', row: 'TLS: expired certificate', roughSeconds: 4, suites: all },
  { name: 'tls-wrong-host', row: 'TLS: wrong host name', roughSeconds: 4, suites: all },
  { name: 'tls-plain-http', row: 'TLS: plain HTTP to a TLS client', roughSeconds: 4, suites: all },
  {
    name: 'tls-stall',
    row: 'TLS: stalled handshake',
    roughSeconds: 14,
    boundBy: "containerd's 10 s TLS handshake timeout, per attempt",
    suites: all,
  },
  { name: 'tls-trusted', row: 'TLS: the fix (the node trusts the CA)', roughSeconds: 4, suites: all },
  { name: 'refused', row: 'network: connection refused', roughSeconds: 4, suites: all },
  {
    name: 'blackhole',
    row: 'network: timeout (black hole)',
    roughSeconds: 36,
    boundBy: "containerd's 30 s dial timeout, per attempt",
    suites: all,
  },
  { name: 'dns', row: 'network: DNS failure', roughSeconds: 6, suites: all },
  { name: 'reset', row: 'network: reset mid-blob', roughSeconds: 6, suites: all },
  { name: 'disk-full', row: 'disk full, and recovery', roughSeconds: 5, suites: all },
  { name: 'wrong-platform', row: 'wrong architecture: missing platform', roughSeconds: 4, suites: all },
  { name: 'exec-format', row: 'wrong architecture: exec format error', roughSeconds: 4, suites: all },
  { name: 'tag-overwrite', row: 'tag overwrite with IfNotPresent: drift', roughSeconds: 5, suites: all },
  { name: 'tag-pinned', row: 'tag overwrite with digests: no drift', roughSeconds: 4, suites: all },
  { name: 'pull-policy', row: 'pull policy semantics', roughSeconds: 6, suites: all },
  { name: 'storm', row: 'pull storm (real + virtual nodes)', roughSeconds: 8, suites: all },
  { name: 'storm-rate-limit', row: 'pull storm under a rate limit', roughSeconds: 11, suites: all },
  { name: 'server-error', row: 'registry 5xx', roughSeconds: 5, suites: all },
  { name: 'mirror-fallback', row: 'mirror down: fallback to the registry', roughSeconds: 5, suites: all },
  {
    name: 'mirror-pull-through',
    row: 'storm through a distribution pull-through cache',
    roughSeconds: 13,
    suites: ['mirrors'],
  },
  {
    name: 'mirror-origin-down',
    row: 'origin down behind a warm distribution cache',
    roughSeconds: 11,
    suites: ['mirrors'],
  },
  {
    name: 'mirror-thundering-herd',
    row: 'cold distribution cache: concurrent misses',
    roughSeconds: 10,
    suites: ['mirrors'],
  },
  {
    name: 'mirror-latency',
    row: 'latency a distribution cache adds (cold, warm) against direct pulls',
    roughSeconds: 15,
    suites: ['mirrors'],
  },
  {
    name: 'mirror-disk-full',
    row: 'distribution cache with a full disk',
    roughSeconds: 10,
    suites: ['mirrors'],
  },
  {
    name: 'mirror-down-fallback',
    row: 'real mirror refused or blackholed: fallback time to the registry',
    roughSeconds: 130,
    boundBy: "containerd's 30 s dial timeout, once per request of the pull",
    suites: ['long'],
  },
  {
    name: 'remedies-storm',
    row: 'remedies compared: none, distribution, nginx, pre-pull',
    roughSeconds: 60,
    suites: ['mirrors'],
  },
];

/** The file of built-in `name`. */
export function builtinFile(name: string): string {
  return `${SCENARIOS_DIR}${name}.yaml`;
}

/** The built-ins of `suite`, as files. */
export function suiteFiles(suite: string): string[] {
  const members = BUILTINS.filter((b) => (b.suites as readonly string[]).includes(suite));
  if (members.length === 0)
    throw new UsageError(`--suite: expected one of default, long, mirrors, got '${suite}'`);
  return members.map((b) => builtinFile(b.name));
}

/** YAML files in `scenarios/` (a test checks each is in {@link BUILTINS}). */
export async function builtinFilesOnDisk(): Promise<string[]> {
  const names = await readdir(SCENARIOS_DIR);
  return names.filter((n) => n.endsWith('.yaml')).map((n) => `${SCENARIOS_DIR}${n}`);
}

/** Each argument as a file: a path with a scenario extension as given, else a built-in's name. */
export function scenarioFiles(args: readonly string[]): string[] {
  return args.map((arg) => {
    if (/\.(ya?ml|json|m?ts|m?js)$/i.test(arg) || arg.includes('/')) return arg;
    if (BUILTINS.some((b) => b.name === arg)) return builtinFile(arg);
    const names = BUILTINS.map((b) => b.name).join(', ');
    throw new UsageError(`expected a scenario file or a built-in name (${names}), got '${arg}'`);
  });
}
