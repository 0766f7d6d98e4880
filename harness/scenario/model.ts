/**
 * The scenario model as a user writes it, in TypeScript (through `defineScenario()`) or in
 * YAML/JSON with the same field names. Every optional field has a default (see `defaults.ts`);
 * `Scenario` in `resolved.ts` is the shape after defaulting, with durations in milliseconds.
 *
 * All durations are scenario time, which is what a real cluster would show: the embedded backend's
 * run clock passes 1:1 while real work is in flight and skips idle time (`backend.clock: warp`, the
 * default), and nothing is ever scaled. Passwords live in the model because the stub needs them;
 * reports and logs must never print them.
 */
import type { FixtureName } from '../../registry-stubs/fixtures/catalogue.ts';
import type { ExpectationInput } from './expectations.ts';

/** The `apiVersion` every scenario carries: `pullstorm.dev/v1alpha1`. */
export const API_VERSION = 'pullstorm.dev/v1alpha1';
/** The `kind` every scenario carries: `Scenario`. */
export const KIND = 'Scenario';

/** Go-style text (`500ms`, `30s`, `2m`, `1h30m`), or a number of milliseconds (TypeScript only). */
export type Duration = string | number;
/** A number of bytes, or a Kubernetes quantity such as `'512Mi'` or `'2Gi'`. */
export type Size = number | string;

/** A scenario as written; `defineScenario()` checks it against this type. */
export interface ScenarioInput {
  apiVersion: typeof API_VERSION;
  kind: typeof KIND;
  /** DNS label naming the run's resources, e.g. `rate-limit-storm`. */
  name: string;
  /** What the scenario proves, for reports; default `''`. */
  description?: string;
  /** Where pulls happen; default one real containerd node. */
  backend?: BackendInput;
  /** Stub registries; default one named `registry`, plain HTTP, no auth, every fixture. */
  registries?: readonly RegistryInput[];
  /** Short names for image references; default none. */
  images?: readonly ImageAliasInput[];
  /** What pulls: at least one pod or deployment. */
  workload: readonly WorkloadInput[];
  /** The fault timeline; default none. */
  faults?: readonly FaultInput[];
  /** The SLOs that decide the verdict; default none (the verdict is then the run's own health). */
  expectations?: readonly ExpectationInput[];
  /** The run's hard bound; default `5m`. */
  timeout?: Duration;
}

/** `containerd` (embedded nodes), `kind` (a kind cluster) or `kubeconfig` (an existing cluster). */
export type BackendType = 'containerd' | 'kind' | 'kubeconfig';

/** Where pulls happen. */
export interface BackendInput {
  /** Default `containerd`. */
  type?: BackendType;
  /** Kubernetes minor whose kubelet to reproduce, `1.28` or later, quoted in YAML; default `1.32`. */
  kubernetesVersion?: string;
  /**
   * How scenario time passes on the embedded backend: `warp` skips idle time (1:1 while real work is
   * in flight), `real` runs 1:1 throughout; default `warp` (kind and kubeconfig always run `real`).
   */
  clock?: 'warp' | 'real';
  /**
   * Seed of the kubelet model's random draws (each pod's requeue jitter), 0 to 4294967295; default a
   * new one per run, recorded in the run's log so the run can be replayed with the same draws.
   * Embedded backend only: a real kubelet draws its own.
   */
  seed?: number;
  /** Kubelet image settings; defaults are kubelet's. */
  kubelet?: KubeletInput;
  /** Node groups; default one real node named `node`. */
  nodes?: readonly NodeInput[];
}

/** The kubelet settings that shape image pulls, with kubelet's own defaults. */
export interface KubeletInput {
  /** Default true, unless `maxParallelImagePulls` is 2 or more. */
  serializeImagePulls?: boolean;
  /** At least 1; default unset (no limit when pulls are parallel). */
  maxParallelImagePulls?: number;
  /** Pulls per second; 0 means unlimited; default 5. */
  registryPullQPS?: number;
  /** Burst of the pull token bucket; default 10. */
  registryBurst?: number;
  /** Disk use (%) that starts image GC; default 85. */
  imageGCHighThresholdPercent?: number;
  /** Disk use (%) image GC frees down to; below the high threshold; default 80. */
  imageGCLowThresholdPercent?: number;
  /** Youngest image GC may remove; default `2m`. */
  imageMinimumGCAge?: Duration;
}

/** `real` nodes pull with containerd; `virtual` nodes are HTTP pullers for storms of thousands. */
export type NodeKind = 'real' | 'virtual';

