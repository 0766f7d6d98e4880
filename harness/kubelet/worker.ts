/**
 * The pod worker cadence that decides how often a pod in image-pull backoff is looked at again
 * (pkg/kubelet/pod_workers.go `completeWork`): after a sync error the pod is requeued after
 * `wait.Jitter(backOffPeriod, 0.5)`, i.e. uniformly 10–15 s; after a clean sync after
 * `wait.Jitter(syncFrequency, 0.5)`, 60–90 s. So a 10 s image backoff is in practice seen 10–15 s later.
 */

/** kubelet's backOffPeriod for pod syncs that failed: 10 s (pkg/kubelet/kubelet.go). */
export const podSyncErrorBackOffMs = 10_000;
/** workerBackOffPeriodJitterFactor: 0.5. */
export const podSyncErrorJitterFactor = 0.5;
/** Default syncFrequency: 1 min. */
export const podResyncIntervalMs = 60_000;
/** workerResyncIntervalJitterFactor: 0.5. */
export const podResyncJitterFactor = 0.5;

/** `wait.Jitter(d, maxFactor)`: d + random·maxFactor·d (maxFactor ≤ 0 counts as 1). */
export function jitter(durationMs: number, maxFactor: number, random: () => number = Math.random): number {
  const factor = maxFactor <= 0 ? 1 : maxFactor;
  return durationMs + random() * factor * durationMs;
}

/** Delay before the next sync of a pod whose sync failed (e.g. ErrImagePull, ImagePullBackOff). */
export function syncErrorRequeueMs(random: () => number = Math.random): number {
  return jitter(podSyncErrorBackOffMs, podSyncErrorJitterFactor, random);
}

/** Delay before the next periodic sync of a healthy pod. */
export function resyncRequeueMs(random: () => number = Math.random): number {
  return jitter(podResyncIntervalMs, podResyncJitterFactor, random);
}
