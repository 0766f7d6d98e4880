/**
 * `corrupt-blob`: blob bodies arrive with the right length and wrong bytes (the first byte served
 * is inverted), as from a cache with bad storage or a proxy that rewrites content. Clients that
 * verify digests refuse them — containerd: `failed commit on ref …: unexpected commit digest
 * sha256:A, expected sha256:B: failed precondition`; skopeo: `Digest did not match`.
 */
import { blobGets, hasBlobBody, withBody } from '../http.ts';
import { digestList, type OptionSpecs, resolveOptions } from '../options.ts';
import type { HttpFault } from '../types.ts';

/** Options of `corruptBlob()`. */
export interface CorruptBlobOptions {
  /** Digests of the corrupted blobs; default every blob. */
  digests?: string[];
}

/** The options, described once. */
export const CORRUPT_BLOB_OPTIONS: OptionSpecs = {
  digests: {
    type: 'string[]',
    doc: 'digests of the corrupted blobs; default every blob',
    check: digestList,
  },
};

/** Inverts the first byte of `body`; one small copy, the rest passes through untouched. */
export function invertFirstByte(body: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  let done = false;
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        if (done || chunk.byteLength === 0) return controller.enqueue(chunk);
        done = true;
        const copy = chunk.slice();
        copy[0] = (copy[0] as number) ^ 0xff;
        controller.enqueue(copy);
      },
    }),
  );
}

/** Blob bytes are corrupted, their length kept. */
export function corruptBlob(options: CorruptBlobOptions = {}): HttpFault {
  const resolved = resolveOptions<CorruptBlobOptions>('corrupt-blob', CORRUPT_BLOB_OPTIONS, options);
  return {
    name: 'corrupt-blob',
    options: { ...resolved },
    start: () => ({
      wants: blobGets(resolved.digests),
      handle: async function corruptBlob(c, next) {
        await next();
        if (!hasBlobBody(c)) return false;
        withBody(c, invertFirstByte(c.res.body as ReadableStream<Uint8Array>));
        return true;
      },
    }),
  };
}