/** A node, or with `count` > 1 a group named `<name>-0` … `<name>-<count-1>`. */
export interface NodeInput {
  /** DNS label: the node's name, or the group's prefix when `count` > 1. */
  name: string;
  /** Default 1. */
  count?: number;
  /** Default `real`. */
  kind?: NodeKind;
  /** `os/arch[/variant]`; default `linux/amd64`. */
  platform?: string;
  /** Size limit of the containerd root (disk-full faults); real nodes only; default unlimited. */
  diskBytes?: Size;
}

/** Actions a registry user may take on a repository. */
export type Action = 'pull' | 'push' | 'delete';

/** A stub registry. */
export interface RegistryInput {
  /** DNS label; image references start with it. */
  name: string;
  /** Serve HTTPS with a generated CA; default false. */
  tls?: boolean;
  /** Authentication; default none (every request allowed). */
  auth?: AuthInput;
  /** Fixture images to seed; default every fixture. */
  fixtures?: FixturesInput;
  /** Mirrors nodes try before this registry; default none. */
  mirrors?: readonly MirrorInput[];
}

/** How a registry authenticates. */
export interface AuthInput {
  /** `basic` (WWW-Authenticate: Basic) or `token` (Docker token auth). */
  mode: 'basic' | 'token';
  /** At least one user. */
  users: readonly UserInput[];
  /** What requests without credentials may do; default nothing. */
  anonymous?: readonly AccessInput[];
}

/** Repositories and the actions allowed on them. */
export interface AccessInput {
  /** Repository globs (`*` matches across `/`); default `['*']`. */
  repositories?: readonly string[];
  /** Default `['pull']`. */
  actions?: readonly Action[];
}

/** A registry user; `pullSecret` in the workload names one. */
export interface UserInput extends AccessInput {
  /** Non-empty, without `:`. */
  username: string;
  password: string;
}

/** The fixture images a registry is seeded with. */
export interface FixturesInput {
  /** Default every fixture (`pullstorm/<name>:1.0`); leave out `large` to save its build time. */
  include?: readonly FixtureName[];
  /** Payload of `pullstorm/large`; default 16 MiB. */
  largeSizeBytes?: Size;
  /** Layers of `pullstorm/large`; default 4. */
  largeLayers?: number;
}

/**
 * `distribution`: distribution 2.8 in proxy mode (Debian's docker-registry), started per run;
 * `nginx`: nginx with proxy_cache in front of the registry, started per run; `pull-through-cache`:
 * the same as `distribution`; `stub`: a second seeded stub, for faults on a mirror's HTTP;
 * `external`: the user's own mirror at `url`, never started by the harness; `container`: any
 * mirror image run with testcontainers for the run (`image`, `port`, templated `env`/`args`/`files`).
 */
export type MirrorType = 'distribution' | 'nginx' | 'pull-through-cache' | 'stub' | 'external' | 'container';

/** What nodes send to an external mirror (a hosts.toml `Authorization: Basic` header). */
export interface MirrorLoginInput {
  username: string;
  /** The password itself; exactly one of `password` and `passwordEnv`. */
  password?: string;
  /** Name of an environment variable holding the password, read when the run starts. */
  passwordEnv?: string;
}

/** A mirror in front of a registry (a hosts.toml `[host]` entry on every node). */
export interface MirrorInput {
  /** DNS label, unique among registries and mirrors; fault scopes may name it. */
  name: string;
  /** Default `distribution`. */
  type?: MirrorType;
  /**
   * distribution: a user of the registry's auth whose credentials the mirror pulls with; external:
   * what nodes send to the mirror (`{ username, password | passwordEnv }`); default anonymous.
   */
  credentials?: string | MirrorLoginInput;
  /** nginx `proxy_cache_lock` (one origin fetch per key while others wait); default true. */
  lock?: boolean;
  /** external: `http(s)://host[:port][/path]` nodes pull from. */
  url?: string;
  /** external: `url`'s path is the API root (hosts.toml `override_path`, e.g. a Harbor proxy project); default false. */
  overridePath?: boolean;
  /** external: a PEM CA file nodes trust for `url` (hosts.toml `ca`); default the system roots. */
  ca?: string;
  /** external: hosts.toml `skip_verify` for `url`; default false. */
  skipVerify?: boolean;
  /**
   * external: `host:port` where the harness opens a door to the origin for this mirror's fetches
   * (set the mirror's upstream to `http://<upstream>`); default none, and origin fetches are unknown.
   */
  upstream?: string;
  /** container: the image to run (present locally, or pullable by Docker). */
  image?: string;
  /** container: the port the mirror listens on inside the container (HTTP). */
  port?: number;
  /** container: environment; values may use `{{origin}}`, `{{port}}`, `{{name}}`; default none. */
  env?: Readonly<Record<string, string>>;
  /** container: the command's arguments (templated like env); default the image's own. */
  args?: readonly string[];
  /** container: files written into the container before it starts, absolute path → content (templated); default none. */
  files?: Readonly<Record<string, string>>;
  /** Node or node-group names whose hosts.toml lists this mirror; the rest pull direct; default every node. */
  nodes?: readonly string[];
  /** Size of a tmpfs under the mirror's cache (a full-disk mirror; distribution only, root); default unlimited. */
  diskBytes?: Size;
}

