import { describe, expect, it } from 'vitest';
import { Backoff, imageBackoffKey } from '../../harness/kubelet/backoff.ts';
import { ManualClock } from '../../harness/kubelet/clock.ts';

describe('Backoff (client-go flowcontrol, kubelet image settings)', () => {
  it('doubles from 10 s to a 300 s cap: 10, 20, 40, 80, 160, 300, 300', async () => {
    const clock = new ManualClock();
    const b = new Backoff({ clock });
    const key = imageBackoffKey('uid-1', 'busybox:1.36');
    expect(key).toBe('uid-1_busybox:1.36');
    const delays: number[] = [];
    for (let i = 0; i < 7; i++) {
      b.next(key);
      delays.push(b.get(key) / 1000);
      // The next failure happens right when the window ends, as a retry would.
      await clock.advance(b.get(key));
    }
    expect(delays).toEqual([10, 20, 40, 80, 160, 300, 300]);
  });

  it('is in backoff strictly before the window ends', async () => {
    const clock = new ManualClock();
    const b = new Backoff({ clock });
    expect(b.isInBackOffSinceUpdate('k')).toBe(false);
    b.next('k');
    await clock.advance(9_999);
    expect(b.isInBackOffSinceUpdate('k')).toBe(true);
    await clock.advance(1);
    expect(b.isInBackOffSinceUpdate('k')).toBe(false);
    expect(b.isInBackOffSince('k', clock.now() - 5_000)).toBe(true);
  });

  it('forgets an entry untouched for more than 600 s, and restarts at 10 s after that', async () => {
    const clock = new ManualClock();
    const b = new Backoff({ clock });
    b.next('k');
    b.next('k');
    expect(b.get('k')).toBe(20_000);
    await clock.advance(600_000);
    b.gc();
    expect(b.size).toBe(1); // exactly 2 × max is not "more than"
    await clock.advance(1);
    b.gc();
    expect(b.size).toBe(0);
    b.next('k');
    b.next('k');
    await clock.advance(600_001);
    b.next('k'); // expired entry: back to the initial delay without a GC in between
    expect(b.get('k')).toBe(10_000);
  });

  it('walks 10, 20, 40, 80, 160, 300, 300 s on the clock it is given, and forgets after 600 s', async () => {
    const clock = new ManualClock();
    const b = new Backoff({ clock });
    const delays: number[] = [];
    for (let i = 0; i < 7; i++) {
      b.next('k');
      delays.push(b.get('k'));
      await clock.advance(b.get('k'));
    }
    expect(delays).toEqual([10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000]);
    await clock.advance(600_001);
    b.gc();
    expect(b.size).toBe(0);
  });
});
