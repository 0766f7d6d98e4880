/**
 * The generated kind config against kind's documented v1alpha4 schema. The field lists below are
 * copied from kind's `pkg/apis/config/v1alpha4/types.go` (yaml tags), so a key kind does not know —
 * which kind rejects at `kind create cluster` — fails here first.
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  CONTAINERD_CONFIG_PATCH,
  checkHostPath,
  KIND_NODE_IMAGE,
  type KindCluster,
  kindClusterConfig,
  planNodes,
  renderKindConfig,
} from '../../../harness/backends/kind/config.ts';
import type { Node } from '../../../harness/scenario/resolved.ts';

/** kind v1alpha4 `Cluster` (types.go): TypeMeta inline + these. */
const CLUSTER_FIELDS = [
  'kind',
  'apiVersion',
  'name',
  'nodes',
  'networking',
  'featureGates',
  'runtimeConfig',
  'kubeadmConfigPatches',
  'kubeadmConfigPatchesJSON6902',
  'containerdConfigPatches',
  'containerdConfigPatchesJSON6902',
];
/** kind v1alpha4 `Node`. */
const NODE_FIELDS = [
  'role',
  'image',
  'labels',
  'extraMounts',
  'extraPortMappings',
  'gpus',
  'kubeadmConfigPatches',
  'kubeadmConfigPatchesJSON6902',
];
/** kind v1alpha4 `Mount` (a CRI Mount with yaml names). */
const MOUNT_FIELDS = ['containerPath', 'hostPath', 'readOnly', 'selinuxRelabel', 'propagation'];
const ROLES = ['control-plane', 'worker'];
const PROPAGATION = ['None', 'HostToContainer', 'Bidirectional'];

/** Every problem of `config` against the schema above. */
function schemaProblems(config: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const only = (o: Record<string, unknown>, fields: string[], path: string) => {
    for (const k of Object.keys(o)) if (!fields.includes(k)) problems.push(`${path}.${k}: unknown field`);
  };
  only(config, CLUSTER_FIELDS, 'cluster');
  if (config.kind !== 'Cluster') problems.push('kind must be Cluster');
  if (config.apiVersion !== 'kind.x-k8s.io/v1alpha4')
    problems.push('apiVersion must be kind.x-k8s.io/v1alpha4');
  for (const p of (config.containerdConfigPatches as unknown[] | undefined) ?? []) {
    if (typeof p !== 'string') problems.push('containerdConfigPatches: strings only');
  }
  for (const [i, node] of ((config.nodes as Record<string, unknown>[]) ?? []).entries()) {
    only(node, NODE_FIELDS, `nodes[${i}]`);
    if (!ROLES.includes(node.role as string)) problems.push(`nodes[${i}].role: ${node.role}`);
    for (const [k, v] of Object.entries((node.labels as Record<string, unknown>) ?? {})) {
      if (typeof v !== 'string') problems.push(`nodes[${i}].labels.${k}: map[string]string`);
    }
    for (const [j, m] of ((node.extraMounts as Record<string, unknown>[]) ?? []).entries()) {
      only(m, MOUNT_FIELDS, `nodes[${i}].extraMounts[${j}]`);
      if (typeof m.hostPath !== 'string' || typeof m.containerPath !== 'string')
        problems.push(`nodes[${i}].extraMounts[${j}]: paths`);
      if (m.propagation !== undefined && !PROPAGATION.includes(m.propagation as string))
        problems.push('propagation');
      if (m.readOnly !== undefined && typeof m.readOnly !== 'boolean') problems.push('readOnly: bool');
    }
  }
  return problems;
}

const node = (name: string, over: Partial<Node> = {}): Node => ({
  name,
  group: name,
  kind: 'real',
  platform: 'linux/amd64',
  ...over,
});

