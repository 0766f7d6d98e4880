/**
 * The cluster's scheduler: the node with the fewest pods wins, ties broken by name, restricted to the
 * pod's `nodeSelector` names. It spreads a scale-up evenly the way kube-scheduler's default
 * NodeResourcesBalancedAllocation / spreading scores do for identical pods, without their noise.
 */

/** Counts and names the scheduler looks at. */
export interface SchedulableNode {
  name: string;
  /** Pods currently assigned to the node. */
  pods: number;
}

/** Picks a node for a pod, or returns a RangeError saying why none fits. */
export function pickNode(
  nodes: readonly SchedulableNode[],
  nodeSelector?: readonly string[],
): string | RangeError {
  const allowed = nodeSelector ? nodes.filter((n) => nodeSelector.includes(n.name)) : [...nodes];
  if (allowed.length === 0) {
    const known = nodes.map((n) => n.name).join(', ');
    return new RangeError(
      `no node matches nodeSelector [${(nodeSelector ?? []).join(', ')}]; the cluster has: ${known}`,
    );
  }
  allowed.sort((a, b) => a.pods - b.pods || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return allowed[0]!.name;
}
