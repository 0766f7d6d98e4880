/**
 * Node faults on kind nodes, with the embedded backend's semantics (backends/embedded/node-faults.ts):
 * - `disk-full` fills the node's tmpfs containerd root (only nodes with `diskBytes`; anything else
 *   would fill the host's disk) with a ballast file written from the host; clearing deletes it;
 * - `dns` rewrites the node's hosts.toml so each scoped registry's URLs name
 *   `<node>.pullstorm.invalid` (never resolvable); containerd re-reads it on the next pull.
 * Per-node connection faults (refused, black hole…) are not possible: every node reaches the stub
 * through the same Docker network, which is what `perNodeNetwork: false` says.
 */

import { unresolvableHost } from '../../../registry-stubs/faults/net/dns.ts';
import type { RunEvent } from '../../events/types.ts';
import type { Fault } from '../../scenario/resolved.ts';
import type { KindNodePlan } from './config.ts';
import { fillRoot } from './disk.ts';
import { type NodeRegistryHost, writeNodeCertsD } from './hosts.ts';

/** A provisioned kind node as faults see it. */
export interface KindNodeState {
  plan: KindNodePlan;
  /** Host directory mounted at /etc/containerd/certs.d. */
  certsD: string;
  /** Host tmpfs mounted at /var/lib/containerd, when the scenario limits the node's disk. */
  root?: string;
}

/** The scenario nodes a fault acts on (all when unscoped); disk-full only where there is a tmpfs. */
export function kindFaultTargets(
  fault: Pick<Fault, 'fault' | 'scope'>,
  nodes: readonly KindNodeState[],
): KindNodeState[] {
  const scoped = nodes.filter(
    (n) => n.plan.node && (!fault.scope.nodes || fault.scope.nodes.includes(n.plan.node.name)),
  );
  return fault.fault === 'disk-full' ? scoped.filter((n) => n.root) : scoped;
}

/** `registries` with every scoped registry's URLs pointing at `<node>.pullstorm.invalid` (same scheme and port). */
export function brokenHosts(
  registries: readonly NodeRegistryHost[],
  node: string,
  registry?: string,
): NodeRegistryHost[] {
  const bad = (url: string) => {
    const u = new URL(url);
    u.hostname = unresolvableHost(node);
    return u.origin;
  };
  return registries.map((r) =>
    registry && r.registry !== registry
      ? r
      : {
          ...r,
          server: bad(r.server),
          ...(r.mirrors ? { mirrors: r.mirrors.map((m) => ({ ...m, url: bad(m.url) })) } : {}),
        },
  );
}

/** Applies `fault` (disk-full or dns) and emits fault.applied; resolves with the clear (which emits fault.cleared). */
export async function applyKindNodeFault(
  fault: Fault,
  nodes: readonly KindNodeState[],
  registries: readonly NodeRegistryHost[],
  emit: (event: RunEvent) => void,
): Promise<() => Promise<void>> {
  if (fault.fault !== 'disk-full' && fault.fault !== 'dns') {
    throw new RangeError(`backend kind: '${fault.fault}' is not a node fault (expected disk-full or dns)`);
  }
  const targets = kindFaultTargets(fault, nodes);
  const change = (kind: 'fault.applied' | 'fault.cleared') =>
    emit({
      kind,
      time: new Date().toISOString(),
      id: fault.id,
      fault: fault.fault,
      options: fault.options,
      scope: { ...fault.scope, nodes: targets.map((n) => n.plan.node!.name) },
    });
  const o = fault.options;
  const clears = await Promise.all(
    targets.map(async (n) => {
      if (fault.fault === 'disk-full') {
        return fillRoot(n.root!, {
          ...(typeof o.fillPercent === 'number' ? { fillPercent: o.fillPercent } : {}),
          ...(typeof o.freeBytes === 'number' ? { freeBytes: o.freeBytes } : {}),
        });
      }
      await writeNodeCertsD(n.certsD, brokenHosts(registries, n.plan.node!.name, fault.scope.registry));
      return () => writeNodeCertsD(n.certsD, registries);
    }),
  );
  change('fault.applied');
  return async () => {
    await Promise.all(clears.map((clear) => clear()));
    change('fault.cleared');
  };
}
