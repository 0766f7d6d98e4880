import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../harness/kubelet/clock.ts';
import { parallelPuller, runtimePull, serialPuller } from '../../harness/kubelet/puller.ts';
import { TokenBucket } from '../../harness/kubelet/qps.ts';
import { FakeImageService } from './fakes.ts';

const cred = (name: string) => ({
  auth: { username: name, password: 'pw' },
  hash: `hash-${name}`,
  source: { secret: { uid: `uid-${name}`, namespace: 'default', name } },
});

describe('serial puller', () => {
  it('pulls one image at a time in arrival order', async () => {
    const clock = new ManualClock();
    const svc = new FakeImageService(clock);
    svc.pullMs = 1_000;
    const puller = serialPuller(runtimePull(svc, clock));
    const done: string[] = [];
    const pulls = ['a:1', 'b:1', 'c:1'].map((image) =>
      puller.pull({ image, credentials: [] }).then(() => done.push(image)),
    );
    await clock.advance(3_000);
    await Promise.all(pulls);
    expect(done).toEqual(['a:1', 'b:1', 'c:1']);
    expect(svc.calls.map((c) => [c.image, c.startedMs - svc.calls[0]!.startedMs])).toEqual([
      ['a:1', 0],
      ['b:1', 1_000],
      ['c:1', 2_000],
    ]);
  });

  it('holds 10 queued requests and blocks further callers, who keep their order', async () => {
    const clock = new ManualClock();
    const svc = new FakeImageService(clock);
    svc.pullMs = 100;
    const puller = serialPuller(runtimePull(svc, clock));
    const images = Array.from({ length: 14 }, (_, i) => `img${i}:1`);
    const pulls = images.map((image) => puller.pull({ image, credentials: [] }));
    await clock.advance(0);
    // one running, ten in the channel buffer, three blocked on the send
    expect(puller.stats()).toEqual({ running: 1, queued: 10, blocked: 3 });
    await clock.advance(100);
    expect(puller.stats()).toEqual({ running: 1, queued: 10, blocked: 2 });
    await clock.advance(1_300);
    await Promise.all(pulls);
    expect(svc.calls.map((c) => c.image)).toEqual(images);
    expect(puller.stats()).toEqual({ running: 0, queued: 0, blocked: 0 });
  });

  it('measures the pull from when the worker takes it, not from the queue', async () => {
    const clock = new ManualClock();
    const svc = new FakeImageService(clock);
    svc.pullMs = 500;
    const puller = serialPuller(runtimePull(svc, clock));
    const first = puller.pull({ image: 'a:1', credentials: [] });
    const second = puller.pull({ image: 'b:1', credentials: [] });
    await clock.advance(1_000);
    expect((await first).pullDurationMs).toBe(500);
    expect((await second).pullDurationMs).toBe(500);
  });
});

describe('parallel puller', () => {
  it('starts every pull at once without a limit', async () => {
    const clock = new ManualClock();
    const svc = new FakeImageService(clock);
    const puller = parallelPuller(runtimePull(svc, clock));
    const pulls = ['a:1', 'b:1', 'c:1'].map((image) => puller.pull({ image, credentials: [] }));
    await clock.advance(0);
    expect(svc.calls.map((c) => c.startedMs)).toEqual([clock.now(), clock.now(), clock.now()]);
    await clock.advance(svc.pullMs);
    await Promise.all(pulls);
  });

  it('runs at most maxParallelImagePulls at once, the rest in arrival order', async () => {
    const clock = new ManualClock();
    const svc = new FakeImageService(clock);
    svc.pullMs = 1_000;
    const puller = parallelPuller(runtimePull(svc, clock), 2);
    const t0 = clock.now();
    const pulls = ['a:1', 'b:1', 'c:1', 'd:1', 'e:1'].map((image) => puller.pull({ image, credentials: [] }));
    await clock.advance(0);
    expect(puller.stats()).toEqual({ running: 2, queued: 3, blocked: 0 });
    await clock.advance(3_000);
    await Promise.all(pulls);
    expect(svc.calls.map((c) => [c.image, c.startedMs - t0])).toEqual([
      ['a:1', 0],
      ['b:1', 0],
      ['c:1', 1_000],
      ['d:1', 1_000],
      ['e:1', 2_000],
    ]);
  });
});

describe('runtime pull', () => {
  it('takes the QPS token when the pull starts and fails at once without one', async () => {
    const clock = new ManualClock();
    const svc = new FakeImageService(clock);
    svc.pullMs = 0;
    const limiter = new TokenBucket({ qps: 5, burst: 2, clock });
    const run = runtimePull(svc, clock, limiter);
    const results = [
      await run({ image: 'a:1', credentials: [] }),
      await run({ image: 'b:1', credentials: [] }),
    ];
    expect(results.every((r) => r.error === undefined)).toBe(true);
    const refused = await run({ image: 'c:1', credentials: [] });
    expect(refused).toMatchObject({ error: 'pull QPS exceeded', imageRef: '', pullDurationMs: 0 });
    expect(svc.calls).toHaveLength(2);
  });

  it('tries each credential in turn and aggregates the errors', async () => {
    const clock = new ManualClock();
    const svc = new FakeImageService(clock);
    svc.pullMs = 0;
    svc.failures.set('p:1', (auth) =>
      auth?.username === 'good' ? undefined : `denied for ${auth?.username}`,
    );
    const run = runtimePull(svc, clock);
    const ok = await run({ image: 'p:1', credentials: [cred('bad'), cred('good')] });
    expect(ok.error).toBeUndefined();
    expect(ok.credentialUsed?.hash).toBe('hash-good');
    expect(ok.sizeBytes).toBe(4_096);
    svc.images.clear();
    const failed = await run({ image: 'p:1', credentials: [cred('bad'), cred('worse')] });
    expect(failed.error).toBe('[denied for bad, denied for worse]');
  });
});
