/**
 * Waits until an event matching `predicate` is in `log` (an array an emit callback appends to).
 * A real cluster sends a pod's status and its events on separate paths (kubelet's status manager
 * and its event recorder) and pullstorm reads them on two watches, so the `Failed` event can land
 * after the pod's `ErrImagePull` reason: a test that checks the log right after waiting for the
 * reason is flaky. Polls every 50 ms; rejects after `timeoutMs` with what was seen.
 */
import type { RunEvent } from '../../harness/events/types.ts';

export async function waitForEvent<T extends RunEvent>(
  log: readonly RunEvent[],
  predicate: (e: RunEvent) => e is T,
  timeoutMs: number,
  what?: string,
): Promise<T>;
export async function waitForEvent(
  log: readonly RunEvent[],
  predicate: (e: RunEvent) => boolean,
  timeoutMs: number,
  what?: string,
): Promise<RunEvent>;
export async function waitForEvent(
  log: readonly RunEvent[],
  predicate: (e: RunEvent) => boolean,
  timeoutMs: number,
  what = 'a matching event',
): Promise<RunEvent> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = log.find(predicate);
    if (found) return found;
    if (Date.now() >= deadline)
      throw new Error(`expected ${what} within ${timeoutMs} ms; the log has ${log.length} events`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
