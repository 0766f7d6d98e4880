import { describe, expect, it } from 'vitest';
import { jitter, resyncRequeueMs, syncErrorRequeueMs } from '../../harness/kubelet/worker.ts';

describe('pod worker cadence', () => {
  it('requeues a failed sync after 10–15 s (wait.Jitter(10s, 0.5))', () => {
    expect(syncErrorRequeueMs(() => 0)).toBe(10_000);
    expect(syncErrorRequeueMs(() => 0.999_999)).toBeCloseTo(15_000, 0);
    expect(syncErrorRequeueMs(() => 0.5)).toBe(12_500);
    expect(resyncRequeueMs(() => 1)).toBe(90_000);
    expect(jitter(1_000, 0, () => 1)).toBe(2_000); // maxFactor <= 0 means 1.0
  });
});
