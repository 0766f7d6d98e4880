/**
 * A run through a distribution mirror, for the goldens: the passing run's pods with a `mirrors`
 * entry carrying every measure — amplification, latency against direct pulls (cold and warm),
 * and a fallback while one fault kept the mirror down for some nodes.
 */
import type { Analysis } from '../../harness/analyze/types.ts';
import { passingRun } from './fixtures.ts';

const group = (n: number, min: number, p50: number, p95: number, max: number) => ({ n, min, p50, p95, max });

/** The mirror run. */
export function mirrorRun(): Analysis {
  const a = passingRun();
  return {
    ...a,
    mirrors: [
      {
        name: 'cache',
        registry: 'registry',
        type: 'distribution',
        requests: 31,
        blobRequests: 18,
        blobBytesServed: 50_331_648,
        errorsAnswered: {},
        originBlobFetches: 8,
        originBlobBytes: 16_777_216,
        originFetchesPerBlob: { blobs: 4, mean: 2, max: 2 },
        originErrors: {},
        amplification: 2,
        hitRatio: null,
        byteHitRatio: 0.6667,
        storeErrors: { count: 0, first: null },
        nodes: ['via-0', 'via-1', 'via-2', 'via-3'],
        latency: {
          direct: group(6, 410, 452, 505, 505),
          cold: group(3, 2_100, 2_150, 2_240, 2_240),
          warm: group(3, 1_200, 1_314, 1_610, 1_610),
          added: { cold: { p50: 1_698, p95: 1_735 }, warm: { p50: 862, p95: 1_105 } },
        },
        fallback: [
          {
            fault: 'mirror-blackholed',
            kind: 'blackhole',
            mode: 'syn-drop',
            down: group(1, 120_331, 120_331, 120_331, 120_331),
            failed: 0,
            up: group(6, 1_200, 1_314, 2_240, 2_240),
            added: { p50: 119_017, p95: 118_091 },
          },
        ],
      },
    ],
  };
}
