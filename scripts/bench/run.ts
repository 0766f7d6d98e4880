/**
 * `npm run bench`: runs the benchmarks, prints Markdown tables and writes them to bench/RESULTS.md.
 * Speed targets live here, never in timed tests.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { runtimeVersion } from '../../harness/runtime.ts';
import { registryThroughput } from './registry-throughput.ts';

const MiB = 1024 * 1024;
const fmt = (n: number, digits = 0) => n.toFixed(digits);

const started = new Date().toISOString();
const result = await registryThroughput();
const lines = [
  `### Registry blob throughput (${result.blobBytes / MiB} MiB blob, curl --parallel, median of ${result.repetitions})`,
  '',
  '| concurrent downloads | downloads | pullstorm stub MiB/s | distribution 2.8 MiB/s | stub ÷ distribution |',
  '|---:|---:|---:|---:|---:|',
  ...result.rows.map(
    (r) =>
      `| ${r.concurrency} | ${r.downloads} | ${fmt(r.stubMiBs)} | ${fmt(r.distributionMiBs)} | ${fmt(r.ratio, 2)} |`,
  ),
  '',
  '| memory (RSS) | pullstorm stub | distribution 2.8 |',
  '|---|---:|---:|',
  `| idle, empty | ${fmt(result.memory.stubIdle / MiB)} MiB | ${fmt(result.memory.distributionIdle / MiB)} MiB |`,
  `| holding the blob, idle | ${fmt(result.memory.stubWithBlob / MiB)} MiB | (on disk) |`,
  `| peak while serving | ${fmt(result.memory.stubServingPeak / MiB)} MiB | ${fmt(result.memory.distributionServingPeak / MiB)} MiB |`,
  '',
  `Made by \`npm run bench\` on ${started.slice(0, 10)} (${runtimeVersion()}), 2 cores, loopback; the stub keeps blobs in memory, distribution on disk (page cache).`,
];
const text = `${lines.join('\n')}\n`;
process.stdout.write(text);
await mkdir('bench', { recursive: true });
await writeFile('bench/RESULTS.md', text);
