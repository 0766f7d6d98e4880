/**
 * The storm's bound: how fast the stub serves the storm image's layers to many clients at once when
 * the client is curl (no hashing, no kubelet), measured in the same run as the storm, so a storm's
 * time can be read as a multiple of what the registry itself allows on this machine right now.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { StubProcess } from './stub-process.ts';

const run = promisify(execFile);
const MiB = 1024 * 1024;

/** What the bound measurement found. */
export interface BoundResult {
  clients: number;
  downloads: number;
  /** Median of the rounds, MiB/s. */
  mibPerSecond: number;
  rounds: number[];
}

interface Blob {
  digest: string;
  size: number;
}

const manifestTypes = [
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
].join(', ');

/** The layers of `repository:tag` on the stub (following an index to its first manifest). */
async function layers(stub: StubProcess, repository: string, reference: string): Promise<Blob[]> {
  const response = await fetch(`${stub.url}/v2/${repository}/manifests/${reference}`, {
    headers: { accept: manifestTypes },
  });
  if (!response.ok) throw new Error(`bound: manifest ${repository}:${reference} gave ${response.status}`);
  const body = (await response.json()) as { manifests?: Blob[]; layers?: Blob[] };
  if (body.manifests?.[0]) return layers(stub, repository, body.manifests[0].digest);
  if (!body.layers?.length) throw new Error(`bound: ${repository}:${reference} has no layers`);
  return body.layers;
}

/**
 * Downloads the image's layers `clients` at a time (`downloads` in all, cycling over the layers)
 * with curl --parallel, `rounds` times; every download must arrive whole.
 */
export async function measureBound(
  stub: StubProcess,
  o: { clients?: number; downloads?: number; rounds?: number } = {},
): Promise<BoundResult> {
  const clients = o.clients ?? 64;
  const downloads = o.downloads ?? 4 * clients;
  const blobs = await layers(stub, 'pullstorm/storm', '1.0');
  const rounds: number[] = [];
  for (let round = 0; round < (o.rounds ?? 3); round++) {
    const args = [
      '-s',
      '--fail',
      '--parallel',
      '--parallel-max',
      String(clients),
      '-w',
      '%{size_download}\n',
    ];
    let expected = 0;
    for (let i = 0; i < downloads; i++) {
      const blob = blobs[i % blobs.length]!;
      expected += blob.size;
      args.push('-o', '/dev/null', `${stub.url}/v2/pullstorm/storm/blobs/${blob.digest}`);
    }
    const t0 = performance.now();
    const { stdout } = await run('curl', args, { maxBuffer: 16 << 20 });
    const seconds = (performance.now() - t0) / 1000;
    const got = stdout.trim().split('\n').map(Number);
    const total = got.reduce((a, b) => a + b, 0);
    if (got.length !== downloads || total !== expected)
      throw new Error(
        `bound: curl got ${total} of ${expected} bytes in ${got.length}/${downloads} downloads`,
      );
    rounds.push(total / MiB / seconds);
  }
  await stub.collect(); // the storm's own request log starts empty
  const sorted = [...rounds].sort((a, b) => a - b);
  return { clients, downloads, mibPerSecond: sorted[Math.floor(sorted.length / 2)]!, rounds };
}
