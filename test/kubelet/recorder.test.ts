import { describe, expect, it } from 'vitest';
import type { KubeEvent } from '../../harness/events/types.ts';
import { ManualClock } from '../../harness/kubelet/clock.ts';
import { EventRecorder } from '../../harness/kubelet/recorder.ts';

const obj = {
  kind: 'Pod' as const,
  name: 'web-1',
  namespace: 'default',
  uid: 'uid-1',
  fieldPath: 'spec.containers{app}',
};

function setup(spamFilter = true) {
  const clock = new ManualClock();
  const written: KubeEvent[] = [];
  const recorder = new EventRecorder({
    clock,
    emit: (e) => written.push(e),
    host: 'node-a',
    spamFilter,
  });
  return { clock, written, recorder };
}

describe('EventRecorder (client-go EventCorrelator)', () => {
  it('counts identical events and keeps the first timestamp', async () => {
    const { clock, written, recorder } = setup();
    recorder.event(obj, 'Normal', 'BackOff', 'Back-off pulling image "app:1"');
    await clock.advance(12_000);
    recorder.event(obj, 'Normal', 'BackOff', 'Back-off pulling image "app:1"');
    recorder.event(
      { ...obj, fieldPath: 'spec.containers{sidecar}' },
      'Normal',
      'BackOff',
      'Back-off pulling image "app:1"',
    );
    expect(written.map((e) => [e.count, e.firstTimestamp, e.lastTimestamp])).toEqual([
      [1, '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z'],
      [2, '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:12.000Z'],
      [1, '2025-01-01T00:00:12.000Z', '2025-01-01T00:00:12.000Z'], // another container is another event
    ]);
  });

  it('combines the 10th distinct message of one reason within 10 minutes', () => {
    const { written, recorder } = setup(false);
    for (let i = 1; i <= 11; i++)
      recorder.event(obj, 'Warning', 'Failed', `Failed to pull image "app:1": attempt ${i}`);
    expect(written.slice(0, 9).every((e) => !e.message.startsWith('(combined'))).toBe(true);
    expect(written.slice(9).map((e) => [e.message, e.count])).toEqual([
      ['(combined from similar events): Failed to pull image "app:1": attempt 10', 1],
      ['(combined from similar events): Failed to pull image "app:1": attempt 11', 2],
    ]);
  });

  it('starts a fresh aggregation group after 10 minutes of quiet', async () => {
    const { clock, written, recorder } = setup(false);
    for (let i = 1; i <= 9; i++) recorder.event(obj, 'Warning', 'Failed', `m${i}`);
    await clock.advance(600_001);
    recorder.event(obj, 'Warning', 'Failed', 'm10');
    expect(written.at(-1)?.message).toBe('m10');
  });

  it('drops events past a burst of 25 per object, refilling one per 5 minutes, while counts keep rising', async () => {
    const { clock, written, recorder } = setup();
    for (let i = 0; i < 30; i++) recorder.event(obj, 'Normal', 'BackOff', 'Back-off pulling image "app:1"');
    expect(written).toHaveLength(25);
    await clock.advance(300_000);
    recorder.event(obj, 'Normal', 'BackOff', 'Back-off pulling image "app:1"');
    expect(written).toHaveLength(26);
    expect(written.at(-1)?.count).toBe(31); // x31 over 5m, as kubectl would show
    recorder.event(obj, 'Normal', 'Pulling', 'Pulling image "app:1"');
    expect(written).toHaveLength(26); // the budget is per object, not per reason
  });
});
