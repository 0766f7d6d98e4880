import { describe, expect, it } from 'vitest';
import { unplaceable } from '../../../harness/backends/kubeconfig/placement.ts';
import { applyDefaults } from '../../../harness/scenario/index.ts';

const scenario = applyDefaults({
  apiVersion: 'pullstorm.dev/v1alpha1',
  kind: 'Scenario',
  name: 'pinned',
  backend: { type: 'kubeconfig', nodes: [{ name: 'node-a' }, { name: 'worker-7' }] },
  registries: [{ name: 'hub' }],
  workload: [
    { kind: 'pod', name: 'anywhere', image: 'hub/pullstorm/tiny:1.0' },
    { kind: 'pod', name: 'pinned', image: 'hub/pullstorm/tiny:1.0', nodeSelector: ['node-a', 'worker-7'] },
  ],
});

describe('placement on an existing cluster', () => {
  it('names each workload pinned to a node the cluster lacks, and the nodes it has', () => {
    expect(unplaceable(scenario, ['node-a', 'node-b'])).toEqual([
      'workload[1] pinned pins worker-7, which the cluster does not have; expected node names among node-a, node-b',
    ]);
  });

  it('accepts unpinned workloads and pins to existing nodes', () => {
    expect(unplaceable(scenario, ['node-a', 'worker-7'])).toEqual([]);
  });
});
