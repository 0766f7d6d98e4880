/**
 * Defaulting, separate from validation (STYLE 6): `applyDefaults()` runs on a scenario that
 * `validate()` accepted and cannot fail. The naming rules (node groups, fault ids, the default
 * registry) are exported because validation resolves cross-references with the same rules.
 * `null` counts as absent, as in Kubernetes, so a YAML key left empty is the default.
 */
import { FIXTURE_NAMES } from '../../registry-stubs/fixtures/catalogue.ts';
import { DEFAULT_LARGE_LAYERS, DEFAULT_LARGE_SIZE } from '../../registry-stubs/fixtures/large.ts';
import { parseDuration } from './duration.ts';
import type { Expectation, ExpectationInput } from './expectations.ts';
import { resolveMirrorTarget } from './mirror-targets.ts';
import type { AccessInput, NodeInput, RegistryInput, ScenarioInput, WorkloadInput } from './model.ts';
import { parseSize } from './quantity.ts';
import { defaultPullPolicy, type ImageRef, parseImageRef } from './refs.ts';
import type { Access, Backend, Fault, Node, Registry, Scenario, Workload } from './resolved.ts';

/** Every default of the model in one place. */
export const DEFAULTS = {
  timeout: '5m',
  backendType: 'containerd',
  kubernetesVersion: '1.32',
  clock: 'warp',
  registryPullQPS: 5,
  registryBurst: 10,
  imageGCHighThresholdPercent: 85,
  imageGCLowThresholdPercent: 80,
  imageMinimumGCAge: '2m',
  node: { name: 'node', count: 1, kind: 'real', platform: 'linux/amd64' },
  registry: 'registry',
  actions: ['pull'],
  repositories: ['*'],
  mirrorType: 'distribution',
  replicas: 1,
  at: '0s',
  route: 'any',
  probability: 1,
  percentile: 95,
} as const;

/** Names of the nodes a group makes: `name` for one node, `name-0` … `name-<count-1>` for more. */
export function nodeNames(name: string, count: number): string[] {
  return count === 1 ? [name] : Array.from({ length: count }, (_, i) => `${name}-${i}`);
}

/** A fault's id when it has none: `<fault>-<index in faults>`, e.g. `rate-limit-0`. */
export function defaultFaultId(fault: string, index: number): string {
  return `${fault}-${index}`;
}

/** Fills every default of a scenario `validate()` accepted. Pure: the input is not changed. */
export function applyDefaults(input: ScenarioInput): Scenario {
  const nodes = (input.backend?.nodes ?? [DEFAULTS.node]).flatMap(node);
  const groups = (names: readonly string[]) =>
    nodes.filter((n) => names.includes(n.name) || names.includes(n.group)).map((n) => n.name);
  const aliases = new Map((input.images ?? []).map((a) => [a.name, a.ref]));
  return {
    apiVersion: input.apiVersion,
    kind: input.kind,
    name: input.name,
    description: input.description ?? '',
    backend: backend(input, nodes),
    registries: (input.registries ?? [{ name: DEFAULTS.registry }]).map((r) => registry(r, groups)),
    workload: input.workload.flatMap((w) =>
      prepullPods(w, nodes).map((p) => workload(p, aliases.get(p.image) ?? p.image, groups)),
    ),
    faults: (input.faults ?? []).map(
      (f, i): Fault => ({
        id: f.id ?? defaultFaultId(f.fault, i),
        fault: f.fault,
        // Deep copy: options are plain data, and the result must not share them with the input.
        options: structuredClone({ ...(f.options ?? {}) }),
        scope: {
          ...(f.scope?.registry ? { registry: f.scope.registry } : {}),
          ...(f.scope?.repository ? { repository: f.scope.repository } : {}),
          route: f.scope?.route ?? DEFAULTS.route,
          ...(f.scope?.nodes ? { nodes: groups(f.scope.nodes) } : {}),
          probability: f.scope?.probability ?? DEFAULTS.probability,
          ...(f.scope?.maxCount == null ? {} : { maxCount: f.scope.maxCount }),
        },
        atMs: parseDuration(f.at ?? DEFAULTS.at),
        ...clearAt(f),
      }),
    ),
    expectations: (input.expectations ?? []).map(expectation),
    timeoutMs: parseDuration(input.timeout ?? DEFAULTS.timeout),
  };
}

function backend(input: ScenarioInput, nodes: Node[]): Backend {
  const b = input.backend ?? {};
  const k = b.kubelet ?? {};
  const parallel = k.maxParallelImagePulls ?? undefined;
  return {
    type: b.type ?? DEFAULTS.backendType,
    kubernetesVersion: b.kubernetesVersion ?? DEFAULTS.kubernetesVersion,
    // A real kubelet (kind, an existing cluster) cannot be warped.
    clock: b.clock ?? ((b.type ?? DEFAULTS.backendType) === 'containerd' ? DEFAULTS.clock : 'real'),
    ...(b.seed === undefined ? {} : { seed: b.seed }),
    kubelet: {
      // kubelet's own rule (v1beta1 defaults.go): parallel pulls asked for means not serialized.
      serializeImagePulls: k.serializeImagePulls ?? (parallel === undefined || parallel < 2),
      ...(parallel === undefined ? {} : { maxParallelImagePulls: parallel }),
      registryPullQPS: k.registryPullQPS ?? DEFAULTS.registryPullQPS,
      registryBurst: k.registryBurst ?? DEFAULTS.registryBurst,
      imageGCHighThresholdPercent: k.imageGCHighThresholdPercent ?? DEFAULTS.imageGCHighThresholdPercent,
      imageGCLowThresholdPercent: k.imageGCLowThresholdPercent ?? DEFAULTS.imageGCLowThresholdPercent,
      imageMinimumGCAgeMs: parseDuration(k.imageMinimumGCAge ?? DEFAULTS.imageMinimumGCAge),
    },
    nodes,
  };
}

