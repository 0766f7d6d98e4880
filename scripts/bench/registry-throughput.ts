/**
 * Blob throughput: the same 256 MiB blob served by the pullstorm stub and by distribution to the same
 * client (curl, --parallel) at 1, 8 and 64 concurrent downloads, plus each registry's memory.
 */

import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { pseudoRandomBytes } from '../../registry-stubs/fixtures/large.ts';
import { type BenchRegistry, rssBytes, sampleRss, startDistribution, startStub } from './processes.ts';

const run = promisify(execFile);
const MiB = 1024 * 1024;

/** One measured cell of the table. */
export interface ThroughputRow {
  concurrency: number;
  downloads: number;
  stubMiBs: number;
  distributionMiBs: number;
  ratio: number;
}

/** Options; defaults are the issue's: 256 MiB, concurrency 1/8/64, 3 repetitions (median). */
export interface ThroughputOptions {
  blobBytes?: number;
  concurrencies?: number[];
  repetitions?: number;
}

async function push(registry: BenchRegistry, blob: Uint8Array<ArrayBuffer>, digest: string): Promise<void> {
  const start = await fetch(`${registry.url}/v2/bench/blob/blobs/uploads/`, { method: 'POST' });
  if (start.status !== 202) throw new Error(`${registry.name}: upload start gave ${start.status}`);
  const location = new URL(start.headers.get('location')!, registry.url);
  location.searchParams.set('digest', digest);
  const put = await fetch(location, {
    method: 'PUT',
    body: blob,
    headers: { 'content-type': 'application/octet-stream' },
  });
  if (put.status !== 201) throw new Error(`${registry.name}: upload gave ${put.status}: ${await put.text()}`);
}

/** Downloads `downloads` copies with at most `concurrency` at once; returns MiB/s. */
async function download(
  url: string,
  downloads: number,
  concurrency: number,
  blobBytes: number,
): Promise<number> {
  const args = [
    '-s',
    '--fail',
    '--parallel',
    '--parallel-max',
    String(concurrency),
    '-w',
    '%{size_download}\n',
  ];
  for (let i = 0; i < downloads; i++) args.push('-o', '/dev/null', url);
  const t0 = performance.now();
  const { stdout } = await run('curl', args, { maxBuffer: 1 << 20 });
  const seconds = (performance.now() - t0) / 1000;
  const sizes = stdout.trim().split('\n').map(Number);
  const bad = sizes.filter((s) => s !== blobBytes);
  if (sizes.length !== downloads || bad.length > 0)
    throw new Error(`incomplete downloads from ${url}: ${sizes.join(',')}`);
  return (downloads * blobBytes) / MiB / seconds;
}

async function verify(registry: BenchRegistry, url: string, digest: string): Promise<void> {
  const body = new Uint8Array(await (await fetch(url)).arrayBuffer());
  const got = `sha256:${createHash('sha256').update(body).digest('hex')}`;
  if (got !== digest) throw new Error(`${registry.name} served ${got}, expected ${digest}`);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Runs the benchmark and returns the rows and the memory figures. */
export async function registryThroughput(options: ThroughputOptions = {}) {
  const blobBytes = options.blobBytes ?? 256 * MiB;
  const concurrencies = options.concurrencies ?? [1, 8, 64];
  const repetitions = options.repetitions ?? 3;
  const blob = pseudoRandomBytes(blobBytes, 42);
  const digest = `sha256:${createHash('sha256').update(blob).digest('hex')}`;
  const stub = await startStub();
  const distribution = await startDistribution();
  try {
    const stubIdle = await rssBytes(stub.pid);
    const distributionIdle = await rssBytes(distribution.pid);
    await push(stub, blob, digest);
    await push(distribution, blob, digest);
    const urls = new Map(
      [stub, distribution].map((r) => [r, `${r.url}/v2/bench/blob/blobs/${digest}`] as const),
    );
    for (const [r, url] of urls) await verify(r, url, digest);
    const stubLoaded = await rssBytes(stub.pid);
    const peaks = { stub: sampleRss(stub.pid), distribution: sampleRss(distribution.pid) };
    const rows: ThroughputRow[] = [];
    for (const concurrency of concurrencies) {
      const downloads = Math.max(concurrency, 8);
      const stubRuns: number[] = [];
      const distRuns: number[] = [];
      for (let i = 0; i < repetitions; i++) {
        stubRuns.push(await download(urls.get(stub)!, downloads, concurrency, blobBytes));
        distRuns.push(await download(urls.get(distribution)!, downloads, concurrency, blobBytes));
      }
      const stubMiBs = median(stubRuns);
      const distributionMiBs = median(distRuns);
      rows.push({ concurrency, downloads, stubMiBs, distributionMiBs, ratio: stubMiBs / distributionMiBs });
    }
    const memory = {
      stubIdle,
      stubWithBlob: stubLoaded,
      stubServingPeak: await peaks.stub.stop(),
      distributionIdle,
      distributionServingPeak: await peaks.distribution.stop(),
    };
    return { blobBytes, repetitions, rows, memory };
  } finally {
    await stub.stop();
    await distribution.stop();
  }
}
