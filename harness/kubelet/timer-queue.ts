/**
 * Sleepers ordered by due time, ties in the order they were queued: a binary heap keyed by
 * (due, seq), with cancellation by id. A storm keeps thousands of pod-worker and backoff timers
 * pending at once, so finding the earliest must not scan them all.
 */

import { MinHeap } from './min-heap.ts';

/** A queued sleeper. */
export interface QueuedTimer {
  due: number;
  seq: number;
  resolve: () => void;
}

const before = (a: QueuedTimer, b: QueuedTimer) => a.due < b.due || (a.due === b.due && a.seq < b.seq);

/** A min-heap of timers. */
export class TimerQueue {
  readonly #heap = new MinHeap<QueuedTimer>(before);
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
    return this.#heap.peek()?.due;
  }

  /** Removes and returns every live timer due at or before `now`, in order. */
  popDue(now: number): QueuedTimer[] {
    const out: QueuedTimer[] = [];
    for (;;) {
      this.#dropCancelled();
      const top = this.#heap.peek();
      if (top === undefined || top.due > now) return out;
      const timer = this.#heap.pop()!;
      this.#live.delete(timer.seq);
      out.push(timer);
    }
  }

  /** Forgets every timer. */
  clear(): void {
    this.#heap.clear();
    this.#cancelled.clear();
    this.#live.clear();
  }

  #dropCancelled(): void {
    for (
      let top = this.#heap.peek();
      top !== undefined && this.#cancelled.has(top.seq);
      top = this.#heap.peek()
    ) {
      this.#cancelled.delete(top.seq);
      this.#heap.pop();
    }
  }
}
