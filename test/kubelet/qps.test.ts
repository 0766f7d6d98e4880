import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../harness/kubelet/clock.ts';
import { pullLimiter, pullQpsExceeded, TokenBucket } from '../../harness/kubelet/qps.ts';

describe('pull QPS limiter (registryPullQPS 5, registryBurst 10)', () => {
  it('allows a burst of 10, then refuses until tokens refill at 5 per second', async () => {
    const clock = new ManualClock();
    const bucket = pullLimiter({ qps: 5, burst: 10, clock })!;
    const first = Array.from({ length: 11 }, () => bucket.tryAccept());
    expect(first.filter(Boolean)).toHaveLength(10);
    expect(first[10]).toBe(false);
    await clock.advance(199);
    expect(bucket.tryAccept()).toBe(false);
    await clock.advance(1);
    expect(bucket.tryAccept()).toBe(true); // 200 ms = one token at 5/s
    expect(bucket.tryAccept()).toBe(false);
    await clock.advance(60_000);
    expect(bucket.tokens()).toBe(10); // never more than the burst
  });

  it('has no limiter at QPS 0 and refills at qps on the clock it is given', async () => {
    const clock = new ManualClock();
    expect(pullLimiter({ qps: 0, burst: 10, clock })).toBeUndefined();
    const bucket = new TokenBucket({ qps: 5, burst: 1, clock });
    expect(bucket.tryAccept()).toBe(true);
    await clock.advance(199);
    expect(bucket.tryAccept()).toBe(false);
    await clock.advance(1);
    expect(bucket.tryAccept()).toBe(true);
    expect(pullQpsExceeded).toBe('pull QPS exceeded');
  });

  it('accepts nothing with a burst of 0', () => {
    const bucket = new TokenBucket({ qps: 5, burst: 0, clock: new ManualClock() });
    expect(bucket.tryAccept()).toBe(false);
  });
});
