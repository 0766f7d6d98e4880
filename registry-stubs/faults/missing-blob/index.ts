/**
 * `missing-blob`: blob requests answer 404 `BLOB_UNKNOWN` although the manifest names the blob,
 * as when a registry or cache lost content. containerd: `failed to copy: httpReadSeeker: failed
 * open: content at <url> not found: not found`.
 */
import { RegistryError } from '../../errors.ts';
import { digestList, type OptionSpecs, resolveOptions } from '../options.ts';
import type { HttpFault } from '../types.ts';

/** Options of `missingBlob()`. */
export interface MissingBlobOptions {
  /** Digests of the missing blobs; default every blob. */
  digests?: string[];
}

/** The options, described once. */
export const MISSING_BLOB_OPTIONS: OptionSpecs = {
  digests: { type: 'string[]', doc: 'digests of the missing blobs; default every blob', check: digestList },
};

/** Blobs are missing. */
export function missingBlob(options: MissingBlobOptions = {}): HttpFault {
  const resolved = resolveOptions<MissingBlobOptions>('missing-blob', MISSING_BLOB_OPTIONS, options);
  const digests = resolved.digests === undefined ? undefined : new Set(resolved.digests);
  return {
    name: 'missing-blob',
    options: { ...resolved },
    start: () => ({
      wants: (c) =>
        c.get('route') === 'blob' &&
        (c.req.method === 'GET' || c.req.method === 'HEAD') &&
        (digests === undefined || digests.has(c.get('reference') ?? '')),
      handle: async function missingBlob(c) {
        const repository = c.get('repository') ?? '';
        const reference = c.get('reference') ?? '';
        throw new RegistryError('BLOB_UNKNOWN', `blob ${reference} not found in repository '${repository}'`, {
          detail: { repository, digest: reference },
        });
      },
    }),
  };
}
