/**
 * Sleepers ordered by due time, ties in the order they were queued: a binary heap keyed by
 * (due, seq), with cancellation by id. A storm keeps thousands of pod-worker and backoff timers
 * pending at once, so finding the earliest must not scan them all.
 */

/** A queued sleeper. */
export interface QueuedTimer {
  due: number;
  seq: number;
  resolve: () => void;
}

const before = (a: QueuedTimer, b: QueuedTimer) => a.due < b.due || (a.due === b.due && a.seq < b.seq);

/** A min-heap of timers. */
export class TimerQueue {
  #heap: QueuedTimer[] = [];
  #seq = 0;
  /** Ids of cancelled timers still in the heap (removed lazily when they reach the top). */
  #cancelled = new Set<number>();
  /** Ids queued and neither fired nor cancelled. */
  #live = new Set<number>();

  /** Live timers. */
  get size(): number {
    return this.#live.size;
  }

  /** Queues `resolve` for `due`; returns an id for {@link cancel}. */
  push(due: number, resolve: () => void): number {
    const timer = { due, seq: this.#seq++, resolve };
    this.#heap.push(timer);
    this.#live.add(timer.seq);
    this.#up(this.#heap.length - 1);
    return timer.seq;
  }

  /** Cancels a queued timer; false when it already fired or was cancelled. */
  cancel(id: number): boolean {
    if (!this.#live.delete(id)) return false;
    this.#cancelled.add(id);
    this.#dropCancelled();
    return true;
  }

  /** The earliest live due time, or undefined. */
  peekDue(): number | undefined {
    this.#dropCancelled();
    return this.#heap[0]?.due;
  }

  /** Removes and returns every live timer due at or before `now`, in order. */
  popDue(now: number): QueuedTimer[] {
    const out: QueuedTimer[] = [];
    for (;;) {
      this.#dropCancelled();
      const top = this.#heap[0];
      if (top === undefined || top.due > now) return out;
      const timer = this.#pop();
      this.#live.delete(timer.seq);
      out.push(timer);
    }
  }

  /** Forgets every timer. */
  clear(): void {
    this.#heap = [];
    this.#cancelled.clear();
    this.#live.clear();
  }

  #dropCancelled(): void {
    while (this.#heap.length > 0 && this.#cancelled.has(this.#heap[0]!.seq)) {
      this.#cancelled.delete(this.#pop().seq);
    }
  }

  #pop(): QueuedTimer {
    const heap = this.#heap;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      this.#down(0);
    }
    return top;
  }

  #up(i: number): void {
    const heap = this.#heap;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i]!, heap[parent]!)) return;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  #down(i: number): void {
    const heap = this.#heap;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let best = i;
      if (l < heap.length && before(heap[l]!, heap[best]!)) best = l;
      if (r < heap.length && before(heap[r]!, heap[best]!)) best = r;
      if (best === i) return;
      [heap[i], heap[best]] = [heap[best]!, heap[i]!];
      i = best;
    }
  }
}
