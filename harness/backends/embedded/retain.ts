/**
 * What `--retain` prints: how to reach everything the run kept — each registry's doors, each
 * containerd node's socket (with the crictl and ctr commands that use it), the run directory. The
 * registries live in the pullstorm process, so a retained run stays in the foreground until Ctrl-C.
 */
import { join } from 'node:path';
import type { ProvisionedNode } from './nodes.ts';
import type { Stubs } from './registries.ts';

/** The lines telling a user how to reach a retained run. */
export function retainedInfo(outDir: string, stubs: Stubs, nodes: ProvisionedNode[]): string {
  const lines = ['retained (Ctrl-C tears everything down):', `  run directory  ${outDir}`];
  for (const s of stubs) {
    const doors = nodes.map((n) => `${n.spec.name} ${s.door(n.spec.name).url}`).join(', ');
    lines.push(`  registry ${s.name}  ${doors}`);
    if (s.caPem) lines.push(`    CA  ${join(outDir, 'tls', s.registry, 'ca.crt')}`);
  }
  for (const n of nodes) {
    if (!n.containerd) {
      lines.push(`  node ${n.spec.name}  virtual (in this process)`);
      continue;
    }
    const socket = n.containerd.socket;
    lines.push(
      `  node ${n.spec.name}  ${n.containerd.dir}`,
      `    crictl --runtime-endpoint unix://${socket} images`,
      `    ctr --address ${socket} -n k8s.io containers ls`,
      `    log  ${n.containerd.logFile}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Resolves when `signal` aborts (the user's Ctrl-C while a run is retained). */
export function untilAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}
