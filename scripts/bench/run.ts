/**
 * `npm run bench`: runs the benchmarks, prints Markdown tables and writes them to bench/RESULTS.md.
 * `--only registry`, `--only cluster`, `--only faults`, `--only soak`, `--only clock`, `--only storm` or `--only cli` runs one (its tables replace its own
 * section; the others'
 * last results stay). `--only clock --scenario a,b` compares only those built-ins. Speed targets live here, never in timed tests.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { runtimeVersion } from '../../harness/runtime.ts';
import { cliStartup, cliStartupMarkdown } from './cli-startup.ts';
import { clockBench, clockMarkdown } from './clock.ts';
import { clusterBench } from './cluster.ts';
import { clusterMarkdown } from './cluster-report.ts';
import { faultLayerMarkdown } from './faults.ts';
import { cores } from './proc-stats.ts';
import { registryMarkdown } from './registry-report.ts';
import { registryThroughput } from './registry-throughput.ts';
import { mergeResults } from './results-file.ts';
import { soak, soakMarkdown } from './soak.ts';
import { stormSection } from './storm.ts';

/** Printed after everything else: the storm's one-line verdict must be the output's last line. */
let lastLine: string | undefined;

const benchmarks = {
  registry: async (footer: string) => registryMarkdown(await registryThroughput(), footer),
  cluster: async (footer: string) => clusterMarkdown(await clusterBench(), footer),
  faults: async (footer: string) =>
    [...(await faultLayerMarkdown()), `${footer}; the client is curl.`].join('\n'),
  soak: async (footer: string) => soakMarkdown(await soak(), footer),
  clock: async (footer: string) =>
    clockMarkdown(await clockBench((line) => process.stderr.write(`${line}\n`), scenarios), footer),
  storm: async (footer: string) => {
    const { text, line } = await stormSection(footer);
    lastLine = line;
    return text;
  },
  cli: async (footer: string) => cliStartupMarkdown(await cliStartup(), footer),
};
type Name = keyof typeof benchmarks;
const names = Object.keys(benchmarks) as Name[];

const { values } = parseArgs({
  options: { only: { type: 'string', multiple: true }, scenario: { type: 'string', multiple: true } },
});
const only = (values.only ?? []).flatMap((v) => v.split(','));
/** `--scenario a,b`: the clock bench compares only these built-ins. */
const scenarios = (values.scenario ?? []).flatMap((v) => v.split(','));
const unknown = only.filter((n) => !names.includes(n as Name));
if (unknown.length) {
  process.stderr.write(`bench: unknown --only ${unknown.join(', ')}; expected ${names.join(', ')}\n`);
  process.exit(2);
}
const selected = only.length ? names.filter((n) => only.includes(n)) : names;
const command =
  (only.length ? `node scripts/bench/run.ts --only ${selected.join(',')}` : 'npm run bench') +
  (scenarios.length ? ` --scenario ${scenarios.join(',')}` : '');

const updates = new Map<string, string>();
for (const name of selected) {
  const date = new Date().toISOString().slice(0, 10);
  const footer = `Made by \`${command}\` on ${date} (${runtimeVersion()}), ${cores} cores, loopback`;
  const text = await benchmarks[name](footer);
  process.stdout.write(`${text}\n\n`);
  updates.set(name, text);
}
await mkdir('bench', { recursive: true });
const existing = await readFile('bench/RESULTS.md', 'utf8').catch(() => '');
await writeFile('bench/RESULTS.md', mergeResults(existing, updates, names));
if (lastLine !== undefined) process.stdout.write(`${lastLine}\n`);
