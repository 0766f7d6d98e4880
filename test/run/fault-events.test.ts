/** One fault id on several stubs: each change logged once, however the stubs' reports interleave. */
import { describe, expect, it } from 'vitest';
import { faultEventLog } from '../../harness/events/fault-events.ts';
import type { FaultChange, FaultHit } from '../../harness/events/types.ts';

const change = (kind: FaultChange['kind'], id = 'f'): FaultChange => ({
  kind,
  time: '2026-01-01T00:00:00.000Z',
  id,
  fault: 'unknown-tag',
});
const hit: FaultHit = { kind: 'fault.hit', time: '2026-01-01T00:00:00.000Z', id: 'f', fault: 'unknown-tag' };

describe('faultEventLog', () => {
  it('logs each change once across stubs and every hit', () => {
    const out: string[] = [];
    const log = faultEventLog((e) => out.push(`${e.kind} ${e.id}`));
    const [a, b] = [log.from('hub'), log.from('mirror')];
    a(change('fault.applied'));
    b(change('fault.applied'));
    a(hit);
    b(hit);
    b(change('fault.cleared'));
    a(change('fault.cleared'));
    expect(out).toEqual(['fault.applied f', 'fault.hit f', 'fault.hit f', 'fault.cleared f']);
  });

  it('the same id applied again is logged again, also when one stub reports a whole cycle first', () => {
    const out: string[] = [];
    const log = faultEventLog((e) => out.push(`${e.kind} ${e.id}`));
    const [a, b] = [log.from('hub'), log.from('mirror')];
    // hub's feed delivers both cycles before mirror's delivers anything (relayed feeds lag apart).
    for (const kind of ['fault.applied', 'fault.cleared', 'fault.applied', 'fault.cleared'] as const)
      a(change(kind));
    for (const kind of ['fault.applied', 'fault.cleared', 'fault.applied', 'fault.cleared'] as const)
      b(change(kind));
    expect(out).toEqual(['fault.applied f', 'fault.cleared f', 'fault.applied f', 'fault.cleared f']);
    // Another id is its own.
    b(change('fault.applied', 'g'));
    expect(out.at(-1)).toBe('fault.applied g');
  });
});
