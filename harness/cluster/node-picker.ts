/**
 * The scheduler's bookkeeping for large clusters: each node's pod count kept as pods come and go, and
 * a heap ordered like {@link pickNode} (fewest pods, then name), so placing a pod costs O(log nodes)
 * instead of counting every pod on every node (which made a 2,000-node storm spend minutes
 * scheduling). A pod with a nodeSelector looks only at the nodes it names.
 */
import { MinHeap } from '../kubelet/min-heap.ts';
import { pickNode } from './scheduler.ts';

type Entry = { pods: number; name: string };
const before = (a: Entry, b: Entry) => a.pods < b.pods || (a.pods === b.pods && a.name < b.name);

/** Pod counts per node and the least-loaded node. */
export class NodePicker {
  readonly #pods = new Map<string, number>();
  // A binary min-heap with lazy deletion: an entry whose count is no longer the node's is skipped.
  readonly #heap = new MinHeap<Entry>(before);

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
    for (
      let top = heap.peek();
      top !== undefined && top.pods !== this.#pods.get(top.name);
      top = heap.peek()
    ) {
      heap.pop();
    }
    return heap.peek()?.name ?? pickNode([]);
  }

  #set(name: string, pods: number) {
    this.#pods.set(name, pods);
    this.#heap.push({ pods, name });
    // Stale entries are dropped at picks; rebuild when they dominate so memory stays O(nodes).
    if (this.#heap.size > 4 * this.#pods.size + 64) this.#rebuild();
  }

  #rebuild() {
    this.#heap.clear();
    for (const [name, pods] of this.#pods) this.#heap.push({ pods, name });
  }
}
