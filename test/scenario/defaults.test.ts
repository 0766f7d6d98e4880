import { describe, expect, it } from 'vitest';
import {
  applyDefaults,
  resolveScenario,
  type Scenario,
  type ScenarioInput,
} from '../../harness/scenario/index.ts';
import { testContext } from './context.ts';

const base = {
  apiVersion: 'pullstorm.dev/v1alpha1',
  kind: 'Scenario',
  name: 'defaults',
  workload: [{ kind: 'pod', name: 'app', image: 'registry/pullstorm/tiny:1.0' }],
} as const;

const resolve = (extra: Record<string, unknown>): Scenario =>
  resolveScenario({ ...base, ...extra }, testContext);

describe('applyDefaults', () => {
  it('fills every default of a minimal scenario', () => {
    expect(resolve({})).toEqual({
      apiVersion: 'pullstorm.dev/v1alpha1',
      kind: 'Scenario',
      name: 'defaults',
      description: '',
      backend: {
        type: 'containerd',
        kubernetesVersion: '1.32',
        clock: 'warp',
        kubelet: {
          serializeImagePulls: true,
          registryPullQPS: 5,
          registryBurst: 10,
          imageGCHighThresholdPercent: 85,
          imageGCLowThresholdPercent: 80,
          imageMinimumGCAgeMs: 120_000,
        },
        nodes: [{ name: 'node', group: 'node', kind: 'real', platform: 'linux/amd64' }],
      },
      registries: [
        {
          name: 'registry',
          tls: false,
          fixtures: {
            include: ['tiny', 'arm64-only', 'multiarch', 'no-amd64', 'large'],
            largeSizeBytes: 16 * 2 ** 20,
            largeLayers: 4,
          },
          mirrors: [],
        },
      ],
      workload: [
        {
          kind: 'pod',
          name: 'app',
          image: 'registry/pullstorm/tiny:1.0',
          ref: { registry: 'registry', repository: 'pullstorm/tiny', tag: '1.0' },
          imagePullPolicy: 'IfNotPresent',
          replicas: 1,
          atMs: 0,
          nodes: [],
        },
      ],
      faults: [],
      expectations: [],
      timeoutMs: 300_000,
    } satisfies Scenario);
  });

  // Each row: the input fields, a selector into the result, and the defaulted value.
  const table: [string, Record<string, unknown>, (s: Scenario) => unknown, unknown][] = [
    [
      'serializeImagePulls is false when maxParallelImagePulls ≥ 2 (kubelet)',
      { backend: { kubelet: { maxParallelImagePulls: 3 } } },
      (s) => [s.backend.kubelet.serializeImagePulls, s.backend.kubelet.maxParallelImagePulls],
      [false, 3],
    ],
    [
      'serializeImagePulls stays true when maxParallelImagePulls is 1',
      { backend: { kubelet: { maxParallelImagePulls: 1 } } },
      (s) => s.backend.kubelet.serializeImagePulls,
      true,
    ],
    [
      'a node group of count N becomes name-0 … name-(N-1)',
      { backend: { nodes: [{ name: 'w', count: 3 }, { name: 'solo' }] } },
      (s) => s.backend.nodes.map((n) => `${n.group}/${n.name}`),
      ['w/w-0', 'w/w-1', 'w/w-2', 'solo/solo'],
    ],
    [
      'diskBytes quantities become bytes',
      { backend: { nodes: [{ name: 'n', diskBytes: '1Gi' }] } },
      (s) => s.backend.nodes[0]?.diskBytes,
      2 ** 30,
    ],
    [
      'a fault without id gets <fault>-<index>',
      { faults: [{ fault: 'latency', options: { delay: '1s' } }, { fault: 'registry-down' }] },
      (s) => s.faults.map((f) => f.id),
      ['latency-0', 'registry-down-1'],
    ],
    [
      'for becomes clearAtMs = at + for',
      { faults: [{ fault: 'registry-down', at: '30s', for: '1m' }] },
      (s) => [s.faults[0]?.atMs, s.faults[0]?.clearAtMs],
      [30_000, 90_000],
    ],
    [
      'a fault scope defaults to any route, probability 1, node groups expanded',
      {
        backend: { nodes: [{ name: 'w', count: 2 }] },
        faults: [{ fault: 'registry-down', scope: { nodes: ['w'] } }],
      },
      (s) => s.faults[0]?.scope,
      { route: 'any', probability: 1, nodes: ['w-0', 'w-1'] },
    ],
    [
      'an alias is replaced by its reference',
      {
        images: [{ name: 'app', ref: 'registry/team/app:2.0' }],
        workload: [{ kind: 'pod', name: 'a', image: 'app' }],
      },
      (s) => [s.workload[0]?.image, s.workload[0]?.ref],
      ['registry/team/app:2.0', { registry: 'registry', repository: 'team/app', tag: '2.0' }],
    ],
    [
      'nodeSelector groups expand to node names',
      {
        backend: { nodes: [{ name: 'w', count: 2 }, { name: 'x' }] },
        workload: [{ kind: 'pod', name: 'a', image: 'registry/p/a:1', nodeSelector: ['w', 'x'] }],
      },
      (s) => s.workload[0]?.nodes,
      ['w-0', 'w-1', 'x'],
    ],
    [
      'ramp.over becomes ms',
      { workload: [{ kind: 'deployment', name: 'd', image: 'registry/p/a:1', ramp: { to: 9, over: '1m' } }] },
      (s) => s.workload[0]?.ramp,
      { to: 9, overMs: 60_000 },
    ],
    [
      'an explicit registry still gets every fixture, no mirrors, no TLS',
      {
        registries: [{ name: 'hub', mirrors: [{ name: 'cache' }] }],
        workload: base.workload.map((w) => ({ ...w, image: 'hub/p/a:1' })),
      },
      (s) => [s.registries[0]?.tls, s.registries[0]?.fixtures.include.length, s.registries[0]?.mirrors],
      [false, 5, [{ name: 'cache', type: 'distribution' }]],
    ],
    [
      'auth users may pull every repository; anonymous may do nothing',
      {
        registries: [
          { name: 'registry', auth: { mode: 'basic', users: [{ username: 'u', password: 'p' }] } },
        ],
      },
      (s) => s.registries[0]?.auth,
      {
        mode: 'basic',
        users: [{ username: 'u', password: 'p', repositories: ['*'], actions: ['pull'] }],
        anonymous: [],
      },
    ],
    [
      'pullLatency defaults to p95; allPodsRunning to the end of the run',
      { expectations: [{ type: 'pullLatency', under: '5s' }, { type: 'allPodsRunning' }] },
      (s) => s.expectations,
      [{ type: 'pullLatency', percentile: 95, underMs: 5_000 }, { type: 'allPodsRunning' }],
    ],
    [
      'null is the same as leaving a field out (as in Kubernetes)',
      {
        description: null,
        backend: { kubelet: null, nodes: null },
        faults: null,
        expectations: null,
        timeout: null,
      },
      (s) => [s.description, s.backend.nodes.length, s.faults, s.expectations, s.timeoutMs],
      ['', 1, [], [], 300_000],
    ],
  ];

  it.each(table)('%s', (_, extra, select, expected) => {
    expect(select(resolve(extra))).toEqual(expected);
  });

  // kubelet's SetDefaults_Container: Always exactly for :latest or no tag (a digest alone → IfNotPresent).
  it.each([
    ['registry/p/app', 'Always'],
    ['registry/p/app:latest', 'Always'],
    ['registry/p/app:1.0', 'IfNotPresent'],
    [`registry/p/app@sha256:${'a'.repeat(64)}`, 'IfNotPresent'],
    [`registry/p/app:latest@sha256:${'a'.repeat(64)}`, 'Always'],
  ])('imagePullPolicy of %s defaults to %s', (image, policy) => {
    expect(resolve({ workload: [{ kind: 'pod', name: 'a', image }] }).workload[0]?.imagePullPolicy).toBe(
      policy,
    );
  });

  it('is pure: a frozen input is neither changed nor shared with the result', () => {
    const input = deepFreeze(
      structuredClone({
        ...base,
        faults: [{ fault: 'tag-overwrite', options: { repository: 'p/a' } }],
        registries: [
          { name: 'registry', auth: { mode: 'token', users: [{ username: 'u', password: 'p' }] } },
        ],
      }),
    ) as ScenarioInput;
    const before = JSON.stringify(input);
    const first = applyDefaults(input);
    first.faults[0]!.options.repository = 'changed';
    first.registries[0]!.fixtures.include.pop();
    expect(JSON.stringify(input)).toBe(before);
    expect(applyDefaults(input)).not.toEqual(first);
  });
});

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
