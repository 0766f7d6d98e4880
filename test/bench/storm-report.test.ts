import { afterEach, describe, expect, test } from 'vitest';
import type { StormBenchResult } from '../../scripts/bench/storm.ts';
import { stormOptions } from '../../scripts/bench/storm.ts';
import { stormLine } from '../../scripts/bench/storm-report.ts';

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
});

describe('the storm bench', () => {
  test('defaults to the issue’s full storm: 2,000 virtual + 20 real nodes, 1,000 pods, 100 MiB in 4 layers', () => {
    for (const k of Object.keys(process.env)) if (k.startsWith('STORM_')) delete process.env[k];
    expect(stormOptions()).toEqual({
      virtualNodes: 2000,
      realNodes: 20,
      realPods: 1000,
      imageMiB: 100,
      layers: 4,
      threads: 2,
      pullSlots: 64,
      timeoutSeconds: 900,
    });
  });

  test('a size from the environment that is not a whole number is refused, naming the variable and the value', () => {
    process.env.STORM_VIRTUAL = 'lots';
    expect(() => stormOptions()).toThrow('STORM_VIRTUAL must be an integer ≥ 0; got "lots"');
  });

  test('its verdict line reads as the issue asks', () => {
    const r = {
      storm: { virtualNodes: 2000, realNodes: 20, pods: 3000, pulledSeconds: 250.04 },
      boundSeconds: 101.23,
      ratio: 2.47,
    } as unknown as StormBenchResult;
    expect(stormLine(r)).toBe(
      'storm: 2000 virtual + 20 real nodes, 3000 pods, 250.0 s until every node pulled, bound 101.2 s, ratio 2.47',
    );
  });
});
