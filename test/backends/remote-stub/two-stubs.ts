/**
 * The two real stubs the remote-stub tests talk to: `hub`, a `pullstorm serve --tls` process, and
 * `mirror`, an in-process `startServe`, each with its own CA and control token; and the pulls and
 * faults the tests make of them.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { get } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunEvent } from '../../../harness/events/types.ts';
import type { Fault } from '../../../harness/scenario/resolved.ts';
import { startServe } from '../../../registry-stubs/serve/serve-registry.ts';
import { type ServeProcess, startServeProcess } from '../../helpers/serve-process.ts';

export const MANIFEST = '/v2/pullstorm/tiny/manifests/1.0';
/** The manifest path of fixture `repo` (each test pulls its own, as the stubs' feeds keep every test's history). */
export const manifest = (repo: string) => `/v2/pullstorm/${repo}/manifests/1.0`;
const ACCEPT = 'application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json';

/** A real HTTPS pull of the tiny manifest, trusting `ca`; resolves with the status. */
export function pull(url: string, ca: string, repo = 'tiny'): Promise<number> {
  return new Promise((resolve, reject) => {
    get(`${url}${manifest(repo)}`, { ca, headers: { Accept: ACCEPT } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode!));
    }).on('error', reject);
  });
}

/** An `unknown-tag` fault on `repo`'s manifests, on every stub or on `registry` alone. */
export function fault(id: string, registry?: string, repo = 'tiny'): Fault {
  return {
    id,
    fault: 'unknown-tag',
    options: {},
    scope: {
      route: 'manifest',
      probability: 1,
      repository: `pullstorm/${repo}`,
      ...(registry ? { registry } : {}),
    },
    atMs: 0,
  };
}

export const of = <K extends RunEvent['kind']>(log: RunEvent[], kind: K) =>
  log.filter((e): e is Extract<RunEvent, { kind: K }> => e.kind === kind);

/** The stubs, their CAs and the work directory; `close()` stops both and removes it. */
export interface TwoStubs {
  work: string;
  hub: ServeProcess;
  hubCa: string;
  mirror: Awaited<ReturnType<typeof startServe>>;
  mirrorCa: string;
  close(): Promise<void>;
}

/** Starts `hub` (a serve process, token `hub-token`) and `mirror` (in-process, token `mirror-token`). */
export async function startTwoStubs(): Promise<TwoStubs> {
  const work = await mkdtemp(join(tmpdir(), 'pullstorm-remote-stub-'));
  const small = ['--large-size', '1024', '--large-layers', '1'];
  const hub = await startServeProcess([
    '--port',
    '0',
    '--tls',
    '--tls-dir',
    join(work, 'hub'),
    '--control-token',
    'hub-token',
    ...small,
  ]);
  const hubCa = await readFile(hub.ready.caFile!, 'utf8');
  const mirror = await startServe({
    host: '127.0.0.1',
    port: 0,
    tls: true,
    tlsDir: join(work, 'mirror'),
    auth: 'none',
    users: [],
    fixtures: true,
    largeSizeBytes: 1024,
    largeLayers: 1,
    controlToken: 'mirror-token',
  });
  const mirrorCa = await readFile(mirror.ready.caFile!, 'utf8');
  return {
    work,
    hub,
    hubCa,
    mirror,
    mirrorCa,
    async close() {
      await hub.stop();
      await mirror.close();
      await rm(work, { recursive: true, force: true });
    },
  };
}
