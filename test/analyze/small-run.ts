/** A three-node scenario and placements for the small hand-built logs of the unit tests. */
import { API_VERSION, type ExpectationInput, type FaultInput, KIND } from '../../harness/scenario/index.ts';
import { type Placement, scenario, tooManyRequests } from './builders.ts';
import { tiny } from './fixtures/runs.ts';

/** Pod `pod-<n>` (or `pod`) on `node-<n>`, pulling `tiny` from `10.0.0.<n>`. */
export const at = (n: number, pod = `pod-${n}`): Placement => ({
  pod,
  node: `node-${n}`,
  image: tiny,
  client: `10.0.0.${n}`,
});
/** containerd's 429 text for `tiny`. */
export const quota = tooManyRequests(tiny, '127.0.0.1:5000');

/** A resolved scenario: `web` ×3 on three nodes. */
export function run(
  options: { faults?: FaultInput[]; expectations?: ExpectationInput[]; nodes?: number } = {},
) {
  return scenario({
    apiVersion: API_VERSION,
    kind: KIND,
    name: 'basics',
    backend: { nodes: [{ name: 'node', count: options.nodes ?? 3 }] },
    workload: [{ kind: 'deployment', name: 'web', image: 'registry/pullstorm/tiny:1.0', replicas: 3 }],
    ...(options.faults ? { faults: options.faults } : {}),
    ...(options.expectations ? { expectations: options.expectations } : {}),
  });
}
