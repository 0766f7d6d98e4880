/**
 * A fuzz run against `pullstorm serve` as a user starts it (control token on, front door, fixture
 * images): a few thousand generated hostile requests (scripts/bench/hostile-requests.ts), bounded
 * in count and time, asserting no 5xx, no crash and RSS growth bounded. The 100,000-request soak is
 * a benchmark (`npm run bench -- --only soak`), never a timed test.
 */
import { describe, expect, it } from 'vitest';
import { type FuzzTally, hostileRequests, sendAll } from '../../../scripts/bench/hostile-requests.ts';
import { rssBytes } from '../../../scripts/bench/processes.ts';
import { startServeProcess } from '../../helpers/serve-process.ts';

const REQUESTS = 3_000;
const rssMiB = async (pid: number) => (await rssBytes(pid)) / 2 ** 20;

describe('pullstorm serve under fuzzed requests', () => {
  it(`answers ${REQUESTS} hostile requests without a 5xx or a crash, RSS growing less than 128 MiB`, async () => {
    await using serve = await startServeProcess([
      '--port',
      '0',
      '--control-token',
      't',
      '--large-size',
      '4096',
    ]);
    const pid = serve.child.pid!;
    const before = await rssMiB(pid);
    const tally: FuzzTally = { requests: 0, byClass: {}, serverErrors: [] };
    const deadline = AbortSignal.timeout(90_000);
    for (let batch = 0; batch < REQUESTS / 500 && !deadline.aborted; batch++) {
      await sendAll(serve.ready.url, hostileRequests(500, 17_000 + batch), 16, tally);
    }
    expect(tally.serverErrors).toEqual([]);
    expect(serve.child.exitCode).toBeNull();
    expect(tally.byClass['4xx'] ?? 0).toBeGreaterThan(tally.requests / 2);
    expect((await rssMiB(pid)) - before).toBeLessThan(128);
  }, 120_000);
});
