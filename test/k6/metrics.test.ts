/**
 * The k6 scripts' custom metrics as k6 sees them: the library is bundled as k6 loads it, with a
 * recording stand-in for `k6/metrics`, so each metric's type and its `isTime` flag are checked
 * (a byte counter flagged as time shows bytes as durations in k6's summary).
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { rolldown } from 'rolldown';
import { expect, it } from 'vitest';

const FAKE_METRICS = `
const made = (globalThis.__k6metrics ??= []);
const metric = (type) => class { constructor(name, isTime) { made.push({ type, name, isTime: isTime === true }); } add() {} };
export const Counter = metric('Counter');
export const Rate = metric('Rate');
export const Trend = metric('Trend');
export const Gauge = metric('Gauge');
`;

it('custom metrics: bytes and counts are not time metrics; only the pull duration is', async () => {
  const build = await rolldown({
    input: 'scenarios/k6/lib/metrics.ts',
    plugins: [
      {
        name: 'fake-k6-metrics',
        resolveId: (id) => (id === 'k6/metrics' ? '\0k6-metrics' : null),
        load: (id) => (id === '\0k6-metrics' ? FAKE_METRICS : null),
      },
    ],
  });
  const { output } = await build.generate({ format: 'esm' });
  const file = join(await mkdtemp(join(tmpdir(), 'pullstorm-k6-metrics-')), 'metrics.mjs');
  await writeFile(file, output[0].code);
  await import(pathToFileURL(file).href);
  const made = (globalThis as { __k6metrics?: { type: string; name: string; isTime: boolean }[] })
    .__k6metrics;
  expect(made).toEqual([
    { type: 'Counter', name: 'registry_429s', isTime: false },
    { type: 'Counter', name: 'registry_origin_bytes', isTime: false },
    { type: 'Rate', name: 'registry_pull_ok', isTime: false },
    { type: 'Trend', name: 'registry_pull_duration', isTime: true },
    { type: 'Counter', name: 'registry_digest_mismatches', isTime: false },
  ]);
});
