/**
 * The scheduler's bookkeeping for large clusters: each node's pod count kept as pods come and go, and
 * a heap ordered like {@link pickNode} (fewest pods, then name), so placing a pod costs O(log nodes)
 * instead of counting every pod on every node (which made a 2,000-node storm spend minutes
 * scheduling). A pod with a nodeSelector looks only at the nodes it names.
 */
import { pickNode } from './scheduler.ts';

type Entry = { pods: number; name: string };
const before = (a: Entry, b: Entry) => a.pods < b.pods || (a.pods === b.pods && a.name < b.name);

/** Pod counts per node and the least-loaded node. */
export class NodePicker {
  readonly #pods = new Map<string, number>();
  // A binary min-heap with lazy deletion: an entry whose count is no longer the node's is skipped.
  readonly #heap: Entry[] = [];

  constructor(names: readonly string[]) {
    for (const name of names) this.#set(name, 0);
  }

  /** Pods on `name`. */
  pods(name: string): number {
    return this.#pods.get(name) ?? 0;
  }

  /** A pod was placed on (`delta` 1) or left (`delta` -1) `name`. */
  add(name: string, delta: 1 | -1): void {
    if (this.#pods.has(name)) this.#set(name, Math.max(0, this.pods(name) + delta));
  }

  /** The node for a pod, or a RangeError saying why none fits (pickNode's rules and texts). */
  pick(nodeSelector?: readonly string[]): string | RangeError {
    if (nodeSelector !== undefined) {
      const all = [...this.#pods.keys()];
      const named = nodeSelector.filter((n) => this.#pods.has(n));
      if (named.length === 0)
        return pickNode(
          all.map((name) => ({ name, pods: 0 })),
          nodeSelector,
        );
      return pickNode(named.map((name) => ({ name, pods: this.pods(name) })));
    }
    const heap = this.#heap;
    while (heap.length > 0 && heap[0]!.pods !== this.#pods.get(heap[0]!.name)) this.#pop();
    return heap.length > 0 ? heap[0]!.name : pickNode([]);
  }

  #set(name: string, pods: number) {
    this.#pods.set(name, pods);
    const heap = this.#heap;
    heap.push({ pods, name });
    for (let i = heap.length - 1; i > 0; ) {
      const up = (i - 1) >> 1;
      if (!before(heap[i]!, heap[up]!)) break;
      [heap[i], heap[up]] = [heap[up]!, heap[i]!];
      i = up;
    }
    // Stale entries are dropped at picks; rebuild when they dominate so memory stays O(nodes).
    if (heap.length > 4 * this.#pods.size + 64) this.#rebuild();
  }

  #pop() {
    const heap = this.#heap;
    const last = heap.pop()!;
    if (heap.length === 0) return;
    heap[0] = last;
    for (let i = 0; ; ) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && before(heap[l]!, heap[m]!)) m = l;
      if (r < heap.length && before(heap[r]!, heap[m]!)) m = r;
      if (m === i) break;
      [heap[i], heap[m]] = [heap[m]!, heap[i]!];
      i = m;
    }
  }

  #rebuild() {
    const entries = [...this.#pods].map(([name, pods]) => ({ pods, name }));
    entries.sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
    this.#heap.length = 0;
    this.#heap.push(...entries); // a sorted array is a valid min-heap
  }
}
