import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MinHeap } from '../../harness/kubelet/min-heap.ts';

describe('MinHeap', () => {
  it('pops every pushed entry in order, whatever the order of the pushes', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -50, max: 50 })), (xs) => {
        const heap = new MinHeap<number>((a, b) => a < b);
        for (const x of xs) heap.push(x);
        expect(heap.size).toBe(xs.length);
        const out: number[] = [];
        for (let x = heap.pop(); x !== undefined; x = heap.pop()) out.push(x);
        expect(out).toEqual([...xs].sort((a, b) => a - b));
      }),
    );
  });

  it('peeks without removing and forgets everything on clear', () => {
    const heap = new MinHeap<string>((a, b) => a < b);
    for (const s of ['b', 'c', 'a']) heap.push(s);
    expect(heap.peek()).toBe('a');
    expect(heap.size).toBe(3);
    heap.clear();
    expect(heap.peek()).toBeUndefined();
    expect(heap.pop()).toBeUndefined();
  });
});
