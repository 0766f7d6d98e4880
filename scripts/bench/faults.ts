/**
 * The fault layer's price and precision: throughput with no fault active, with and without the
 * fault engine and the per-node front door (same process, same client, same run), and the accuracy
 * of the latency and bandwidth faults (asked vs measured). The client is curl in its own process.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createRegistryApp } from '../../registry-stubs/app.ts';
import { digestOf } from '../../registry-stubs/digest.ts';
import { fixtureImages } from '../../registry-stubs/fixtures/catalogue.ts';
import { pseudoRandomBytes } from '../../registry-stubs/fixtures/large.ts';
import { startRegistry } from '../../registry-stubs/index.ts';
import { listen } from '../../registry-stubs/listen.ts';
import { seed } from '../../registry-stubs/seed.ts';
import { createStore } from '../../registry-stubs/storage/index.ts';

const run = promisify(execFile);
const MiB = 1024 * 1024;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

interface Target {
  name: string;
  url: string;
  close(): Promise<void>;
}

async function curlTimes(
  urls: string[],
  parallel: number,
  head = false,
): Promise<{ seconds: number; codes: string[] }> {
  const args = [
    '-s',
    '--parallel',
    '--parallel-max',
    String(parallel),
    '-w',
    '%{http_code} %{time_starttransfer}\n',
  ];
  if (head) args.push('-I');
  for (const url of urls) args.push('-o', '/dev/null', url);
  const t0 = performance.now();
  const { stdout } = await run('curl', args, { maxBuffer: 16 << 20 });
  return { seconds: (performance.now() - t0) / 1000, codes: stdout.trim().split('\n') };
}

/** Options: blob size (default 64 MiB) and repetitions (default 5, median). */
export async function faultLayerBench(options: { blobBytes?: number; repetitions?: number } = {}) {
  const blobBytes = options.blobBytes ?? 64 * MiB;
  const repetitions = options.repetitions ?? 5;
  const blob = pseudoRandomBytes(blobBytes, 7);
  const digest = digestOf(blob);
  const images = fixtureImages({ include: ['tiny'] });
  const load = async (store: ReturnType<typeof createStore>) => {
    for (const image of images) await seed(store, image);
    await store.putBlob('bench/blob', digest, blob);
  };

  // (a) the bare registry app: no fault layer at all.
  const bareStore = createStore();
  await load(bareStore);
  const bare = await listen(createRegistryApp({ store: bareStore }).fetch, { host: '127.0.0.1', port: 0 });
  // (b) startRegistry: the fault engine in front of every request, nothing applied.
  const engine = await startRegistry({ images });
  await load(engine.store);
  // (c) the engine behind a per-node front door (the TCP layer), nothing applied.
  const door = await startRegistry({ images, endpoints: [{ name: 'node-0', host: '127.0.0.1', port: 0 }] });
  await load(door.store);
  const targets: Target[] = [
    { name: 'bare app (no fault layer)', url: bare.url, close: () => bare.close() },
    { name: 'fault engine, idle', url: engine.url, close: () => engine.close() },
    { name: 'fault engine + front door, idle', url: door.url, close: () => door.close() },
  ];
  try {
    const rows: { name: string; blobMiBs: number; headsPerSecond: number }[] = [];
    const samples = new Map(targets.map((t) => [t.name, { blob: [] as number[], heads: [] as number[] }]));
    const heads = 2000;
    for (let i = 0; i < repetitions; i++) {
      // Interleave the targets so drift on a busy machine hits all of them alike.
      for (const t of targets) {
        const s = samples.get(t.name)!;
        const b = await curlTimes(Array(8).fill(`${t.url}/v2/bench/blob/blobs/${digest}`), 8);
        s.blob.push((8 * blobBytes) / MiB / b.seconds);
        const h = await curlTimes(Array(heads).fill(`${t.url}/v2/pullstorm/tiny/manifests/1.0`), 16, true);
        if (h.codes.some((c) => !c.startsWith('200'))) throw new Error(`${t.name}: a HEAD failed`);
        s.heads.push(heads / h.seconds);
      }
    }
    for (const t of targets) {
      const s = samples.get(t.name)!;
      rows.push({ name: t.name, blobMiBs: median(s.blob), headsPerSecond: median(s.heads) });
    }

    // Accuracy through the door: bandwidth caps per connection and latency per connection.
    const accuracy: { fault: string; asked: string; measured: string; error: string }[] = [];
    const url = `${door.url}/v2/bench/blob/blobs/${digest}`;
    for (const mib of [1, 5, 20]) {
      const fault = await door.faults.apply({ fault: 'bandwidth', options: { bytesPerSecond: mib * MiB } });
      const bytes = Math.min(blobBytes, mib * MiB * 3);
      const t0 = performance.now();
      await run('curl', ['-s', '-o', '/dev/null', '-r', `0-${bytes - 1}`, url]);
      const rate = bytes / MiB / ((performance.now() - t0) / 1000);
      await fault.clear();
      accuracy.push({
        fault: 'bandwidth',
        asked: `${mib} MiB/s`,
        measured: `${rate.toFixed(2)} MiB/s`,
        error: pct(rate, mib),
      });
    }
    const ttfb = async () => {
      const { codes } = await curlTimes([`${door.url}/v2/pullstorm/tiny/manifests/1.0`], 1, true);
      return Number(codes[0]!.split(' ')[1]) * 1000;
    };
    const baseline: number[] = [];
    for (let i = 0; i < 5; i++) baseline.push(await ttfb());
    const base = median(baseline);
    for (const ms of [50, 200]) {
      const fault = await door.faults.apply({ fault: 'latency', options: { connectionMs: ms } });
      const measured: number[] = [];
      for (let i = 0; i < 5; i++) measured.push((await ttfb()) - base);
      await fault.clear();
      const m = median(measured);
      accuracy.push({
        fault: 'latency',
        asked: `${ms} ms`,
        measured: `${m.toFixed(1)} ms`,
        error: pct(m, ms),
      });
    }
    return { blobBytes, repetitions, heads, rows, accuracy };
  } finally {
    for (const t of targets) await t.close();
  }
}

function pct(measured: number, asked: number): string {
  const e = ((measured - asked) / asked) * 100;
  return `${e >= 0 ? '+' : ''}${e.toFixed(1)} %`;
}

/** The benchmark as Markdown. */
export async function faultLayerMarkdown(): Promise<string[]> {
  const r = await faultLayerBench();
  const base = r.rows[0]!;
  const overhead = (x: number, b: number) => `${(((b - x) / b) * 100).toFixed(1)} %`;
  return [
    `### Fault layer cost when idle (8 × ${r.blobBytes / MiB} MiB blob downloads and ${r.heads} manifest HEADs, curl, median of ${r.repetitions})`,
    '',
    '| configuration | blob MiB/s | overhead | HEADs/s | overhead |',
    '|---|---:|---:|---:|---:|',
    ...r.rows.map(
      (row) =>
        `| ${row.name} | ${row.blobMiBs.toFixed(0)} | ${overhead(row.blobMiBs, base.blobMiBs)} | ${row.headsPerSecond.toFixed(0)} | ${overhead(row.headsPerSecond, base.headsPerSecond)} |`,
    ),
    '',
    '### Fault accuracy through the front door (asked vs measured)',
    '',
    '| fault | asked | measured | error |',
    '|---|---:|---:|---:|',
    ...r.accuracy.map((a) => `| ${a.fault} | ${a.asked} | ${a.measured} | ${a.error} |`),
    '',
  ];
}
