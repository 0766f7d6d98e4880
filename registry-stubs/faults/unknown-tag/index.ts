/**
 * `unknown-tag`: manifest requests by a matching tag answer 404 `MANIFEST_UNKNOWN`, as after the
 * tag was deleted or never pushed. Requests by digest still work (a pinned image keeps pulling).
 * containerd resolves with HEAD, whose 404 has no body: `…: <ref>: not found`.
 */
import { RegistryError } from '../../errors.ts';
import { type OptionSpecs, resolveOptions, text } from '../options.ts';
import { compileGlob } from '../scope.ts';
import type { HttpFault } from '../types.ts';

/** Options of `unknownTag()`. */
export interface UnknownTagOptions {
  /** Tag glob; default `*` (every tag). */
  tag?: string;
}

/** The options, described once. */
export const UNKNOWN_TAG_OPTIONS: OptionSpecs = {
  tag: { type: 'string', doc: 'tag glob', default: '*', check: text('a tag glob such as 1.* or latest') },
};

/** Matching tags are unknown. */
export function unknownTag(options: UnknownTagOptions = {}): HttpFault {
  const { tag } = resolveOptions<Required<UnknownTagOptions>>('unknown-tag', UNKNOWN_TAG_OPTIONS, options);
  const matches = compileGlob(tag);
  return {
    name: 'unknown-tag',
    options: { tag },
    start: () => ({
      wants(c) {
        const reference = c.get('reference');
        if (c.get('route') !== 'manifest' || reference === undefined || reference.includes(':')) return false;
        return (c.req.method === 'GET' || c.req.method === 'HEAD') && matches.test(reference);
      },
      handle: async function unknownTag(c) {
        const repository = c.get('repository') ?? '';
        const reference = c.get('reference') ?? '';
        throw new RegistryError(
          'MANIFEST_UNKNOWN',
          `manifest '${reference}' not found in repository '${repository}'`,
          {
            detail: { repository, reference },
          },
        );
      },
    }),
  };
}
