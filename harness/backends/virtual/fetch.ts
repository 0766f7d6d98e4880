/**
 * Fetching one descriptor into the (virtual) content store, as containerd chains it:
 * `dockerFetcher.Fetch`/`open` (remotes/docker/fetcher.go: manifests from `manifests/<digest>`,
 * everything else from `blobs/<digest>`, hosts in order, first error kept), `httpReadSeeker`
 * (httpreadseeker.go: lazy open → `httpReadSeeker: failed open: …`; on unexpected EOF reopen at
 * the offset with a Range, giving up after 3 reopens without progress) and `content.Copy` +
 * the local writer's `Commit` (content/helpers.go, content/local/writer.go: short read, then size,
 * then digest). Bytes are hashed as they stream and dropped unless asked for.
 */
import { createHash } from 'node:crypto';
import type { Authorizer } from './authorizer.ts';
import { asGoError, GoError, goErrorf } from './go-error.ts';
import type { RegistryHost } from './hosts.ts';
import { serverMessage } from './registry-errors.ts';
import { doWithRetries, type PullSession, type RegistryRequest, requestUrl } from './request.ts';
import { type Descriptor, type ResolveTarget, requestPath } from './resolve.ts';
import { discard, type HttpResponse, readBody, readText } from './transport.ts';

const manifestTypes = new Set([
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v1+prettyjws',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
]);
const configTypes = new Set([
  'application/vnd.docker.container.image.v1+json',
  'application/vnd.oci.image.config.v1+json',
]);

/** `remotes.MakeRefKey`: the ingest ref named in commit errors, e.g. `layer-sha256:…`. */
export function refKey(desc: Descriptor): string {
  const mt = desc.mediaType;
  let prefix = 'unknown';
  if (
    mt === 'application/vnd.docker.distribution.manifest.v2+json' ||
    mt === 'application/vnd.oci.image.manifest.v1+json'
  ) {
    prefix = 'manifest';
  } else if (mt.endsWith('manifest.list.v2+json') || mt === 'application/vnd.oci.image.index.v1+json')
    prefix = 'index';
  else if (
    mt.startsWith('application/vnd.oci.image.layer.') ||
    mt.startsWith('application/vnd.docker.image.rootfs.')
  ) {
    prefix = 'layer';
  } else if (configTypes.has(mt)) prefix = 'config';
  return `${prefix}-${desc.digest}`;
}

/** What `copy` hands back: bytes received over the network, and the content when it was kept. */
export interface Copied {
  received: number;
  data?: Buffer;
}

/** Fetches descriptors of one pull from its pull-capable hosts. */
export class Fetcher {
  readonly #target: ResolveTarget;
  readonly #hosts: readonly RegistryHost[];
  readonly #authorizer: Authorizer;
  readonly #session: PullSession;

  constructor(
    target: ResolveTarget,
    hosts: readonly RegistryHost[],
    authorizer: Authorizer,
    session: PullSession,
  ) {
    this.#target = target;
    this.#hosts = hosts.filter((h) => h.capabilities.has('pull'));
    this.#authorizer = authorizer;
    this.#session = session;
  }

  /** `dockerFetcher.open` over every host; resolves to a response whose first `skip` bytes are not wanted. */
  async #open(desc: Descriptor, offset: number): Promise<{ response: HttpResponse; skip: number }> {
    const kind = manifestTypes.has(desc.mediaType) ? 'manifests' : 'blobs';
    let firstError: GoError | undefined;
    for (const host of this.#hosts) {
      const request: RegistryRequest = {
        host,
        method: 'GET',
        path: requestPath(host, this.#target, kind, desc.digest),
        headers: { accept: `${desc.mediaType}, */*`, ...(offset > 0 && { range: `bytes=${offset}-` }) },
      };
      try {
        return await this.#openOne(request, offset);
      } catch (err) {
        firstError ??= asGoError(err);
      }
    }
    if (kind === 'blobs' && firstError?.is.has('not-found')) {
      firstError = goErrorf(
        `could not fetch content descriptor ${desc.digest} (${desc.mediaType}) from remote`,
        'not-found',
      );
    }
    throw firstError ?? goErrorf('no pull hosts', 'not-found');
  }

