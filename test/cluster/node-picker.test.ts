import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { NodePicker } from '../../harness/cluster/node-picker.ts';
import { pickNode } from '../../harness/cluster/scheduler.ts';

describe('NodePicker', () => {
  test('picks what pickNode picks (fewest pods, then name) through any sequence of adds and removes', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.stringMatching(/^[a-e]{1,3}$/), { minLength: 1, maxLength: 8 }),
        fc.array(fc.tuple(fc.nat(), fc.boolean()), { maxLength: 60 }),
        (names, steps) => {
          const picker = new NodePicker(names);
          const counts = new Map(names.map((n) => [n, 0]));
          for (const [i, place] of steps) {
            const expected = pickNode([...counts].map(([name, pods]) => ({ name, pods })));
            expect(picker.pick()).toBe(expected);
            const name = place ? (expected as string) : names[i % names.length]!;
            if (!place && counts.get(name) === 0) continue;
            picker.add(name, place ? 1 : -1);
            counts.set(name, counts.get(name)! + (place ? 1 : -1));
          }
        },
      ),
    );
  });

  test('a nodeSelector looks only at the nodes it names, and an unknown one fails as pickNode does', () => {
    const picker = new NodePicker(['a', 'b', 'c']);
    picker.add('b', 1);
    expect(picker.pick(['b', 'c'])).toBe('c');
    expect(picker.pick(['b'])).toBe('b');
    const error = picker.pick(['x']);
    expect(error).toBeInstanceOf(RangeError);
    expect((error as RangeError).message).toBe('no node matches nodeSelector [x]; the cluster has: a, b, c');
  });

  test('placing 3,000 pods on 2,000 nodes spreads them 2 and 1, cheaply', () => {
    const names = Array.from({ length: 2000 }, (_, i) => `n${String(i).padStart(4, '0')}`);
    const picker = new NodePicker(names);
    for (let i = 0; i < 3000; i++) picker.add(picker.pick() as string, 1);
    expect(names.filter((n) => picker.pods(n) === 2)).toHaveLength(1000);
    expect(names.filter((n) => picker.pods(n) === 1)).toHaveLength(1000);
  });
});
