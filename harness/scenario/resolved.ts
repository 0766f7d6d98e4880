/**
 * A scenario after validation and defaulting: every default filled in, durations in ms, node
 * groups expanded into nodes, aliases and node-group names resolved. This is what the runner
 * consumes; it is plain JSON (no `Infinity`, no `Map`) so it can be written into the run record.
 */
import type { FixtureName } from '../../registry-stubs/fixtures/catalogue.ts';
import type { Expectation } from './expectations.ts';
import type { Action, BackendType, MirrorType, NodeKind, PullPolicy, Route } from './model.ts';
import type { ImageRef } from './refs.ts';

/** A validated, defaulted scenario. */
export interface Scenario {
  apiVersion: 'pullstorm.dev/v1alpha1';
  kind: 'Scenario';
  name: string;
  description: string;
  backend: Backend;
  registries: Registry[];
  workload: Workload[];
  faults: Fault[];
  expectations: Expectation[];
  timeoutMs: number;
}

/** Where pulls happen. */
export interface Backend {
  type: BackendType;
  kubernetesVersion: string;
  /** `warp` or `real`; see the model. */
  clock: 'warp' | 'real';
  /** The kubelet model's seed when set; the runner picks one for a run otherwise. */
  seed?: number;
  kubelet: KubeletSettings;
  /** Every node, groups expanded, in declaration order. */
  nodes: Node[];
}

/** kubelet's image settings, defaults filled in. */
export interface KubeletSettings {
  serializeImagePulls: boolean;
  /** Undefined: no limit when pulls are parallel. */
  maxParallelImagePulls?: number;
  registryPullQPS: number;
  registryBurst: number;
  imageGCHighThresholdPercent: number;
  imageGCLowThresholdPercent: number;
  imageMinimumGCAgeMs: number;
}

/** One node. */
export interface Node {
  /** `worker-3`, or the group's name for a group of one. */
  name: string;
  /** The `name` of the node group it came from. */
  group: string;
  kind: NodeKind;
  platform: string;
  /** Undefined: unlimited. */
  diskBytes?: number;
}

/** A stub registry. */
export interface Registry {
  name: string;
  tls: boolean;
  /** Undefined: every request allowed. */
  auth?: RegistryAuth;
  fixtures: { include: FixtureName[]; largeSizeBytes: number; largeLayers: number };
  mirrors: Mirror[];
}

/** A mirror in front of a registry; `type` is never `pull-through-cache` (resolved to `distribution`). */
export interface Mirror {
  name: string;
  type: Exclude<MirrorType, 'pull-through-cache'>;
  /** Username of the registry's auth the mirror pulls with (distribution). */
  credentials?: string;
  /** nginx proxy_cache_lock; undefined: on. */
  lock?: boolean;
  /** Set on `type: external` only. */
  external?: ExternalMirror;
  /** Set on `type: container` only. */
  container?: ContainerMirror;
  /** Node names (groups expanded) whose hosts.toml lists the mirror; undefined: every node. */
  nodes?: string[];
  /** Size of the tmpfs under the mirror's cache; undefined: unlimited. */
  diskBytes?: number;
}

/** The user's own mirror (model.ts `MirrorInput`, type external). */
export interface ExternalMirror {
  url: string;
  overridePath: boolean;
  ca?: string;
  skipVerify: boolean;
  /** `{ host, port }` of the origin door opened for the mirror's fetches. */
  upstream?: { host: string; port: number };
  login?: { username: string; password?: string; passwordEnv?: string };
}

/** A mirror image run for the run (model.ts `MirrorInput`, type container); templates not yet filled. */
export interface ContainerMirror {
  image: string;
  port: number;
  env: Record<string, string>;
  args?: string[];
  files: Record<string, string>;
}

/** Access to repositories matching any of the globs. */
export interface Access {
  repositories: string[];
  actions: Action[];
}

/** A registry's authentication. */
export interface RegistryAuth {
  mode: 'basic' | 'token';
  users: (Access & { username: string; password: string })[];
  anonymous: Access[];
}

/** Pods or a deployment. */
export interface Workload {
  kind: 'pod' | 'deployment';
  name: string;
  /** The reference as written in the scenario, aliases replaced. */
  image: string;
  /** `image` in parts; `registry` names a scenario registry. */
  ref: ImageRef;
  imagePullPolicy: PullPolicy;
  pullSecret?: string;
  replicas: number;
  atMs: number;
  ramp?: { to: number; overMs: number };
  /** Node names (groups expanded) the pods may run on; empty: any node. */
  nodes: string[];
}

/** One entry of the fault timeline. */
export interface Fault {
  id: string;
  /** Catalogue name. */
  fault: string;
  options: Record<string, unknown>;
  scope: FaultScope;
  atMs: number;
  /** Offset at which the fault is cleared; undefined: applied until the end of the run. */
  clearAtMs?: number;
}

/** Where a fault acts; an absent condition matches everything. */
export interface FaultScope {
  registry?: string;
  repository?: string;
  route: Route;
  /** Node names, groups expanded. */
  nodes?: string[];
  probability: number;
  maxCount?: number;
}