/** A short name for an image reference. */
export interface ImageAliasInput {
  /** DNS label without `/`, usable as a workload's `image`. */
  name: string;
  /** `<registry>/<repository>[:tag][@digest]`, e.g. `registry/pullstorm/tiny:1.0`. */
  ref: string;
}

/** kubelet's image pull policies. */
export type PullPolicy = 'Always' | 'IfNotPresent' | 'Never';

/** Pods or a deployment that pull an image. */
export interface WorkloadInput {
  /** `prepull`: one pod per selected node, pinned to it, as a pre-pull DaemonSet does. */
  kind: 'pod' | 'deployment' | 'prepull';
  /** DNS label, unique in the workload. */
  name: string;
  /** An image reference into a scenario registry, or an alias from `images`. */
  image: string;
  /** Default as Kubernetes: `Always` for `:latest` or no tag, else `IfNotPresent`. */
  imagePullPolicy?: PullPolicy;
  /** Username of the image registry's auth whose credentials the pods use; default none. */
  pullSecret?: string;
  /** Pods (or deployment replicas) at start; default 1. */
  replicas?: number;
  /** Start offset from the run's start; default `0s`. */
  at?: Duration;
  /** Scale up to `to` replicas over `over` after `at` (`over: 0s` is a storm); default none. */
  ramp?: { to: number; over: Duration };
  /** Node or node-group names the pods may run on; default any node. */
  nodeSelector?: readonly string[];
}

/** Which requests a registry fault touches: `token`, `manifest`, `blob` or `any`. */
export type Route = 'token' | 'manifest' | 'blob' | 'any';

/** Where a fault acts; every condition is optional and they combine with "and". */
export interface FaultScopeInput {
  /** Registry or mirror name; default every registry. */
  registry?: string;
  /** Repository glob; default every repository. */
  repository?: string;
  /** Default `any`. */
  route?: Route;
  /** Node or node-group names; default every node. */
  nodes?: readonly string[];
  /** Chance that a request is touched, 0..1; default 1. */
  probability?: number;
  /** Most requests touched; default unlimited. */
  maxCount?: number;
}

/**
 * Option types by fault name. The fault engine adds its faults by declaration merging
 * (`declare module '…/scenario/model.ts' { interface FaultOptionsMap { 'rate-limit': … } }`);
 * while it is empty, any name and options type-check and validation alone decides.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by declaration merging in the fault engine.
export interface FaultOptionsMap {}

type FaultChoice = [keyof FaultOptionsMap] extends [never]
  ? { fault: string; options?: Readonly<Record<string, unknown>> }
  : { [K in keyof FaultOptionsMap]: { fault: K; options?: FaultOptionsMap[K] } }[keyof FaultOptionsMap];

/** `for` (a length) or `clearAt` (an offset from the run's start), never both; neither: until the end. */
type FaultEnd = { for?: Duration; clearAt?: never } | { clearAt?: Duration; for?: never };

/** One entry of the fault timeline. */
export type FaultInput = FaultChoice &
  FaultEnd & {
    /** Referenced by expectations; default `<fault>-<index>`, e.g. `rate-limit-0`. */
    id?: string;
    /** Default everything the fault can touch. */
    scope?: FaultScopeInput;
    /** Start offset from the run's start; default `0s`. */
    at?: Duration;
  };

/**
 * Identity: returns `scenario` unchanged, so TypeScript checks it against the model (unknown
 * fields included) and infers the tagged unions. Not generic on purpose: a generic parameter would
 * turn off excess-property checks at the top level, so a misspelt `timeOut` would pass.
 */
export function defineScenario(scenario: ScenarioInput): ScenarioInput {
  return scenario;
}