function node(n: NodeInput): Node[] {
  return nodeNames(n.name, n.count ?? DEFAULTS.node.count).map((name) => ({
    name,
    group: n.name,
    kind: n.kind ?? DEFAULTS.node.kind,
    platform: n.platform ?? DEFAULTS.node.platform,
    ...(n.diskBytes == null ? {} : { diskBytes: parseSize(n.diskBytes) }),
  }));
}

function access(a: AccessInput): Access {
  return {
    repositories: [...(a.repositories ?? DEFAULTS.repositories)],
    actions: [...(a.actions ?? DEFAULTS.actions)],
  };
}

function registry(r: RegistryInput, groups: (names: readonly string[]) => string[]): Registry {
  const f = r.fixtures ?? {};
  return {
    name: r.name,
    tls: r.tls ?? false,
    ...(r.auth
      ? {
          auth: {
            mode: r.auth.mode,
            users: r.auth.users.map((u) => ({ username: u.username, password: u.password, ...access(u) })),
            anonymous: (r.auth.anonymous ?? []).map(access),
          },
        }
      : {}),
    fixtures: {
      include: [...(f.include ?? FIXTURE_NAMES)],
      largeSizeBytes: f.largeSizeBytes == null ? DEFAULT_LARGE_SIZE : parseSize(f.largeSizeBytes),
      largeLayers: f.largeLayers ?? DEFAULT_LARGE_LAYERS,
    },
    mirrors: (r.mirrors ?? []).map((m) => ({
      name: m.name,
      // `pull-through-cache` names the kind of mirror; distribution is the one this build starts.
      type: m.type === undefined || m.type === 'pull-through-cache' ? DEFAULTS.mirrorType : m.type,
      ...(typeof m.credentials === 'string' ? { credentials: m.credentials } : {}),
      ...(m.lock === undefined ? {} : { lock: m.lock }),
      ...resolveMirrorTarget(m),
      ...(m.nodes === undefined ? {} : { nodes: groups(m.nodes) }),
      ...(m.diskBytes == null ? {} : { diskBytes: parseSize(m.diskBytes) }),
    })),
  };
}

/**
 * A `prepull` is the pre-pull DaemonSet remedy: one pod per node it selects (every node by
 * default), each pinned to its node, named `<name>-<node>`. Other kinds pass through.
 */
function prepullPods(w: WorkloadInput, nodes: readonly { name: string; group: string }[]): WorkloadInput[] {
  if (w.kind !== 'prepull') return [w];
  const selector = w.nodeSelector ?? [];
  const chosen = nodes.filter(
    (n) => selector.length === 0 || selector.includes(n.name) || selector.includes(n.group),
  );
  return chosen.map((n) => ({
    ...w,
    kind: 'pod',
    name: `${w.name}-${n.name}`,
    replicas: 1,
    nodeSelector: [n.name],
  }));
}

function workload(w: WorkloadInput, image: string, groups: (names: readonly string[]) => string[]): Workload {
  const ref = parseImageRef(image) as ImageRef;
  return {
    kind: w.kind === 'prepull' ? 'pod' : w.kind,
    name: w.name,
    image,
    ref,
    imagePullPolicy: w.imagePullPolicy ?? defaultPullPolicy(ref),
    ...(w.pullSecret ? { pullSecret: w.pullSecret } : {}),
    replicas: w.replicas ?? DEFAULTS.replicas,
    atMs: parseDuration(w.at ?? DEFAULTS.at),
    ...(w.ramp ? { ramp: { to: w.ramp.to, overMs: parseDuration(w.ramp.over) } } : {}),
    nodes: groups(w.nodeSelector ?? []),
  };
}

function clearAt(f: { at?: string | number; for?: string | number; clearAt?: string | number }) {
  if (f.clearAt != null) return { clearAtMs: parseDuration(f.clearAt) };
  if (f.for != null) return { clearAtMs: parseDuration(f.at ?? DEFAULTS.at) + parseDuration(f.for) };
  return {};
}

function expectation(e: ExpectationInput): Expectation {
  const fault = 'fault' in e && e.fault ? { fault: e.fault } : {};
  switch (e.type) {
    case 'detectedWithin':
    case 'recoveredWithin':
      return { type: e.type, ...fault, withinMs: parseDuration(e.within) };
    case 'classifiedAs':
      return { type: e.type, ...fault, cause: e.cause };
    case 'pullLatency':
      return {
        type: e.type,
        percentile: e.percentile ?? DEFAULTS.percentile,
        underMs: parseDuration(e.under),
      };
    case 'fallbackTime':
      return {
        type: e.type,
        fault: e.fault,
        underMs: parseDuration(e.under),
        ...(e.atLeast == null ? {} : { atLeastMs: parseDuration(e.atLeast) }),
      };
    case 'allPodsRunning':
      return e.within == null ? { type: e.type } : { type: e.type, withinMs: parseDuration(e.within) };
    default:
      return { ...e };
  }
}
