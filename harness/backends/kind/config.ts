/**
 * The kind cluster config (`kind.x-k8s.io/v1alpha4` Cluster, kind's `pkg/apis/config/v1alpha4/types.go`)
 * for a scenario: one node container per scenario node, each labelled with the scenario node's name,
 * containerd pointed at `/etc/containerd/certs.d`, and per-node bind mounts for the registry host
 * directories and, where the scenario limits disk, a size-limited containerd root.
 *
 * - **Nodes**: one scenario node → a single control-plane (kind removes its NoSchedule taint in a
 *   one-node cluster). More → a control-plane that runs no workload plus one worker per scenario
 *   node, as kind keeps the taint when there are workers.
 * - **Registry config**: kind images from v0.27 already set `config_path = "/etc/containerd/certs.d"`;
 *   the patch is kept for older `--node-image`s (kind's local-registry guide does the same).
 *   Each node's whole `/etc/containerd/certs.d` is a bind mount of its own host directory (one per
 *   registry `host:port` inside, with hosts.toml and ca.crt), so pullstorm can rewrite one node's
 *   hosts.toml mid-run (containerd re-reads it on every pull): node-scoped `dns` faults work here.
 *   Not one mount per registry: kind passes mounts as `docker run --volume=<host>:<container>`,
 *   and the `:` of `host:port` in the path would split that specification.
 * - **Disk**: v1alpha4 has no tmpfs or size option for a node; the only way in is `extraMounts`, a
 *   bind mount. So a size-limited root is a tmpfs mounted on the host (disk.ts) and bind-mounted at
 *   `/var/lib/containerd`, which shadows the `/var` volume kind gives every node there.
 */
import { stringify } from 'yaml';
import type { Node } from '../../scenario/resolved.ts';
import { LABEL_NODE } from '../kubeconfig/names.ts';

/** The kind release the pinned node image belongs to: v0.31.0. */
export const KIND_VERSION = 'v0.31.0';
/**
 * The node image, pinned by digest: kind v0.31.0's default image, the one its release notes list
 * for Kubernetes 1.35 (`kind version` of v0.31.0 prints it). It was `v1.35.1@sha256:05d7bc…`
 * before, an image built after v0.31.0 with kind's main branch (kind's default there from
 * February 2026) and in no release's notes; kind supports an image only with the release it was
 * built for. Bump both together (.github/workflows/kind.yml pins KIND_VERSION too); `--node-image`
 * overrides it.
 */
export const KIND_NODE_IMAGE =
  'kindest/node:v1.35.0@sha256:452d707d4862f52530247495d180205e029056831160e22870e37e3f6c1ac31f';
/** Where containerd reads hosts.toml on kind nodes. */
export const CERTS_D = '/etc/containerd/certs.d';
/** containerd's root on kind nodes. */
export const CONTAINERD_ROOT = '/var/lib/containerd';
/** The patch every generated config carries (a TOML merge patch, as kind applies it). */
export const CONTAINERD_CONFIG_PATCH = `[plugins."io.containerd.grpc.v1.cri".registry]\n  config_path = "${CERTS_D}"\n`;

/** v1alpha4 `Mount`. */
export interface KindMount {
  containerPath: string;
  hostPath: string;
  readOnly?: boolean;
  selinuxRelabel?: boolean;
  propagation?: 'None' | 'HostToContainer' | 'Bidirectional';
}

/** v1alpha4 `Node`, the fields pullstorm writes. */
export interface KindNode {
  role: 'control-plane' | 'worker';
  image?: string;
  labels?: Record<string, string>;
  extraMounts?: KindMount[];
}

/** v1alpha4 `Cluster`, the fields pullstorm writes. */
export interface KindCluster {
  kind: 'Cluster';
  apiVersion: 'kind.x-k8s.io/v1alpha4';
  name?: string;
  nodes: KindNode[];
  containerdConfigPatches?: string[];
}

/** A kind node container and the scenario node it plays (none for a workload-free control-plane). */
export interface KindNodePlan {
  role: 'control-plane' | 'worker';
  /** Container and Kubernetes node name, as kind names them: `<cluster>-control-plane`, `<cluster>-worker`, `<cluster>-worker2`, … */
  container: string;
  /** The scenario node, or undefined for the control-plane of a multi-node cluster. */
  node?: Node;
}

/** The node containers for `nodes` in cluster `cluster`; throws RangeError for virtual nodes. */
export function planNodes(cluster: string, nodes: readonly Node[]): KindNodePlan[] {
  const virtual = nodes.filter((n) => n.kind === 'virtual').map((n) => n.name);
  if (virtual.length)
    throw new RangeError(`backend kind runs real nodes only; virtual: ${virtual.join(', ')}`);
  if (nodes.length === 0) throw new RangeError('backend kind: expected at least one node, got none');
  if (nodes.length === 1)
    return [{ role: 'control-plane', container: `${cluster}-control-plane`, node: nodes[0] }];
  return [
    { role: 'control-plane', container: `${cluster}-control-plane` },
    ...nodes.map((node, i) => ({
      role: 'worker' as const,
      container: `${cluster}-worker${i === 0 ? '' : i + 1}`,
      node,
    })),
  ];
}

/** What a node container gets mounted (host paths must not contain `:`; see the module doc). */
export interface NodeMounts {
  /** Host directory mounted read-only at /etc/containerd/certs.d; default none. */
  certsD?: string;
  /** Host directory (a tmpfs) to mount at /var/lib/containerd; default none (kind's /var volume). */
  containerdRoot?: string;
}

/** Throws TypeError for a host path docker's `--volume` syntax cannot carry. */
export function checkHostPath(path: string): string {
  if (path.includes(':') || !path.startsWith('/')) {
    throw new TypeError(`kind mount: expected an absolute host path without ':', got '${path}'`);
  }
  return path;
}

/** The Cluster object. `mounts` is keyed by container name; `image` defaults to KIND_NODE_IMAGE. */
export function kindClusterConfig(
  plan: readonly KindNodePlan[],
  mounts: Record<string, NodeMounts>,
  image: string = KIND_NODE_IMAGE,
): KindCluster {
  return {
    kind: 'Cluster',
    apiVersion: 'kind.x-k8s.io/v1alpha4',
    containerdConfigPatches: [CONTAINERD_CONFIG_PATCH],
    nodes: plan.map((p) => {
      const m = mounts[p.container];
      const extraMounts: KindMount[] = [
        ...(m?.certsD ? [{ hostPath: checkHostPath(m.certsD), containerPath: CERTS_D, readOnly: true }] : []),
        ...(m?.containerdRoot
          ? [{ hostPath: checkHostPath(m.containerdRoot), containerPath: CONTAINERD_ROOT }]
          : []),
      ];
      return {
        role: p.role,
        image,
        ...(p.node ? { labels: { [LABEL_NODE]: p.node.name } } : {}),
        ...(extraMounts.length ? { extraMounts } : {}),
      };
    }),
  };
}

/** The config as YAML, for `kind create cluster --config`. */
export function renderKindConfig(config: KindCluster): string {
  return stringify(config, { lineWidth: 0 });
}
