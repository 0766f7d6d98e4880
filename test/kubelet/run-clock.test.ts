/**
 * The run clock: idle time is skipped, work in flight passes 1:1, timers fire in due order with ties
 * in call order, and a warp keeps a map from wall time back to scenario time.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../harness/kubelet/clock.ts';
import { createRunClock, scenarioTimeOf, type WarpClock } from '../../harness/kubelet/run-clock.ts';
import { TimerQueue } from '../../harness/kubelet/timer-queue.ts';

const clocks: WarpClock[] = [];
const warp = () => {
  const clock = createRunClock('warp') as WarpClock;
  clocks.push(clock);
  return clock;
};
afterEach(() => {
  for (const c of clocks.splice(0)) c.close();
});
const wallSince = (start: number) => performance.now() - start;
const realSleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('warp clock', () => {
  it('a 300 s sleep with nothing in flight returns in milliseconds of wall time', async () => {
    const clock = warp();
    const t0 = clock.now();
    const wall = performance.now();
    await clock.sleep(300_000);
    expect(clock.now() - t0).toBeGreaterThanOrEqual(300_000);
    expect(clock.now() - t0).toBeLessThan(300_100);
    expect(wallSince(wall)).toBeLessThan(1_000);
    expect(clock.stats()).toMatchObject({ mode: 'warp', warps: 1, timersFired: 1 });
    expect(clock.stats().skippedMs).toBeGreaterThan(299_000);
  });

  it('passes 1:1 while work is in flight: a sleep shorter than the work is not skipped', async () => {
    const clock = warp();
    const t0 = clock.now();
    const wall = performance.now();
    const work = clock.track(realSleep(300));
    await clock.sleep(200);
    expect(wallSince(wall)).toBeGreaterThanOrEqual(190);
    await work;
    expect(clock.now() - t0).toBeGreaterThanOrEqual(295);
    expect(clock.now() - t0).toBeLessThan(1_000);
    expect(clock.stats().warps).toBe(0);
  });

  it('jumps once the work ends, to the next due timer and no further', async () => {
    const clock = warp();
    const t0 = clock.now();
    const woke: number[] = [];
    const a = clock.sleep(60_000).then(() => woke.push(clock.now() - t0));
    const b = clock.sleep(90_000).then(() => woke.push(clock.now() - t0));
    const end = clock.begin();
    await realSleep(50);
    expect(woke).toEqual([]); // held: only 50 ms of scenario time passed
    end();
    await Promise.all([a, b]);
    expect(woke[0]).toBeGreaterThanOrEqual(60_000);
    expect(woke[0]).toBeLessThan(60_100);
    expect(woke[1]).toBeGreaterThanOrEqual(90_000);
    expect(woke[1]).toBeLessThan(90_100);
  });

  it('fires timers in due order, ties in call order', async () => {
    const clock = warp();
    const order: string[] = [];
    const sleeps = [
      clock.sleep(30_000).then(() => order.push('30s-a')),
      clock.sleep(10_000).then(() => order.push('10s')),
      clock.sleep(30_000).then(() => order.push('30s-b')),
      clock.sleep(20_000).then(() => order.push('20s')),
    ];
    await Promise.all(sleeps);
    expect(order).toEqual(['10s', '20s', '30s-a', '30s-b']);
  });

  it('an aborted sleep resolves at once and the warp no longer stops for it', async () => {
    const clock = warp();
    const stop = new AbortController();
    const t0 = clock.now();
    const forgotten = clock.sleep(500_000, stop.signal);
    stop.abort();
    await forgotten;
    expect(clock.pending).toBe(0);
    await clock.sleep(1_000);
    expect(clock.now() - t0).toBeLessThan(2_000);
  });

  it('chained sleeps (a backoff loop) skip every idle step', async () => {
    const clock = warp();
    const t0 = clock.now();
    const wall = performance.now();
    for (const step of [10, 20, 40, 80, 160, 300, 300]) await clock.sleep(step * 1_000);
    expect(clock.now() - t0).toBeGreaterThanOrEqual(910_000);
    expect(wallSince(wall)).toBeLessThan(1_000);
  });

  it('maps a wall instant after a warp back to scenario time', async () => {
    const clock = warp();
    await clock.sleep(100_000);
    const wall = Date.now();
    expect(scenarioTimeOf(clock, wall)).toBeGreaterThanOrEqual(wall + 99_000);
    expect(Math.abs(scenarioTimeOf(clock, wall) - clock.now())).toBeLessThan(50);
    // An instant before the warp is left as it was.
    expect(clock.fromWall(wall - 60_000)).toBe(wall - 60_000);
    expect(scenarioTimeOf(new ManualClock(0), 1234)).toBe(1234);
  });
});

describe('real clock', () => {
  it('never warps: a sleep takes its wall time', async () => {
    const clock = createRunClock('real');
    const wall = performance.now();
    await clock.sleep(120);
    expect(wallSince(wall)).toBeGreaterThanOrEqual(110);
    expect(clock.stats()).toMatchObject({ mode: 'real', warps: 0, skippedMs: 0 });
    clock.close();
  });
});

describe('timer queue', () => {
  it('pops in (due, seq) order and skips cancelled timers', () => {
    const q = new TimerQueue();
    const fired: string[] = [];
    const ids = [5, 1, 5, 3].map((due, i) => q.push(due, () => fired.push(`${due}:${i}`)));
    expect(q.cancel(ids[3]!)).toBe(true);
    expect(q.cancel(ids[3]!)).toBe(false);
    expect(q.size).toBe(3);
    expect(q.peekDue()).toBe(1);
    for (const t of q.popDue(10)) t.resolve();
    expect(fired).toEqual(['1:1', '5:0', '5:2']);
    expect(q.size).toBe(0);
  });
});

describe('warp clock, after a jump', () => {
  it('fires a timer on time when work is in flight after a warp (no stale wall timer)', async () => {
    const clock = warp();
    const t0 = clock.now();
    const later = clock.sleep(60_300); // armed on the wall clock before the jump
    await clock.sleep(60_000); // warps 60 s
    const end = clock.begin(); // now work is in flight: the 300 ms left pass 1:1
    const wall = performance.now();
    await later;
    end();
    expect(wallSince(wall)).toBeLessThan(1_000);
    expect(clock.now() - t0).toBeGreaterThanOrEqual(60_300);
    expect(clock.stats().lateTimers).toBe(0);
  });
});
