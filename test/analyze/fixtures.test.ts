/**
 * The recorded-run fixtures: the committed files are exactly what `fixtures/write.ts` writes today,
 * they hold no secret, and they analyse to their verdicts. The 10,000-pod storm is generated, written
 * through `EventLog`, read back and analysed; the time is measured and printed, never asserted.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { analyze, readEventLog } from '../../harness/analyze/index.ts';
import { failingRun, PASSWORD, passingRun } from './fixtures/runs.ts';
import { STORM } from './fixtures/storm.ts';
import { writeLog, writeStorm } from './fixtures/write.ts';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pullstorm-fixtures-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

test.each([
  ['passing.jsonl', passingRun, 'pass'],
  ['failing.jsonl', failingRun, 'fail'],
] as const)('%s is up to date, holds no secret and analyses to %s', async (name, run, verdict) => {
  const fresh = join(dir, name);
  await writeLog(fresh, run());
  const committed = await readFile(join(fixtures, name), 'utf8');
  expect(await readFile(fresh, 'utf8'), 'regenerate with: node test/analyze/fixtures/write.ts').toBe(
    committed,
  );
  expect(committed).not.toContain(PASSWORD);
  const fromFile = analyze(await readEventLog(join(fixtures, name)));
  expect(fromFile.verdict).toBe(verdict);
  // Redaction removes only what analysis never reads.
  expect(fromFile).toEqual(analyze(run()));
});

test('a storm of 10,000 pods', async () => {
  const path = await writeStorm(join(dir, 'storm-10000.jsonl'));
  let started = performance.now();
  const events = await readEventLog(path);
  const readMs = performance.now() - started;
  started = performance.now();
  const a = analyze(events);
  const analyzeMs = performance.now() - started;
  console.info(
    `storm: ${events.length} events read in ${Math.round(readMs)} ms, analysed in ${Math.round(analyzeMs)} ms`,
  );
  expect(a.pods).toHaveLength(10_000);
  expect(a.pulls).toMatchObject({ attempts: 13_270, succeeded: 10_000, failed: 3_270 });
  expect(a.pulls.latency).toMatchObject({ count: 10_000, p50: 4_416, p99: 5_958, max: 6_422 });
  const [quota] = a.faults;
  expect(quota).toMatchObject({
    window: { startMs: STORM.faultStartMs, endMs: STORM.faultEndMs },
    classification: { counts: { 'rate-limited': 3_270 }, matching: 3_270, misclassified: 0, unclassified: 0 },
    backoffAtClear: { maxStepMs: 40_000 },
    unrecoveredPods: [],
  });
  expect(quota!.affectedPods).toHaveLength(1_090);
  expect(quota!.detection).toMatchObject({ first: { ms: 40 } });
  expect(a.registry).toMatchObject({
    requests: 35_620,
    tooManyRequests: 19_620,
    byRoute: { manifest: 30_620, blob: 5_000 },
    amplification: 1_000,
  });
  expect(Object.keys(a.registry.byClient)).toHaveLength(STORM.nodes);
  expect(a.drift.detected).toBe(false);
  expect(a.expectations.every((e) => e.passed)).toBe(true);
  expect(a.verdict).toBe('pass');
}, 180_000);
