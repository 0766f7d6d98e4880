/**
 * `/v2/<name>/blobs/<digest>`: GET (with single byte ranges), HEAD, DELETE.
 * Memory blobs go out as a stream of views over the stored bytes (no per-request copy, and the
 * socket's back-pressure paces it); disk blobs are streamed from the file.
 */
import { RegistryError } from '../errors.ts';
import type { ByteRange } from '../storage/types.ts';
import { viewStream } from '../streams.ts';
import { emptyResponse, type MethodTable, type RouteHandler, referenceOf, repositoryOf } from './common.ts';

/** Result of reading a Range header against a blob size. */
export type RangeRequest = { kind: 'none' } | { kind: 'range'; range: ByteRange } | { kind: 'unsatisfiable' };

/**
 * Interprets `Range` for a blob of `size` bytes: `bytes=a-b`, `bytes=a-` and `bytes=-n`.
 * Headers it cannot parse, and multiple ranges, are ignored (RFC 9110 lets a server do that).
 */
export function parseRange(header: string | undefined, size: number): RangeRequest {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header?.trim() ?? '');
  if (match === null || (match[1] === '' && match[2] === '')) return { kind: 'none' };
  const [, first, last] = match as unknown as [string, string, string];
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'range', range: { start: Math.max(0, size - suffix), end: size - 1 } };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (last !== '' && Number(last) < start) return { kind: 'none' };
  if (start >= size) return { kind: 'unsatisfiable' };
  return { kind: 'range', range: { start, end } };
}

const blobUnknown = (repository: string, digest: string) =>
  new RegistryError('BLOB_UNKNOWN', `blob ${digest} not found in repository '${repository}'`, {
    detail: { repository, digest },
  });

const getBlob: RouteHandler = async (c, { store }) => {
  const repository = repositoryOf(c);
  const digest = referenceOf(c);
  const size = await store.blobSize(repository, digest);
  if (size === undefined) throw blobUnknown(repository, digest);
  const headers = new Headers({
    'Content-Type': 'application/octet-stream',
    'Docker-Content-Digest': digest,
    'Accept-Ranges': 'bytes',
    ETag: `"${digest}"`,
  });
  if (c.req.method === 'HEAD') {
    headers.set('Content-Length', String(size));
    return new Response(null, { status: 200, headers });
  }
  const request = parseRange(c.req.header('Range'), size);
  if (request.kind === 'unsatisfiable') {
    throw new RegistryError(
      'RANGE_INVALID',
      `range ${c.req.header('Range')} lies outside blob ${digest} of ${size} bytes`,
      {
        headers: { 'Content-Range': `bytes */${size}` },
        detail: { size },
      },
    );
  }
  const range = request.kind === 'range' ? request.range : undefined;
  const read = await store.readBlob(repository, digest, range);
  if (read === undefined) throw blobUnknown(repository, digest);
  const length = range === undefined ? read.size : range.end - range.start + 1;
  headers.set('Content-Length', String(length));
  if (range !== undefined) headers.set('Content-Range', `bytes ${range.start}-${range.end}/${read.size}`);
  const body = read.body instanceof Uint8Array ? viewStream(read.body) : read.body;
  return new Response(length === 0 ? null : body, { status: range === undefined ? 200 : 206, headers });
};

const deleteBlob: RouteHandler = async (c, { store }) => {
  const repository = repositoryOf(c);
  const digest = referenceOf(c);
  if (!(await store.deleteBlob(repository, digest))) throw blobUnknown(repository, digest);
  return emptyResponse(202, { 'Docker-Content-Digest': digest });
};

/** Blob handlers by method. */
export const blobRoutes: MethodTable = { GET: getBlob, HEAD: getBlob, DELETE: deleteBlob };
