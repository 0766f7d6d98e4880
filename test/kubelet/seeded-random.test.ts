import { describe, expect, it } from 'vitest';
import { randomSeed, seededRandom } from '../../harness/kubelet/seeded-random.ts';

describe('seededRandom', () => {
  it('repeats the same draws for the same seed and key', () => {
    const a = seededRandom(42, 'default/web#3');
    const b = seededRandom(42, 'default/web#3');
    const drawsA = Array.from({ length: 20 }, a);
    expect(Array.from({ length: 20 }, b)).toEqual(drawsA);
  });

  it('gives another stream for another key or another seed', () => {
    const first = (r: () => number) => Array.from({ length: 5 }, r);
    const base = first(seededRandom(42, 'default/web#3'));
    expect(first(seededRandom(42, 'default/web#4'))).not.toEqual(base);
    expect(first(seededRandom(43, 'default/web#3'))).not.toEqual(base);
  });

  it('draws uniformly in [0, 1)', () => {
    const r = seededRandom(7, 'k');
    const draws = Array.from({ length: 20_000 }, r);
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
    const mean = draws.reduce((s, x) => s + x, 0) / draws.length;
    expect(mean).toBeGreaterThan(0.48);
    expect(mean).toBeLessThan(0.52);
    const lowTenth = draws.filter((x) => x < 0.1).length / draws.length;
    expect(lowTenth).toBeGreaterThan(0.09);
    expect(lowTenth).toBeLessThan(0.11);
  });

  it('makes run seeds that are 32-bit non-negative integers', () => {
    for (let i = 0; i < 100; i++) {
      const s = randomSeed();
      expect(Number.isInteger(s)).toBe(true);
      expect(s).toBeGreaterThanOrEqual(0);
      expect(s).toBeLessThan(2 ** 32);
    }
  });
});
