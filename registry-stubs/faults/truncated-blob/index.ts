/**
 * `truncated-blob`: blob bodies stop at byte `afterBytes` of the blob and the connection closes,
 * with Content-Length still promising the whole body — a short stored blob, or a proxy dying
 * mid-transfer. The cut is at a blob offset, not a count per response, so containerd's reopen
 * with `Range` gets nothing new and, after 3 reopens without progress, fails with `failed to read
 * expected number of bytes: unexpected EOF` (bare `unexpected EOF` from other clients).
 */
import type { RegistryContext } from '../../context.ts';
import { blobGets, bodyOffset, contentLength, hasBlobBody, withBody } from '../http.ts';
import { digestList, integer, type OptionSpecs, resolveOptions } from '../options.ts';
import type { HttpFault } from '../types.ts';

/** Options of `truncatedBlob()`. */
export interface TruncatedBlobOptions {
  /** Blob bytes served (counted from the blob's start, Range or not) before the body stops; default half of each blob. */
  afterBytes?: number;
  /** Digests of the truncated blobs; default every blob. */
  digests?: string[];
}

/** The options, described once. */
export const TRUNCATED_BLOB_OPTIONS: OptionSpecs = {
  afterBytes: {
    type: 'integer',
    doc: 'blob bytes served before the body stops; default half of each blob',
    unit: 'bytes',
    check: integer(0),
  },
  digests: { type: 'string[]', doc: 'digests of the truncated blobs; default every blob', check: digestList },
};

/**
 * `body` up to `keep` bytes, then a clean end. The response's `Connection: close` makes the
 * server close the connection there, so the client sees EOF before Content-Length. Ending (not
 * erroring) the stream matters: @hono/node-server reads the first chunks before sending headers
 * and turns an early stream error into a 500.
 */
export function cutAfter(body: ReadableStream<Uint8Array>, keep: number): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (sent >= keep) {
        await reader.cancel('truncated-blob').catch(() => {});
        return controller.close();
      }
      const { done, value } = await reader.read();
      if (done) return controller.close();
      const piece = value.byteLength > keep - sent ? value.subarray(0, keep - sent) : value;
      sent += piece.byteLength;
      if (piece.byteLength > 0) controller.enqueue(piece);
    },
    cancel: (reason) => reader.cancel(reason),
  });
}

/** Size of the whole blob: the total of a Content-Range, else the Content-Length. */
function blobSize(c: RegistryContext): number {
  const total = /\/(\d+)$/.exec(c.res.headers.get('Content-Range') ?? '');
  return total === null ? (contentLength(c.res) ?? 0) : Number(total[1]);
}

/** Blob bodies end early. */
export function truncatedBlob(options: TruncatedBlobOptions = {}): HttpFault {
  const resolved = resolveOptions<TruncatedBlobOptions>('truncated-blob', TRUNCATED_BLOB_OPTIONS, options);
  return {
    name: 'truncated-blob',
    options: { ...resolved },
    start: () => ({
      wants: blobGets(resolved.digests),
      handle: async function truncateBlob(c, next) {
        await next();
        if (!hasBlobBody(c)) return false;
        const cut = resolved.afterBytes ?? Math.floor(blobSize(c) / 2);
        const keep = Math.max(0, cut - bodyOffset(c.res));
        if (keep >= (contentLength(c.res) ?? Infinity)) return false;
        withBody(c, cutAfter(c.res.body as ReadableStream<Uint8Array>, keep), { Connection: 'close' });
        return true;
      },
    }),
  };
}
