import { afterAll, describe, expect, it } from 'vitest';
import { latency } from '../../../registry-stubs/faults/net/index.ts';
import { blobServer, doorFor, request } from './helpers.ts';

const server = blobServer();
afterAll(() => server.close());

/** Median of `values`. */
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Median time to response headers over `n` fresh connections to `url`. */
async function headersMs(url: string, n: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) times.push((await request(url)).headersMs!);
  return times;
}

describe('latency', () => {
  it('delays each connection by connectionMs (asked vs measured, over a baseline)', async () => {
    await using door = await doorFor(server);
    const baseline = median(await headersMs(`${door.url}/`, 5));
    const id = await door.faults.apply(latency({ connectionMs: 150 }));
    const times = await headersMs(`${door.url}/`, 5);
    const measured = median(times) - baseline;
    console.log(
      `latency connectionMs asked 150 ms, measured ${measured.toFixed(1)} ms (baseline ${baseline.toFixed(1)} ms)`,
    );
    // A timer never fires early: every connection waited at least the delay; the median minus the baseline stays close.
    expect(Math.min(...times)).toBeGreaterThanOrEqual(149);
    expect(measured).toBeLessThan(150 * 1.3);
    await door.faults.clear(id);
    expect(median(await headersMs(`${door.url}/`, 3))).toBeLessThan(100);
  });

  it('delays each response chunk by chunkMs', async () => {
    await using door = await doorFor(server);
    const size = 16 * 64 * 1024;
    const runs = [];
    for (let i = 0; i < 3; i++) runs.push((await request(`${door.url}/blob?size=${size}`)).ms);
    const baseline = median(runs);
    await door.faults.apply(latency({ chunkMs: 20 }));
    const outcome = await request(`${door.url}/blob?size=${size}`);
    expect(outcome.bytes).toBe(size);
    // 16 body chunks of 64 KiB; the headers ride with the first one.
    const measured = (outcome.ms - baseline) / 16;
    console.log(`latency chunkMs asked 20 ms, measured ${measured.toFixed(2)} ms per chunk (16 chunks)`);
    // Overshoot is carried as debt, never undershoot: the delays add up to at least 16 × 20 ms.
    expect(outcome.ms).toBeGreaterThanOrEqual(16 * 20 - 1);
    expect(measured).toBeLessThan(20 * 1.3);
  });

  it('jitters within ± jitter around the base, from the seed', async () => {
    await using door = await doorFor(server);
    const baseline = median(await headersMs(`${door.url}/`, 3));
    await door.faults.apply(latency({ connectionMs: 100, connectionJitterMs: 50, seed: 3 }));
    const raw = await headersMs(`${door.url}/`, 12);
    const times = raw.map((t) => t - baseline);
    const mean = times.reduce((a, b) => a + b, 0) / times.length;
    console.log(
      `latency 100 ± 50 ms: measured min ${Math.min(...times).toFixed(1)}, mean ${mean.toFixed(1)}, max ${Math.max(...times).toFixed(1)} ms`,
    );
    expect(Math.min(...raw)).toBeGreaterThanOrEqual(49);
    expect(Math.max(...times)).toBeLessThan(150 * 1.3);
    expect(Math.max(...times) - Math.min(...times)).toBeGreaterThan(20);
  });

  it('rejects jitter larger than its base and a latency of nothing', () => {
    expect(() => latency({ connectionMs: 10, connectionJitterMs: 20 })).toThrow(
      'latency: connectionJitterMs must be ≤ connectionMs (10), got 20',
    );
    expect(() => latency({})).toThrow('latency: connectionMs or chunkMs must be above 0, got 0 and 0');
  });
});
