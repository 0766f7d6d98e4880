/**
 * Reproducible random draws for the kubelet model. kubelet draws its requeue jitter from Go's global
 * source; the model draws each pod's from its own stream, seeded by the run's seed and a key that
 * does not depend on timing (the pod's owner and its ordinal). Two runs with the same seed, one under
 * the warp clock and one in real time, then take the same jitter at the same step, so the comparison
 * between them measures the clock and not the dice.
 */

/** A seed for a run: a non-negative 32-bit integer. */
export function randomSeed(): number {
  return Math.floor(Math.random() * 0x1_0000_0000);
}

/** FNV-1a over the key's UTF-16 units, mixed with the seed: a 32-bit stream id. */
function streamId(seed: number, key: string): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** Uniform draws in [0, 1), the same sequence for the same seed and key. */
export function seededRandom(seed: number, key: string): () => number {
  return mulberry32(streamId(seed >>> 0, key));
}

/** mulberry32: a small, fast 32-bit generator; uniform draws in [0, 1) from `state`. */
export function mulberry32(state: number): () => number {
  let a = state >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 0x1_0000_0000;
  };
}
