/**
 * A binary min-heap under a strict order `before(a, b)`: push and pop in O(log n), peek in O(1).
 * The run clock's timers and the scheduler's nodes both need the least element of thousands
 * without scanning them; both delete lazily (an entry known to be stale is skipped at the top).
 */
export class MinHeap<T> {
  readonly #before: (a: T, b: T) => boolean;
  #items: T[] = [];

  constructor(before: (a: T, b: T) => boolean) {
    this.#before = before;
  }

  /** Entries, stale ones included. */
  get size(): number {
    return this.#items.length;
  }

  /** The least entry, or undefined. */
  peek(): T | undefined {
    return this.#items[0];
  }

  push(item: T): void {
    const items = this.#items;
    items.push(item);
    for (let i = items.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!this.#before(items[i]!, items[parent]!)) return;
      [items[i], items[parent]] = [items[parent]!, items[i]!];
      i = parent;
    }
  }

  /** Removes and returns the least entry, or undefined. */
  pop(): T | undefined {
    const items = this.#items;
    const top = items[0];
    const last = items.pop();
    if (items.length === 0 || last === undefined) return top;
    items[0] = last;
    for (let i = 0; ; ) {
      const l = 2 * i + 1;
      const r = l + 1;
      let best = i;
      if (l < items.length && this.#before(items[l]!, items[best]!)) best = l;
      if (r < items.length && this.#before(items[r]!, items[best]!)) best = r;
      if (best === i) return top;
      [items[i], items[best]] = [items[best]!, items[i]!];
      i = best;
    }
  }

  /** Forgets every entry. */
  clear(): void {
    this.#items = [];
  }
}
