/**
 * One image pull at the HTTP level, in containerd's order: HEAD the manifest (resolve), GET it, pick
 * the platform from an index, GET the platform manifest, then the config and layer blobs, each
 * checked against its digest. Every request is tagged with its route (`manifest`, `blob`, `token`)
 * so thresholds and the summary split by it.
 */
import crypto from 'k6/crypto';
import http, { type RefinedParams, type RefinedResponse, type ResponseType } from 'k6/http';
import { authorize, cachedAuthorization, parseChallenge } from './auth.ts';
import { account, header } from './http.ts';
import type { Identity } from './identity.ts';
import { digestMismatches, originBytes, pullDuration, pullOk } from './metrics.ts';

const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

interface Descriptor {
  digest: string;
  size?: number;
  mediaType?: string;
  platform?: { os?: string; architecture?: string; variant?: string };
}

/** What one pull did. */
export interface PullResult {
  ok: boolean;
  /** The status that stopped it, when it failed on a status. */
  status?: number;
  /** Why it failed. */
  error?: string;
}

/** Sends a request, answering one auth challenge like containerd (a second 401 is final). */
function send<RT extends ResponseType>(
  method: 'GET' | 'HEAD',
  url: string,
  route: string,
  scope: string,
  id: Identity | undefined,
  params: RefinedParams<RT>,
): RefinedResponse<RT> {
  const go = (auth?: string) =>
    account(
      http.request(method, url, null, {
        ...params,
        headers: { ...params.headers, ...(auth ? { Authorization: auth } : {}) },
        tags: { route },
        // 401 (challenge), 404 and 429 are answers the script inspects, not transport failures.
        responseCallback: http.expectedStatuses({ min: 200, max: 399 }, 401),
      }),
      route,
    );
  const first = go(cachedAuthorization(scope));
  if (first.status !== 401) return first;
  const auth = parseChallenge(header(first, 'WWW-Authenticate'));
  const answer = auth && authorize(auth, scope, id);
  return answer ? go(answer) : first;
}

/** Pulls `repository:reference` from `base` for `platform` (`os/arch[/variant]`). */
export function pull(
  base: string,
  repository: string,
  reference: string,
  platform: string,
  id?: Identity,
): PullResult {
  const started = Date.now();
  const scope = `repository:${repository}:pull`;
  const result = pullSteps(base, repository, reference, platform, scope, id);
  pullOk.add(result.ok);
  pullDuration.add(Date.now() - started, { ok: String(result.ok) });
  return result;
}

function pullSteps(
  base: string,
  repo: string,
  ref: string,
  platform: string,
  scope: string,
  id: Identity | undefined,
): PullResult {
  const manifestUrl = (r: string) => `${base}/v2/${repo}/manifests/${r}`;
  const accept = { headers: { Accept: MANIFEST_TYPES } };
  const head = send('HEAD', manifestUrl(ref), 'manifest', scope, id, { ...accept, responseType: 'none' });
  if (head.status !== 200) return { ok: false, status: head.status, error: `HEAD manifest: ${head.status}` };
  let manifest = send('GET', manifestUrl(ref), 'manifest', scope, id, { ...accept, responseType: 'text' });
  if (manifest.status !== 200)
    return { ok: false, status: manifest.status, error: `GET manifest: ${manifest.status}` };
  let body = manifest.json() as { manifests?: Descriptor[]; config?: Descriptor; layers?: Descriptor[] };
  if (body.manifests) {
    const [os, arch, variant] = platform.split('/');
    const chosen = body.manifests.find(
      (m) =>
        m.platform?.os === os &&
        m.platform?.architecture === arch &&
        (!variant || m.platform?.variant === variant),
    );
    if (!chosen) return { ok: false, error: 'no match for platform in manifest: not found' };
    manifest = send('GET', manifestUrl(chosen.digest), 'manifest', scope, id, {
      ...accept,
      responseType: 'text',
    });
    if (manifest.status !== 200)
      return { ok: false, status: manifest.status, error: `GET platform manifest: ${manifest.status}` };
    body = manifest.json() as typeof body;
  }
  for (const blob of [...(body.config ? [body.config] : []), ...(body.layers ?? [])]) {
    const res = send('GET', `${base}/v2/${repo}/blobs/${blob.digest}`, 'blob', scope, id, {
      responseType: 'binary',
    });
    if (res.status !== 200)
      return { ok: false, status: res.status, error: `GET blob ${blob.digest}: ${res.status}` };
    const bytes = res.body as ArrayBuffer;
    originBytes.add(bytes.byteLength);
    if (`sha256:${crypto.sha256(bytes, 'hex')}` !== blob.digest) {
      digestMismatches.add(1);
      return { ok: false, error: `unexpected commit digest for ${blob.digest}` };
    }
  }
  return { ok: true };
}
