/**
 * `wrong-length`: blob responses declare `Content-Length` = real length + `delta` and close the
 * connection afterwards (so the extra or missing bytes cannot spill into the next response).
 * With the default -1 a client reads one byte short and fails its size check — containerd:
 * `failed to read expected number of bytes: unexpected EOF`. A positive delta leaves the body
 * short of its header: clients reading to Content-Length see `unexpected EOF`, while containerd,
 * which reads only the descriptor's size, may not notice at all.
 */
import { blobGets, contentLength, hasBlobBody, withBody } from '../http.ts';
import { digestList, integer, type OptionSpecs, resolveOptions } from '../options.ts';
import type { HttpFault } from '../types.ts';

/** Options of `wrongLength()`. */
export interface WrongLengthOptions {
  /** Added to the real Content-Length; not 0; default -1. */
  delta?: number;
  /** Digests of the affected blobs; default every blob. */
  digests?: string[];
}

/** The options, described once. */
export const WRONG_LENGTH_OPTIONS: OptionSpecs = {
  delta: {
    type: 'integer',
    doc: 'added to the real Content-Length (not 0)',
    default: -1,
    unit: 'bytes',
    check: (v) =>
      v === 0 ? { expected: 'a non-zero integer', wrongType: false } : integer(-(2 ** 40), 2 ** 40)(v),
  },
  digests: { type: 'string[]', doc: 'digests of the affected blobs; default every blob', check: digestList },
};

/** Blob responses misstate their length. */
export function wrongLength(options: WrongLengthOptions = {}): HttpFault {
  const resolved = resolveOptions<WrongLengthOptions & { delta: number }>(
    'wrong-length',
    WRONG_LENGTH_OPTIONS,
    options,
  );
  return {
    name: 'wrong-length',
    options: { ...resolved },
    start: () => ({
      wants: blobGets(resolved.digests),
      handle: async function misstateLength(c, next) {
        await next();
        const length = contentLength(c.res);
        if (!hasBlobBody(c) || length === undefined) return false;
        const declared = String(Math.max(0, length + resolved.delta));
        withBody(c, c.res.body, { 'Content-Length': declared, Connection: 'close' });
        return true;
      },
    }),
  };
}
