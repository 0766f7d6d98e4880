/**
 * Seeded randomness for fault decisions (probability, jitter): the same seed gives the same
 * sequence, so a chaos run repeats exactly. Math.random would make every run different.
 */

/** Default seed of a fault's PRNG when its options give none: 1. */
export const DEFAULT_SEED = 1;

/** A mulberry32 generator over the 32-bit `seed`; returns numbers in [0, 1). Small, fast, well mixed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return function random(): number {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `base` ± `jitter`, uniform, from `random`; never negative (validation keeps jitter ≤ base). */
export function jittered(base: number, jitter: number, random: () => number): number {
  if (jitter === 0) return base;
  return Math.max(0, base + (random() * 2 - 1) * jitter);
}
