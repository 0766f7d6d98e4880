/**
 * `dockerResolver.Resolve` (remotes/docker/resolver.go, 1.7): HEAD `manifests/<ref>` on every host
 * able to resolve, in order. A 404 moves on silently; any other failure is remembered (the first
 * one wins) and the next host is tried; a 2xx gives the descriptor from Docker-Content-Digest and
 * Content-Length, or from a GET of the manifest when either is missing. All 404 → `<ref>: not found`.
 */
import { createHash } from 'node:crypto';
import type { Authorizer } from './authorizer.ts';
import { asGoError, type GoError, goErrorf } from './go-error.ts';
import { isProxy, type RegistryHost } from './hosts.ts';
import { doWithRetries, type PullSession, type RegistryRequest } from './request.ts';
import { unexpectedStatus } from './token.ts';
import { discard, type HttpResponse, readBody } from './transport.ts';

/** A content descriptor as the pull walks it. */
export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: { os: string; architecture: string; variant?: string };
}

/** What the resolver needs to know about the reference. */
export interface ResolveTarget {
  /** The full reference, e.g. `127.0.0.1:5000/pullstorm/tiny:1.0`. */
  ref: string;
  /** Registry namespace, e.g. `127.0.0.1:5000`. */
  namespace: string;
  /** Repository path inside the registry, e.g. `pullstorm/tiny`. */
  repository: string;
  /** Tag, or '' for a digest reference. */
  tag: string;
  /** Digest, or ''. */
  digest: string;
}

const resolveAccept = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
  '*',
].join(', ');

/** `MaxManifestSize`: 4 × 1048 × 1048 bytes (sic). */
const maxManifestSize = 4 * 1048 * 1048;

/** `dockerBase.request` path: API root, repository, the parts, and `?ns=` for a mirror. */
export function requestPath(host: RegistryHost, target: ResolveTarget, ...parts: string[]): string {
  const path = `/${[host.path, target.repository, ...parts].join('/')}`.replace(/\/{2,}/g, '/');
  return isProxy(host, target.namespace) ? `${path}?ns=${encodeURIComponent(target.namespace)}` : path;
}

/** `getManifestMediaType`: Content-Type without parameters; `text/plain` is schema 1 (Red Hat's registry). */
function mediaTypeOf(response: HttpResponse): string {
  const type = (response.header('content-type') ?? '').split(';')[0]!.trim();
  return type === 'text/plain' ? 'application/vnd.docker.distribution.manifest.v1+prettyjws' : type;
}

/** go-digest `Validate` texts. */
function digestProblem(d: string): string | undefined {
  const [algorithm, hex = ''] = d.split(':', 2);
  if (!d.includes(':') || algorithm !== 'sha256')
    return d.includes(':') ? 'unsupported digest algorithm' : 'invalid checksum digest format';
  if (hex.length !== 64) return 'invalid checksum digest length';
  return /^[a-f0-9]+$/.test(hex) ? undefined : 'invalid checksum digest format';
}

/** Resolves `target` to the root descriptor, or throws the GoError containerd would. */
export async function resolve(
  target: ResolveTarget,
  hosts: readonly RegistryHost[],
  authorizer: Authorizer,
  session: PullSession,
): Promise<Descriptor> {
  const byDigest = target.digest !== '';
  if (byDigest && digestProblem(target.digest) !== undefined) throw asGoError(digestProblem(target.digest));
  const usable = hosts.filter(
    (h) => h.capabilities.has('pull') && (byDigest || h.capabilities.has('resolve')),
  );
  if (usable.length === 0) throw goErrorf('no resolve hosts', 'not-found');
  const paths = byDigest
    ? [
        ['manifests', target.digest],
        ['blobs', target.digest],
      ]
    : [['manifests', target.tag]];
  let firstError: GoError | undefined;
  for (const parts of paths) {
    for (const host of usable) {
      const request: RegistryRequest = {
        host,
        method: 'HEAD',
        path: requestPath(host, target, ...parts),
        headers: { accept: resolveAccept },
      };
      let response: HttpResponse;
      try {
        response = await doWithRetries(request, authorizer, session);
      } catch (err) {
        let e = asGoError(err);
        if (e.is.has('invalid-authorization')) {
          e = e.wrap('pull access denied, repository does not exist or may require authorization');
        }
        firstError ??= e;
        continue;
      }
      discard(response);
      if (response.statusCode > 299) {
        if (response.statusCode === 404) continue;
        if (response.statusCode > 399) {
          firstError ??= unexpectedStatus(response);
          continue;
        }
        throw unexpectedStatus(response);
      }
      let size = Number(response.header('content-length') ?? -1);
      let mediaType = mediaTypeOf(response);
      let digest = target.digest;
      const header = response.header('docker-content-digest');
      if (digest === '' && header && size !== -1) {
        const problem = digestProblem(header);
        if (problem !== undefined) throw asGoError(`"${header}" in header not a valid digest: ${problem}`);
        digest = header;
      }
      if (digest === '' || size === -1) {
        const get = await doWithRetries({ ...request, method: 'GET' }, authorizer, session);
        mediaType = mediaTypeOf(get);
        // Go hashes whatever body comes back here, without looking at the status.
        const hash = createHash('sha256');
        let read = 0;
        await readBody(
          get,
          (chunk) => {
            hash.update(chunk);
            read += chunk.length;
          },
          session.signal,
        );
        digest ||= `sha256:${hash.digest('hex')}`;
        size = read;
      }
      if (size > maxManifestSize) {
        firstError ??= goErrorf(`rejecting ${size} byte manifest for ${target.ref}`, 'not-found');
        continue;
      }
      return { mediaType, digest, size };
    }
  }
  throw firstError ?? goErrorf(target.ref, 'not-found');
}
