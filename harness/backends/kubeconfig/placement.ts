/**
 * Pinning on an existing cluster: a workload's `nodeSelector` (scenario node names) becomes a node
 * affinity on `kubernetes.io/hostname`, so each name must be one of the cluster's nodes — otherwise
 * its pods stay Pending for the whole run and the verdict would blame the registry for a typo. So on
 * this backend, name the scenario's nodes after the cluster's to pin; unpinned workloads go anywhere.
 */
import type { Scenario } from '../../scenario/resolved.ts';

/** One line per workload that pins a node the cluster lacks (empty: every pod can be placed). */
export function unplaceable(scenario: Scenario, clusterNodes: readonly string[]): string[] {
  const known = new Set(clusterNodes);
  const lines: string[] = [];
  for (const [i, w] of scenario.workload.entries()) {
    const missing = w.nodes.filter((n) => !known.has(n));
    if (missing.length === 0) continue;
    lines.push(
      `workload[${i}] ${w.name} pins ${missing.join(', ')}, which the cluster does not have; expected node names among ${clusterNodes.join(', ') || '(none)'}`,
    );
  }
  return lines;
}
