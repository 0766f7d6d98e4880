/**
 * The harness's event-loop delay while a scenario runs, sampled with a plain interval timer (the
 * same on Node and Deno): how late each tick fired. A busy loop fires every timer late, kubelet's
 * and the fault timeline's too, so the report carries these figures and a distorted run is visible.
 */

/** Percentiles of the sampled delay, ms. */
export interface LoopDelay {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** A running sampler; `stop()` ends it and returns the figures. */
export interface LoopDelaySampler {
  stop(): LoopDelay;
}

/** Percentile `p` (0–100) of sorted `values`, nearest rank; 0 when empty. */
function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

const round = (ms: number) => Math.round(ms * 10) / 10;

/** Starts sampling every `periodMs` (default 20 ms); the timer never keeps the process alive. */
export function sampleLoopDelay(periodMs = 20): LoopDelaySampler {
  const samples: number[] = [];
  let expected = performance.now() + periodMs;
  const timer = setInterval(() => {
    const now = performance.now();
    samples.push(Math.max(0, now - expected));
    expected = now + periodMs;
  }, periodMs);
  (timer as { unref?: () => void }).unref?.();
  let result: LoopDelay | undefined;
  return {
    stop() {
      if (result) return result;
      clearInterval(timer);
      const sorted = samples.sort((a, b) => a - b);
      result = {
        p50Ms: round(percentile(sorted, 50)),
        p99Ms: round(percentile(sorted, 99)),
        maxMs: round(sorted.at(-1) ?? 0),
      };
      return result;
    },
  };
}