describe('kind config', () => {
  it('the schema check catches what kind would reject', () => {
    expect(
      schemaProblems({
        kind: 'Cluster',
        apiVersion: 'kind.x-k8s.io/v1alpha4',
        nodes: [{ role: 'master', extraMount: [] }],
      }),
    ).toEqual(['nodes[0].extraMount: unknown field', 'nodes[0].role: master']);
  });

  it('one scenario node: a single control-plane carrying the scenario node label', () => {
    const plan = planNodes('pullstorm-r1', [node('node')]);
    expect(plan).toEqual([
      { role: 'control-plane', container: 'pullstorm-r1-control-plane', node: node('node') },
    ]);
    const config = kindClusterConfig(plan, {
      'pullstorm-r1-control-plane': { certsD: '/runs/r1/kind/cp/certs.d' },
    });
    expect(schemaProblems(config as unknown as Record<string, unknown>)).toEqual([]);
    expect(config.nodes[0]).toEqual({
      role: 'control-plane',
      image: KIND_NODE_IMAGE,
      labels: { 'pullstorm.node': 'node' },
      extraMounts: [
        { hostPath: '/runs/r1/kind/cp/certs.d', containerPath: '/etc/containerd/certs.d', readOnly: true },
      ],
    });
  });

  it('several: an unlabelled control-plane plus one worker each, named as kind names them', () => {
    const plan = planNodes('pullstorm-r1', [node('a'), node('b', { diskBytes: 1 << 30 }), node('c')]);
    expect(plan.map((p) => `${p.role}:${p.container}:${p.node?.name ?? '-'}`)).toEqual([
      'control-plane:pullstorm-r1-control-plane:-',
      'worker:pullstorm-r1-worker:a',
      'worker:pullstorm-r1-worker2:b',
      'worker:pullstorm-r1-worker3:c',
    ]);
    const config = kindClusterConfig(
      plan,
      {
        'pullstorm-r1-worker2': { certsD: '/r/b/certs.d', containerdRoot: '/r/b/containerd' },
      },
      'kindest/node:v1.33.1',
    );
    expect(schemaProblems(config as unknown as Record<string, unknown>)).toEqual([]);
    expect(config.nodes[0]).toEqual({ role: 'control-plane', image: 'kindest/node:v1.33.1' });
    expect(config.nodes[2]!.extraMounts).toEqual([
      { hostPath: '/r/b/certs.d', containerPath: '/etc/containerd/certs.d', readOnly: true },
      { hostPath: '/r/b/containerd', containerPath: '/var/lib/containerd' },
    ]);
  });

  it('containerd reads hosts.toml from /etc/containerd/certs.d (the patch is valid TOML for the CRI plugin)', () => {
    const config = kindClusterConfig(planNodes('c', [node('n')]), {});
    expect(config.containerdConfigPatches).toEqual([CONTAINERD_CONFIG_PATCH]);
    expect(CONTAINERD_CONFIG_PATCH).toBe(
      '[plugins."io.containerd.grpc.v1.cri".registry]\n  config_path = "/etc/containerd/certs.d"\n',
    );
  });

  it('renders YAML that reads back to the same object', () => {
    const config = kindClusterConfig(planNodes('c', [node('n'), node('m')]), {
      'c-worker': { certsD: '/x/certs.d' },
    });
    const yaml = renderKindConfig(config);
    expect(yaml).toMatch(/^kind: Cluster\napiVersion: kind\.x-k8s\.io\/v1alpha4\n/);
    expect(parse(yaml) as KindCluster).toEqual(config);
    expect(yaml).toContain('config_path = "/etc/containerd/certs.d"');
  });

  it('pins the node image by digest', () => {
    expect(KIND_NODE_IMAGE).toMatch(/^kindest\/node:v1\.\d+\.\d+@sha256:[0-9a-f]{64}$/);
  });

  it('refuses virtual nodes, no nodes, and host paths docker --volume cannot carry', () => {
    expect(() => planNodes('c', [node('v', { kind: 'virtual' })])).toThrow(/real nodes only; virtual: v/);
    expect(() => planNodes('c', [])).toThrow(RangeError);
    expect(() => checkHostPath('/runs/hub.pullstorm.test:5000')).toThrow(TypeError);
    expect(() => checkHostPath('relative/dir')).toThrow(TypeError);
    expect(() =>
      kindClusterConfig(planNodes('c', [node('n')]), { 'c-control-plane': { certsD: '/a:b' } }),
    ).toThrow(/without ':'/);
  });
});
