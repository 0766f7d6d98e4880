/**
 * What only the containerd backend can do with a mirror is refused before anything is provisioned
 * on the others (exit 2): a mirror's `nodes`, which scope its hosts.toml entry to some nodes, used
 * to reach the kind backend's stub start, after the cluster had been created.
 */
import { describe, expect, it } from 'vitest';
import { mirrorProblems } from '../../harness/mirrors/preflight.ts';
import { applyDefaults, type ScenarioInput } from '../../harness/scenario/index.ts';

const scenario = (backend: string) =>
  applyDefaults({
    apiVersion: 'pullstorm.dev/v1alpha1',
    kind: 'Scenario',
    name: 'placement',
    backend: { type: backend, nodes: [{ name: 'via' }, { name: 'direct' }] },
    registries: [{ name: 'registry', mirrors: [{ name: 'cache', type: 'stub', nodes: ['via'] }] }],
    workload: [{ kind: 'pod', name: 'app', image: 'registry/pullstorm/tiny:1.0' }],
  } as ScenarioInput);

describe("a mirror's nodes off the containerd backend", () => {
  it('are refused on kind and kubeconfig, saying what to do; containerd takes them', () => {
    for (const backend of ['kind', 'kubeconfig']) {
      expect(mirrorProblems(scenario(backend))).toEqual([
        {
          path: 'registries[0].mirrors[0].nodes',
          message: `a mirror's nodes are written into those nodes' hosts.toml by the containerd backend only, got backend ${backend}; remove nodes (every node then lists the mirror)`,
        },
      ]);
    }
    expect(mirrorProblems(scenario('containerd'))).toEqual([]);
  });
});
