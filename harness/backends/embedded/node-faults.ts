/**
 * The faults the runner applies at the node rather than the registry. `disk-full` fills the node's
 * size-limited containerd root (a tmpfs, never the host's disk) with a ballast file up to the asked
 * level; clearing deletes it. `dns` points the node's hosts.toml at `<node>.pullstorm.invalid`, a
 * name that never resolves (containerd re-reads hosts.toml on each pull); clearing restores it.
 * Each writes its own `fault.applied` / `fault.cleared`, as the registry's engine does for its faults.
 */
import { unresolvableHost } from '../../../registry-stubs/faults/net/dns.ts';
import type { RunEvent } from '../../events/types.ts';
import type { Fault } from '../../scenario/resolved.ts';
import type { NodeRegistry } from '../containerd/node.ts';
import { fillRoot } from '../disk-ballast.ts';
import { registryHost } from '../names.ts';
import type { ProvisionedNode } from './nodes.ts';
import type { Stubs } from './registries.ts';

/** What a node fault needs from the run. */
export interface NodeFaultContext {
  nodes: ProvisionedNode[];
  stubs: Stubs;
  emit: (event: RunEvent) => void;
  /** The run clock's now, for the events' times; default `Date.now`. */
  now?: () => number;
}

export { BALLAST } from '../disk-ballast.ts';

/** Nodes a node fault may touch: those in its scope (all when unscoped) that can take it. */
export function nodeFaultTargets(fault: Pick<Fault, 'fault' | 'scope'>, nodes: ProvisionedNode[]) {
  const scoped = nodes.filter((n) => !fault.scope.nodes || fault.scope.nodes.includes(n.spec.name));
  // Only a tmpfs root may be filled: anything else would fill the host's disk.
  return fault.fault === 'disk-full' ? scoped.filter((n) => n.containerd && n.spec.diskBytes) : scoped;
}

/** Applies `fault` at its nodes; resolves with the function that clears it. */
export async function applyNodeFault(fault: Fault, ctx: NodeFaultContext): Promise<() => Promise<void>> {
  const targets = nodeFaultTargets(fault, ctx.nodes);
  const change = (kind: 'fault.applied' | 'fault.cleared') =>
    ctx.emit({
      kind,
      time: new Date((ctx.now ?? Date.now)()).toISOString(),
      id: fault.id,
      fault: fault.fault,
      options: fault.options,
      scope: { ...fault.scope, nodes: targets.map((n) => n.spec.name) },
    });
  const clears =
    fault.fault === 'disk-full'
      ? await Promise.all(targets.map((n) => fillDisk(n, fault.options)))
      : await Promise.all(targets.map((n) => breakDns(n, fault, ctx.stubs)));
  change('fault.applied');
  return async () => {
    await Promise.all(clears.map((clear) => clear()));
    change('fault.cleared');
  };
}

/** Fills the node's tmpfs root to the level the fault's options ask (catalogue: fillPercent or freeBytes). */
function fillDisk(node: ProvisionedNode, options: Record<string, unknown>): Promise<() => Promise<void>> {
  const num = (v: unknown) => (typeof v === 'number' ? v : undefined);
  return fillRoot(node.containerd!.root, {
    fillPercent: num(options.fillPercent),
    freeBytes: num(options.freeBytes),
  });
}

/** Points each scoped registry's door URL on `node` at an unresolvable name with the same port. */
async function breakDns(node: ProvisionedNode, fault: Fault, stubs: Stubs): Promise<() => Promise<void>> {
  const scoped = stubs.filter((s) => !fault.scope.registry || s.name === fault.scope.registry);
  const bad = (url: string) => {
    const u = new URL(url);
    u.hostname = unresolvableHost(node.spec.name);
    return u.origin;
  };
  const originals = [...node.registries.values()];
  const broken = originals.map((r): NodeRegistry => {
    const stubsHere = scoped.filter((s) => registryHost(s.registry) === r.host);
    const urls = new Set(stubsHere.map((s) => s.door(node.spec.name).url));
    return {
      ...r,
      ...(r.server && urls.has(r.server) ? { server: bad(r.server) } : {}),
      hosts: (r.hosts ?? []).map((h) => (urls.has(h.url) ? { ...h, url: bad(h.url) } : h)),
    };
  });
  await writeHosts(node, broken);
  return () => writeHosts(node, originals);
}

async function writeHosts(node: ProvisionedNode, registries: NodeRegistry[]): Promise<void> {
  if (node.containerd) {
    await Promise.all(registries.map((r) => node.containerd!.writeRegistry(r)));
    return;
  }
  // A virtual node reads its hosts record on every pull: replace the entries in place.
  for (const r of registries) {
    const current = node.virtualHosts![r.host]!;
    node.virtualHosts![r.host] = {
      ...current,
      server: r.server!,
      hosts: (r.hosts ?? []).map((h, i) => ({ ...current.hosts![i]!, url: h.url })),
    };
  }
}
