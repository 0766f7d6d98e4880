/**
 * Every node Ready before the run starts. `kind create cluster --wait` waits for the control-plane
 * nodes only (kind's `waitforready` action selects them) and on timeout prints a warning and still
 * exits 0; workers that are still NotReady leave pods Pending, and every time-bound expectation of
 * the scenario then fails for a reason that has nothing to do with the registry. So pullstorm waits
 * for all the nodes it asked for, through the API, and fails provisioning with each node's Ready
 * condition when they do not come up in time.
 */
import type { V1Node } from '@kubernetes/client-node';
import type { KubeApi } from '../kubeconfig/api.ts';

/** Options of `waitNodesReady`. */
export interface WaitNodesOptions {
  /** How long to wait; default 120 000 ms. */
  timeoutMs?: number;
  /** Between polls; default 1 000 ms. */
  intervalMs?: number;
  signal?: AbortSignal;
  /** Sleeps; default setTimeout (tests pass a fake). */
  sleep?: (ms: number) => Promise<void>;
  /** The clock; default Date.now. */
  now?: () => number;
}

/** The node's Ready condition in words: `Ready`, or `NotReady (reason: message)`. */
export function readiness(node: V1Node): { ready: boolean; text: string } {
  const c = node.status?.conditions?.find((x) => x.type === 'Ready');
  if (c?.status === 'True') return { ready: true, text: 'Ready' };
  const why = [c?.reason, c?.message].filter(Boolean).join(': ');
  return { ready: false, text: `NotReady${why ? ` (${why})` : c ? '' : ' (no Ready condition yet)'}` };
}

/** Resolves once `expected` nodes exist and all are Ready; rejects after the timeout saying which are not. */
export async function waitNodesReady(
  api: Pick<KubeApi, 'listNodes'>,
  expected: number,
  options: WaitNodesOptions = {},
): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const deadline = now() + timeoutMs;
  let last = 'no answer from the API server yet';
  for (;;) {
    options.signal?.throwIfAborted();
    try {
      const nodes = await api.listNodes();
      const states = nodes.map((n) => ({ name: n.metadata?.name ?? '?', ...readiness(n) }));
      if (nodes.length >= expected && states.every((s) => s.ready)) return;
      last = `${states.filter((s) => s.ready).length} of ${expected} nodes Ready${states
        .filter((s) => !s.ready)
        .map((s) => `; ${s.name} ${s.text}`)
        .join('')}${nodes.length < expected ? `; ${expected - nodes.length} not registered yet` : ''}`;
    } catch (error) {
      last = `listing nodes failed: ${(error as Error).message.split('\n')[0]}`;
    }
    if (now() >= deadline)
      throw new Error(
        `kind: the cluster's nodes were not all Ready after ${timeoutMs / 1000} s (kind create cluster --wait covers the control-plane only): ${last}`,
      );
    await sleep(options.intervalMs ?? 1_000);
  }
}
