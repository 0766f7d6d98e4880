/** `waitFor` of a cluster (the embedded one, and one watched through the Kubernetes API). */
import type { PodStatus } from './types.ts';

/**
 * Resolves with the pods once `predicate` holds, re-checked whenever a listener in `listeners` is
 * called; rejects with an Error named `TimeoutError` listing every pod's state after `timeoutMs`.
 */
export function waitForPods(
  pods: () => PodStatus[],
  listeners: Set<() => void>,
  predicate: (pods: PodStatus[]) => boolean,
  timeoutMs: number,
): Promise<PodStatus[]> {
  return new Promise((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      listeners.delete(check);
    };
    const check = () => {
      const now = pods();
      if (!predicate(now)) return;
      done();
      resolve(now);
    };
    const timer = setTimeout(() => {
      done();
      const states = pods().map(
        (p) => `${p.name}@${p.node || '?'}: ${p.phase}${p.reason ? `/${p.reason}` : ''}`,
      );
      const error = new Error(
        `waitFor timed out after ${timeoutMs} ms; pods: ${states.join(', ') || 'none'}`,
      );
      error.name = 'TimeoutError';
      reject(error);
    }, timeoutMs);
    listeners.add(check);
    check();
  });
}
