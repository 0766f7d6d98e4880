/** Markdown of the registry throughput benchmark (registry-throughput.ts). */
import type { registryThroughput } from './registry-throughput.ts';

const MiB = 1024 * 1024;
const fmt = (n: number, digits = 0) => n.toFixed(digits);

/** The registry section of bench/RESULTS.md. */
export function registryMarkdown(
  result: Awaited<ReturnType<typeof registryThroughput>>,
  footer: string,
): string {
  return [
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
    `${footer}; the stub keeps blobs in memory, distribution on disk (page cache).`,
  ].join('\n');
}
