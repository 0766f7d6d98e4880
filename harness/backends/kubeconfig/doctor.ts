/**
 * What can be known about an existing cluster's image-pull set-up from the API, and what cannot.
 * Node status gives the kubelet and container runtime versions; a node's registry mirrors, trusted
 * CAs and hosts.toml live on its disk and are not visible through the Kubernetes API at all, so the
 * report says what the user must have set rather than pretending to check it.
 */
import type { V1Node } from '@kubernetes/client-node';
import type { Scenario } from '../../scenario/resolved.ts';
import type { KubeApi } from './api.ts';
import { type Access, type AccessMode, requiredAccess, ruleResource } from './rbac.ts';
import { type ContextIdentity, type ProductionHeuristic, productionSignals } from './safety.ts';
import { UNVERIFIED_TLS_FAULTS, UNVERIFIED_TLS_REASON } from './tls-limits.ts';

/** One node as its status reports it. */
export interface NodeRuntime {
  name: string;
  kubelet: string;
  /** e.g. `containerd://1.7.27`. */
  runtime: string;
  os: string;
  arch: string;
  ready: boolean;
}

/** The doctor's answer for one context. */
export interface ContextReport {
  context: ContextIdentity;
  serverVersion: string;
  nodes: NodeRuntime[];
  /** Why it looks like production (empty: it does not). */
  production: string[];
  /** Problems found in what is visible. */
  warnings: string[];
  /** What the API cannot show. */
  cannotSee: string[];
  /** What the user must set for the scenario to be meaningful. */
  mustSet: string[];
  /** How many permissions were checked (SelfSubjectAccessReview), and those refused. */
  access: { checked: number; missing: string[] };
  /** Faults of the catalogue that cannot show on this backend, and why. */
  cannotApply: string[];
}

/** One permission in words: `create secrets in pullstorm-x (why)`. */
export function describeAccess(a: Access, namespace?: string): string {
  const what = `${ruleResource(a)}${a.group ? `.${a.group}` : ''}`;
  const where =
    a.scope === 'cluster' ? 'cluster-wide' : `in ${namespace ?? 'every namespace (the run creates its own)'}`;
  return `${a.verb} ${what} ${where} — ${a.why}`;
}

/** Asks the API server about every permission a run in `mode` needs; lists the ones refused. */
export async function checkAccess(
  api: KubeApi,
  mode: AccessMode = {},
): Promise<{ checked: number; missing: string[] }> {
  const access = requiredAccess(mode);
  const answers = await Promise.all(
    access.map((a) =>
      api.reviewAccess({
        verb: a.verb,
        group: a.group,
        resource: a.resource,
        ...(a.subresource ? { subresource: a.subresource } : {}),
        ...(a.scope === 'namespace' && mode.namespace ? { namespace: mode.namespace } : {}),
      }),
    ),
  );
  const missing = access.flatMap((a, i) => (answers[i]!.allowed ? [] : [describeAccess(a, mode.namespace)]));
  return { checked: access.length, missing };
}

/** A node's runtime facts from its status. */
export function nodeRuntime(node: V1Node): NodeRuntime {
  const info = node.status?.nodeInfo;
  return {
    name: node.metadata?.name ?? '',
    kubelet: info?.kubeletVersion ?? 'unknown',
    runtime: info?.containerRuntimeVersion ?? 'unknown',
    os: info?.osImage ?? 'unknown',
    arch: info?.architecture ?? 'unknown',
    ready: node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false,
  };
}

/** Warnings about visible facts that make pullstorm's expectations (FACTS.md) not apply. */
export function runtimeWarnings(nodes: NodeRuntime[]): string[] {
  const warnings: string[] = [];
  for (const n of nodes) {
    if (!n.runtime.startsWith('containerd://')) {
      warnings.push(`${n.name}: runtime ${n.runtime} — pullstorm's expected error texts are containerd's`);
    }
    const minor = /^v1\.(\d+)\./.exec(n.kubelet)?.[1];
    if (minor !== undefined && Number(minor) < 28) {
      warnings.push(`${n.name}: kubelet ${n.kubelet} is older than 1.28, whose messages pullstorm models`);
    }
    if (!n.ready) warnings.push(`${n.name}: not Ready`);
  }
  return warnings;
}

/** What cannot be read through the API, always the same. */
export const CANNOT_SEE = [
  'registry mirrors and hosts.toml (/etc/containerd/certs.d or config_path): on node disks, not in the API',
  'CAs the nodes trust: on node disks, not in the API',
  "containerd's config (max_concurrent_downloads, snapshotter, image pull progress timeout)",
  "kubelet's image settings (serializeImagePulls, registryPullQPS) unless the configz endpoint is exposed",
  "kube-proxy's mode, which decides whether NodePorts answer on 127.0.0.1",
];

