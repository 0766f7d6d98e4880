/**
 * `npm run bench -- --only storm`: the full pull storm in one run — real containerd nodes with a
 * deployment over them, thousands of virtual nodes with one pod each (pulls in worker threads), one
 * stub process serving a large image, no cache — and, in the same run, its bound: the bytes the
 * storm moved ÷ the stub's many-client throughput to curl. Its last line is the one-line verdict.
 *
 * Sizes come from the environment so a developer can run it small:
 * STORM_VIRTUAL (2000), STORM_REAL (20), STORM_PODS (1000), STORM_MIB (100), STORM_LAYERS (4),
 * STORM_THREADS (pull workers, 2), STORM_SLOTS (virtual pulls in flight, 64), STORM_TIMEOUT_S (900).
 */
import { startSandboxRegistry } from '../../harness/backends/embedded/nodes.ts';
import { withCleanup } from './cleanup.ts';
import { withNodes } from './cluster.ts';
import { runStorm, type StormResult } from './cluster-storm.ts';
import { type BoundResult, measureBound } from './storm-bound.ts';
import { stormLine, stormMarkdown } from './storm-report.ts';
import { startStubProcess } from './stub-process.ts';

const MiB = 1024 * 1024;

/** Sizes of one storm bench. */
export interface StormBenchOptions {
  virtualNodes: number;
  realNodes: number;
  realPods: number;
  imageMiB: number;
  layers: number;
  threads: number;
  /** Virtual pulls in flight at most: as many as the bound's curl clients. */
  pullSlots: number;
  timeoutSeconds: number;
}

/** Everything one storm bench measured. */
export interface StormBenchResult {
  options: StormBenchOptions;
  storm: StormResult;
  bound: BoundResult;
  /** The bytes the stub served during the storm ÷ the bound's throughput. */
  boundSeconds: number;
  /** Time until every node had pulled ÷ the bound. */
  ratio: number;
  /** `uptime` before and after, for the reader to judge how busy the machine was. */
  load: { before: string; after: string };
}

function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0)
    throw new RangeError(`${name} must be an integer ≥ 0; got ${JSON.stringify(raw)}`);
  return n;
}

/** The sizes: the full storm unless the environment says otherwise. */
export function stormOptions(): StormBenchOptions {
  return {
    virtualNodes: envInt('STORM_VIRTUAL', 2000),
    realNodes: envInt('STORM_REAL', 20),
    realPods: envInt('STORM_PODS', 1000),
    imageMiB: envInt('STORM_MIB', 100),
    layers: envInt('STORM_LAYERS', 4),
    threads: envInt('STORM_THREADS', 2),
    pullSlots: envInt('STORM_SLOTS', 64),
    timeoutSeconds: envInt('STORM_TIMEOUT_S', 900),
  };
}

const loadAverage = async () =>
  (await import('node:fs/promises')).readFile('/proc/loadavg', 'utf8').then((t) => t.trim());

const log = (text: string) => process.stderr.write(`bench storm: ${text}\n`);

/** Runs the bound and the storm; stops all it started. */
export async function stormBench(o: StormBenchOptions = stormOptions()): Promise<StormBenchResult> {
  const imageBytes = o.imageMiB * MiB;
  const before = await loadAverage();
  return withCleanup(
    startStubProcess({ large: { sizeBytes: imageBytes, layers: o.layers } }),
    (stub) => stub.stop(),
    (stub) =>
      withCleanup(
        startSandboxRegistry(),
        (s) => s.close(),
        async (sandbox) => {
          log(`bound: the stub’s throughput to curl, ${o.pullSlots} clients`);
          const bound = await measureBound(stub, { clients: o.pullSlots });
          log(`bound: ${bound.mibPerSecond.toFixed(0)} MiB/s; starting ${o.realNodes} real nodes`);
          const storm = await withNodes(stub, sandbox.url, o.realNodes, 'storm', (nodes) => {
            log(
              `storm: ${o.virtualNodes} virtual + ${o.realNodes} real nodes, ${o.realPods + o.virtualNodes} pods`,
            );
            return runStorm({
              stub,
              nodes,
              realPods: o.realPods,
              virtualNodes: o.virtualNodes,
              imageBytes,
              threads: o.threads,
              pullSlots: o.pullSlots,
              timeoutMs: o.timeoutSeconds * 1000,
            });
          });
          const boundSeconds = storm.registry.bytesServed / MiB / bound.mibPerSecond;
          const ratio = storm.pulledSeconds / boundSeconds;
          return {
            options: o,
            storm,
            bound,
            boundSeconds,
            ratio,
            load: { before, after: await loadAverage() },
          };
        },
      ),
  );
}

/** The storm section of bench/RESULTS.md, and the verdict line printed last. */
export async function stormSection(footer: string): Promise<{ text: string; line: string }> {
  const result = await stormBench();
  return { text: stormMarkdown(result, footer), line: stormLine(result) };
}
