/** An origin stub with one door for the mirror, and a real mirror in front of it, for the mirror tests. */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProcessMirrorType } from '../../harness/mirrors/requirements.ts';
import { type StartedMirror, startProcessMirror } from '../../harness/mirrors/start.ts';
import { onPathSync } from '../../harness/mirrors/which.ts';
import type { RegistryRequestEvent } from '../../registry-stubs/events.ts';
import { fixtureImages } from '../../registry-stubs/fixtures/catalogue.ts';
import { type RunningRegistry, startRegistry } from '../../registry-stubs/index.ts';

export const hasDistribution = onPathSync('docker-registry');
export const hasNginx = onPathSync('nginx');

/** The origin, the requests it saw, and a mirror with one door (`node`, 127.0.0.1). */
export interface MirrorRig extends AsyncDisposable {
  origin: RunningRegistry;
  requests: RegistryRequestEvent[];
  mirror: StartedMirror;
  /** The node door's URL. */
  url: string;
  /** The origin's blob GETs with status 200, per digest. */
  originBlobGets(): Map<string, number>;
}

/** Options of {@link mirrorRig}: nginx's lock, the origin's auth mode and the mirror's credentials. */
export interface MirrorRigOptions {
  lock?: boolean;
  /** The origin asks for credentials (user `ci`, password `s3cret`, pull on everything). */
  auth?: 'basic' | 'token';
  credentials?: { username: string; password: string };
}

export async function mirrorRig(type: ProcessMirrorType, o: MirrorRigOptions = {}): Promise<MirrorRig> {
  const requests: RegistryRequestEvent[] = [];
  const origin = await startRegistry({
    endpoints: [{ name: 'mirror', host: '127.0.0.1' }],
    images: fixtureImages({
      include: ['tiny', 'large', 'multiarch', 'arm64-only', 'no-amd64'],
      largeSizeBytes: 4 * 1024 * 1024,
      largeLayers: 2,
    }),
    onRequest: (e) => requests.push(e),
    ...(o.auth
      ? {
          auth: {
            mode: o.auth,
            users: [{ username: 'ci', password: 's3cret', access: [{ repository: '*', actions: ['pull'] }] }],
          },
        }
      : {}),
  });
  const root = await mkdtemp(join(tmpdir(), 'pullstorm-mirror-test-'));
  const mirror = await startProcessMirror({
    runId: 'mirror-test',
    name: 'cache',
    type,
    origin: origin.endpoints[0]!.url,
    root,
    endpoints: [{ name: 'node', host: '127.0.0.1' }],
    ...(o.lock === undefined ? {} : { lock: o.lock }),
    ...(o.credentials ? { credentials: o.credentials } : {}),
  }).catch(async (error) => {
    await origin.close();
    throw error;
  });
  return {
    origin,
    requests,
    mirror,
    url: mirror.endpoints[0]!.url,
    originBlobGets() {
      const counts = new Map<string, number>();
      for (const r of requests) {
        if (r.route === 'blob' && r.method === 'GET' && r.status === 200 && r.reference) {
          counts.set(r.reference, (counts.get(r.reference) ?? 0) + 1);
        }
      }
      return counts;
    },
    async [Symbol.asyncDispose]() {
      await mirror.close();
      await origin.close();
    },
  };
}

const ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
].join(', ');

/** GETs a manifest through `url`; its status, digest header and body. */
export async function getManifest(url: string, repo: string, ref: string) {
  const r = await fetch(`${url}/v2/${repo}/manifests/${ref}`, { headers: { accept: ACCEPT } });
  const body = await r.text();
  return { status: r.status, digest: r.headers.get('docker-content-digest'), body, headers: r.headers };
}

/** The layer digests of an image manifest (the first manifest of an index). */
export async function layersOf(url: string, repo: string, ref: string): Promise<string[]> {
  const m = await getManifest(url, repo, ref);
  const doc = JSON.parse(m.body) as { manifests?: { digest: string }[]; layers?: { digest: string }[] };
  if (doc.manifests) return layersOf(url, repo, doc.manifests[0]!.digest);
  return (doc.layers ?? []).map((l) => l.digest);
}

/** GETs a blob and reads it whole; its status and length. */
export async function getBlob(url: string, repo: string, digest: string) {
  const r = await fetch(`${url}/v2/${repo}/blobs/${digest}`);
  const bytes = (await r.arrayBuffer()).byteLength;
  return { status: r.status, bytes, headers: r.headers };
}

/** A `registry.request` line of a run's events.jsonl, as the mirror run tests read it. */
export interface LoggedRequest {
  kind: string;
  registry: string;
  endpoint?: string;
  route?: string;
  method: string;
  status: number;
}

/** The origin's (`registry`'s) successful blob GETs in run output `out`. */
export async function originBlobGets(out: string, registry = 'registry'): Promise<LoggedRequest[]> {
  const text = await readFile(join(out, 'events.jsonl'), 'utf8');
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as LoggedRequest)
    .filter(
      (e) =>
        e.kind === 'registry.request' &&
        e.registry === registry &&
        e.route === 'blob' &&
        e.method === 'GET' &&
        e.status === 200,
    );
}
