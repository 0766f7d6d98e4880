/**
 * When to stop watching. A run ends once its timeline has played out and either every pod runs, or
 * nothing new happened for a settle window (pods that will not recover: a fault that never clears,
 * an unknown tag, a crash loop), or at the scenario's timeout, whichever comes first. All in
 * scenario time, on the run clock.
 *
 * The settle window is 60 s of scenario time (kubelet's backoff has then gone 10, 20 and 40 s: both
 * ErrImagePull and ImagePullBackOff are visible), stretched to the longest bound an expectation
 * waits for, and to kubelet's maximum backoff plus a requeue (330 s) after a fault clears with no
 * `recoveredWithin` saying how long recovery may take.
 */
import type { BackendCluster } from '../backends/provider.ts';
import type { PodStatus } from '../cluster/index.ts';
import type { Clock } from '../kubelet/clock.ts';
import { imageBackOffMaxMs } from '../kubelet/config.ts';
import type { Scenario } from '../scenario/resolved.ts';
import type { Timeline } from './timeline.ts';

/** Base settle window in scenario ms. */
export const SETTLE_MS = 60_000;
/**
 * A scenario that expects pods to be seen failing (ImagePullBackOff) waits for two more pod worker
 * syncs past kubelet's second backoff step (10 s + 20 s, requeued every 10–15 s): a slow failing
 * pull (a 30 s dial timeout) can push the first BackOff past 60 s.
 */
export const FAILING_SETTLE_MS = 120_000;
/** kubelet's longest image backoff plus a pod worker requeue: how long recovery can lag a clear. */
export const RECOVERY_LAG_MS = imageBackOffMaxMs + 30_000;

/**
 * How long every pod must stay running before the run counts as settled, in scenario ms: a
 * container that exits right after its start (exec format error) is Running for an instant, until
 * the next PLEG relist (every 1 s) sees it exit; three relists.
 */
export const STABLE_MS = 3_000;

/** Pods unchanged for this long (scenario ms) count as quiet: a warping observer looks less often. */
export const QUIET_MS = 10_000;
/** How often a warping observer looks while pods are quiet, scenario ms. */
export const QUIET_POLL_MS = 10_000;

/** Why observation ended. */
export type ObserveEnd = 'all pods running' | 'settled' | 'timeout' | 'interrupted';

/** A pod whose container runs (not waiting, not crash-looping). */
export function isRunning(pod: PodStatus): boolean {
  return pod.phase === 'Running' && pod.reason === undefined;
}

/** The settle window of `scenario` in scenario ms. */
export function settleWindowMs(scenario: Scenario): number {
  // A fallbackTime bound is a pull that may sit silent that long (a blackholed mirror's dial timeouts).
  const bounds = scenario.expectations.flatMap((e) =>
    'withinMs' in e && e.withinMs ? [e.withinMs] : e.type === 'fallbackTime' ? [e.underMs] : [],
  );
  const clears = scenario.faults.some((f) => f.clearAtMs !== undefined);
  const recovery = scenario.expectations.some((e) => e.type === 'recoveredWithin');
  const failing = scenario.expectations.some((e) => e.type === 'podsFailing');
  return Math.max(
    SETTLE_MS,
    ...bounds,
    clears && !recovery ? RECOVERY_LAG_MS : 0,
    failing ? FAILING_SETTLE_MS : 0,
  );
}

/** Options of {@link observe}. */
export interface ObserveOptions {
  scenario: Scenario;
  cluster: BackendCluster;
  timeline: Timeline;
  /** Epoch ms (run clock) of scenario time zero. */
  startedAt: number;
  signal: AbortSignal;
  /** The run clock. */
  clock: Clock;
  /**
   * How often to look, in scenario ms; default 100 ms on a real clock. On a warping clock every look
   * is a timer the warp must stop at, so the default is 1 s while pods changed in the last
   * {@link QUIET_MS} and {@link QUIET_POLL_MS} after (a pod stuck in backoff for hours costs a
   * look per 10 s, not per second); the decisions here are in whole seconds either way.
   */
  pollMs?: number;
}

/** Watches until the run should end; rejects when the timeline fails. */
export async function observe(o: ObserveOptions): Promise<ObserveEnd> {
  const { clock } = o;
  const deadline = o.startedAt + o.scenario.timeoutMs;
  const settle = settleWindowMs(o.scenario);
  const stable = STABLE_MS;
  const warping = (clock as { mode?: string }).mode === 'warp';
  let podsSeen = '';
  let podsChangedAt = o.startedAt;
  const pollMs = (now: number) => {
    if (o.pollMs !== undefined) return o.pollMs;
    if (!warping) return 100;
    return now - podsChangedAt < QUIET_MS ? 1_000 : QUIET_POLL_MS;
  };
  let runningSince: number | undefined;
  let played = false;
  let failure: unknown;
  o.timeline.done.then(
    () => {
      played = true;
    },
    (error: unknown) => {
      failure = error ?? new Error('the timeline failed');
    },
  );
  for (;;) {
    if (failure !== undefined) throw failure;
    if (o.signal.aborted) return 'interrupted';
    const now = clock.now();
    if (now >= deadline) return 'timeout';
    if (played) {
      const pods = o.cluster.pods();
      const seen = pods.map((p) => `${p.name}:${p.phase}:${p.reason ?? ''}`).join();
      if (seen !== podsSeen) [podsSeen, podsChangedAt] = [seen, now];
      runningSince = pods.every(isRunning) ? (runningSince ?? now) : undefined;
      if (runningSince !== undefined && now - runningSince >= stable) return 'all pods running';
      if (now - o.timeline.lastChangeAt() >= settle) return 'settled';
    }
    const due = Math.min(
      now + pollMs(now),
      deadline,
      runningSince === undefined ? Infinity : runningSince + stable,
    );
    await clock.sleep(due - now, o.signal);
  }
}
