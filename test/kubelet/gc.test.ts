import { describe, expect, it } from 'vitest';
import type { KubeEvent } from '../../harness/events/types.ts';
import { ManualClock } from '../../harness/kubelet/clock.ts';
import { type GcImage, ImageRecords, selectImagesToRemove } from '../../harness/kubelet/gc.ts';
import { runImageGC } from '../../harness/kubelet/gc-runner.ts';
import { EventRecorder } from '../../harness/kubelet/recorder.ts';
import { FakeImageService } from './fakes.ts';

const NOW = 1_000_000_000;
const MIN = 60_000;
const img = (
  id: string,
  size: number,
  lastUsedAgoMin: number,
  detectedAgoMin: number,
  pinned = false,
): GcImage => ({
  id,
  size,
  lastUsedMs: NOW - lastUsedAgoMin * MIN,
  firstDetectedMs: NOW - detectedAgoMin * MIN,
  pinned,
});

describe('selectImagesToRemove (image_gc_manager.go)', () => {
  const images = [
    img('old', 100, 60, 90),
    img('older', 50, 120, 130),
    img('fresh', 300, 30, 1), // first seen 1 min ago: younger than imageMinimumGCAge
    img('used', 400, 0, 200),
    img('pinned', 500, 500, 500, true),
    img('tie-b', 70, 40, 50),
    img('tie-a', 70, 40, 60),
  ];
  it.each<[string, number, number, string[], number, boolean]>([
    // name, capacity, used, removed, amountToFree, enough
    ['below the high threshold', 1000, 840, [], 0, true],
    ['at 85 %: free down to 80 %', 1000, 850, ['older'], 50, true],
    ['least recently used first', 1000, 900, ['older', 'old'], 100, true],
    ['ties on last use go by first detection', 1000, 1000, ['older', 'old', 'tie-a'], 200, true],
    [
      'cannot free enough: in use, pinned and young images stay',
      10_000,
      10_000,
      ['older', 'old', 'tie-a', 'tie-b'],
      2000,
      false,
    ],
  ])('%s', (_, capacityBytes, usedBytes, removed, amountToFree, enough) => {
    const d = selectImagesToRemove({
      images,
      capacityBytes,
      usedBytes,
      inUse: new Set(['used']),
      nowMs: NOW,
    });
    expect(d.remove.map((i) => i.id)).toEqual(removed);
    expect(d.amountToFree).toBe(amountToFree);
    expect(d.enough).toBe(enough);
  });

  it('uses integer percentages like Go', () => {
    // 84.9 % used truncates to available 15 % → usage 85 → collect
    const d = selectImagesToRemove({
      images: [],
      capacityBytes: 1000,
      availableBytes: 151,
      inUse: new Set(),
      nowMs: NOW,
    });
    expect(d.usagePercent).toBe(85);
    expect(d.amountToFree).toBe(49);
  });

  it('takes imageMinimumGCAge from the policy', () => {
    const d = selectImagesToRemove({
      images: [img('fresh', 300, 30, 1)],
      capacityBytes: 1000,
      usedBytes: 900,
      inUse: new Set(),
      nowMs: NOW,
      policy: { minAgeMs: 12_000 },
    });
    expect(d.remove.map((i) => i.id)).toEqual(['fresh']);
  });
});

describe('runImageGC', () => {
  it('removes through the ImageService and reports FreeDiskSpaceFailed on the Node', async () => {
    const clock = new ManualClock();
    const svc = new FakeImageService(clock);
    const a = svc.preload('a:1', { size: 100 });
    svc.preload('b:1', { size: 100 });
    svc.usedBytes = 950;
    const records = new ImageRecords();
    const events: KubeEvent[] = [];
    const recorder = new EventRecorder({ clock, emit: (e) => events.push(e), host: 'node-a' });
    const inUse = new Set([a.id]);
    records.detect(await svc.listImages(), inUse, clock.now());
    await clock.advance(5 * MIN);
    const result = await runImageGC({
      imageService: svc,
      clock,
      node: 'node-a',
      inUse,
      capacityBytes: 1000,
      records,
      recorder,
    });
    expect(result.removed).toHaveLength(1);
    expect(result.freed).toBe(100);
    expect(result.error).toBe(
      'Failed to garbage collect required amount of images. Attempted to free 150 bytes, but only found 100 bytes eligible to free.',
    );
    expect(events.map((e) => [e.involvedObject, e.reason, e.type, e.message])).toEqual([
      [{ kind: 'Node', name: 'node-a', uid: 'node-a' }, 'FreeDiskSpaceFailed', 'Warning', result.error],
    ]);
    expect(svc.images.has('a:1')).toBe(true);
  });

  it('reports a zero capacity as InvalidDiskCapacity', async () => {
    const clock = new ManualClock();
    const svc = new FakeImageService(clock);
    const events: KubeEvent[] = [];
    const recorder = new EventRecorder({ clock, emit: (e) => events.push(e), host: 'node-a' });
    const result = await runImageGC({ imageService: svc, clock, node: 'node-a', inUse: new Set(), recorder });
    expect(result.error).toBe('invalid capacity 0 on image filesystem');
    expect(events[0]).toMatchObject({
      reason: 'InvalidDiskCapacity',
      message: 'invalid capacity 0 on image filesystem',
    });
  });
});