/** What the user must have set on the nodes for `scenario` to test anything real. */
export function mustSetFor(scenario: Scenario | undefined, stubImage: string | undefined): string[] {
  const lines = [
    stubImage
      ? `the stub image ${stubImage} pullable by every node (build: pullstorm image build; then push or load it)`
      : 'a stub image the nodes can pull, given with --stub-image (build: pullstorm image build)',
    'kube-proxy serving NodePorts on 127.0.0.1 (iptables or ipvs mode): nodes pull from localhost:<nodePort>',
  ];
  for (const r of scenario?.registries ?? []) {
    if (r.tls) {
      lines.push(
        `registry ${r.name} serves TLS, but nodes pull from localhost:<random nodePort>, where containerd without a hosts.toml ` +
          'never verifies the certificate (1.6 even speaks plain HTTP there, so the pulls fail with 400): TLS proves nothing here; prefer tls: false',
      );
    }
    for (const m of r.mirrors) {
      lines.push(
        `mirror ${m.name} of ${r.name}: nodes' hosts.toml must list it before the origin — pullstorm cannot set or see this`,
      );
    }
  }
  const certificate = [...new Set((scenario?.faults ?? []).map((f) => f.fault))].filter((f) =>
    UNVERIFIED_TLS_FAULTS.includes(f),
  );
  if (certificate.length)
    lines.push(
      `this scenario's ${certificate.join(', ')} cannot run here (refused, exit 2): ${UNVERIFIED_TLS_REASON}`,
    );
  if (scenario?.faults.some((f) => f.fault === 'disk-full')) {
    lines.push("disk-full faults cannot run here: the nodes are not pullstorm's to fill");
  }
  return lines;
}

/**
 * Looks at the cluster behind `api` (read-only: version, nodes, namespace count, and one
 * SelfSubjectAccessReview per permission a run needs). Version first: an API server that refuses
 * even that is reported as refusing, not as missing permissions.
 */
export async function doctorForContext(
  api: KubeApi,
  id: ContextIdentity,
  options: { scenario?: Scenario; stubImage?: string } & ProductionHeuristic & AccessMode = {},
): Promise<ContextReport> {
  const serverVersion = await api.version();
  const access = await checkAccess(
    api,
    options.namespace === undefined ? {} : { namespace: options.namespace },
  );
  // Without list on nodes or namespaces the rest cannot be seen; the access list already says so.
  const [nodes, namespaces] = await Promise.all([
    api.listNodes().catch(() => []),
    api.listNamespaceNames().catch(() => []),
  ]);
  const runtimes = nodes.map(nodeRuntime);
  return {
    context: id,
    serverVersion,
    nodes: runtimes,
    production: productionSignals(id, namespaces.length, options),
    warnings: runtimeWarnings(runtimes),
    cannotSee: CANNOT_SEE,
    mustSet: mustSetFor(options.scenario, options.stubImage),
    access,
    cannotApply: UNVERIFIED_TLS_FAULTS.map((f) => `${f}: ${UNVERIFIED_TLS_REASON}`),
  };
}

/** The report as text, one fact per line. */
export function formatContextReport(r: ContextReport): string {
  const lines = [
    `context ${r.context.context} (cluster ${r.context.cluster}, ${r.context.server}), Kubernetes ${r.serverVersion}`,
    ...r.nodes.map(
      (n) =>
        `  node ${n.name}: kubelet ${n.kubelet}, ${n.runtime}, ${n.os} ${n.arch}${n.ready ? '' : ' (NotReady)'}`,
    ),
    ...(r.production.length ? [`looks like production: ${r.production.join('; ')}`] : []),
    ...r.warnings.map((w) => `warning: ${w}`),
    r.access.missing.length
      ? `RBAC: ${r.access.missing.length} of ${r.access.checked} permissions a run needs are missing (pullstorm rbac prints a role granting them):`
      : `RBAC: all ${r.access.checked} permissions a run needs are granted`,
    ...r.access.missing.map((m) => `  - ${m}`),
    'faults that cannot apply on this backend (a scenario with them is refused, exit 2):',
    ...r.cannotApply.map((c) => `  - ${c}`),
    'cannot be seen through the API:',
    ...r.cannotSee.map((c) => `  - ${c}`),
    'you must set:',
    ...r.mustSet.map((m) => `  - ${m}`),
  ];
  return `${lines.join('\n')}\n`;
}