  async #openOne(
    request: RegistryRequest,
    offset: number,
  ): Promise<{ response: HttpResponse; skip: number }> {
    const response = await doWithRetries(request, this.#authorizer, this.#session);
    const url = requestUrl(request);
    if (response.statusCode > 299) {
      if (response.statusCode === 404) {
        discard(response);
        throw goErrorf(`content at ${url} not found`, 'not-found');
      }
      const message = serverMessage(await readText(response, this.#session.signal));
      const server = message === undefined ? '' : ` - Server message: ${message}`;
      throw new GoError(`unexpected status code ${url}: ${response.status}${server}`);
    }
    const range = response.header('content-range');
    if (offset > 0 && range !== undefined && !range.startsWith(`bytes ${offset}-`)) {
      discard(response);
      throw new GoError(`unhandled content range in response: ${range}`);
    }
    // A server that ignored the Range sends everything again; the first `offset` bytes are dropped.
    return { response, skip: offset > 0 && range === undefined ? offset : 0 };
  }

  /** Fetches, verifies and commits `desc`; throws the GoError `fetch` + `content.Copy` would. */
  async copy(desc: Descriptor, keep: boolean): Promise<Copied> {
    if (desc.size === 0) {
      throw goErrorf(
        `unable to fetch descriptor (${desc.digest}) which reports content size of zero`,
        'invalid-argument',
      );
    }
    if (this.#hosts.length === 0) throw goErrorf('no pull hosts', 'not-found');
    const hash = createHash('sha256');
    const kept: Buffer[] = [];
    let offset = 0;
    let received = 0;
    let noProgress = 0;
    let current: { response: HttpResponse; skip: number } | undefined;
    try {
      current = await this.#open(desc, 0);
    } catch (err) {
      throw asGoError(err).wrap('httpReadSeeker: failed open').wrap('failed to copy');
    }
    // Bounded: every turn either makes progress or counts towards the 3 reopens without it.
    while (current !== undefined) {
      let got = 0;
      let skip = current.skip;
      const onChunk = (chunk: Buffer) => {
        received += chunk.length;
        this.#session.progress(chunk.length);
        const wanted = skip > 0 ? chunk.subarray(Math.min(skip, chunk.length)) : chunk;
        skip = Math.max(0, skip - chunk.length);
        hash.update(wanted);
        if (keep) kept.push(Buffer.from(wanted)); // the chunk is a view into a reused buffer
        offset += wanted.length;
        got += wanted.length;
      };
      try {
        await readBody(current.response, onChunk, this.#session.signal);
        current = undefined;
      } catch (err) {
        const e = asGoError(err);
        if (!e.is.has('unexpected-eof')) throw e.wrap('failed to copy');
        noProgress = got > 0 ? 0 : noProgress + 1;
        current = undefined;
        // A failed reopen hands the unexpected EOF back, which content.Copy treats as the end.
        if (noProgress <= 3 && offset < desc.size)
          current = await this.#open(desc, offset).catch(() => undefined);
      }
    }
    if (offset < desc.size) throw goErrorf('failed to read expected number of bytes', 'unexpected-eof');
    const ref = `failed commit on ref "${refKey(desc)}"`;
    if (offset !== desc.size) {
      throw goErrorf(
        `${ref}: unexpected commit size ${offset}, expected ${desc.size}`,
        'failed-precondition',
      );
    }
    const digest = `sha256:${hash.digest('hex')}`;
    if (digest !== desc.digest) {
      throw goErrorf(
        `${ref}: unexpected commit digest ${digest}, expected ${desc.digest}`,
        'failed-precondition',
      );
    }
    return keep ? { received, data: Buffer.concat(kept) } : { received };
  }
}
