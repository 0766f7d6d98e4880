/**
 * `tag-overwrite`: a tag is pushed again mid-run and now names a different image (new digest):
 * a fixture image (`image`), or a rebuild of the current one with a changed config (`rebuild`,
 * the default). No client errors; nodes that resolved the tag before and after run different
 * digests (digest drift). Applied at the planned moment; clearing points the tag back at the old
 * digest (the new content stays, as after a real push). Scope `repository` picks the
 * repositories (default every repository that has the tag).
 */
import { FIXTURE_NAMES, type FixtureName, fixtureImages } from '../../fixtures/catalogue.ts';
import { type CrossCheck, choice, type OptionSpecs, onlyTrue, resolveOptions, text } from '../options.ts';
import { retag, storeBundle } from '../retag.ts';
import type { HttpFault } from '../types.ts';
import { rebuild } from './rebuild.ts';

/** Options of `tagOverwrite()`; `image` and `rebuild` exclude each other. */
export interface TagOverwriteOptions {
  /** The tag to re-point; default `1.0` (every fixture's tag). */
  tag?: string;
  /** Point the tag at this fixture image; default none (rebuild). */
  image?: FixtureName;
  /** Point the tag at a rebuild of its image with a changed config; the default when `image` is absent. */
  rebuild?: true;
}

/** The options, described once. */
export const TAG_OVERWRITE_OPTIONS: OptionSpecs = {
  tag: { type: 'string', doc: 'the tag to re-point', default: '1.0', check: text('a tag') },
  image: { type: 'string', doc: 'point the tag at this fixture image', check: choice(FIXTURE_NAMES) },
  rebuild: {
    type: 'boolean',
    doc: 'point the tag at a rebuild with a changed config (default without image)',
    check: onlyTrue,
  },
};

/** `image` and `rebuild` exclude each other. */
export const TAG_OVERWRITE_CROSS: CrossCheck = (o) =>
  o.image !== undefined && o.rebuild !== undefined
    ? [['rebuild', `expected image or rebuild, got both`]]
    : [];

/** Re-points a tag to a new digest. */
export function tagOverwrite(options: TagOverwriteOptions = {}): HttpFault {
  const resolved = resolveOptions<TagOverwriteOptions & { tag: string }>(
    'tag-overwrite',
    TAG_OVERWRITE_OPTIONS,
    options,
    TAG_OVERWRITE_CROSS,
  );
  const { tag, image } = resolved;
  return {
    name: 'tag-overwrite',
    options: image === undefined ? { tag, rebuild: true } : { tag, image },
    scopeKeys: ['repository'],
    start(run) {
      if (image === undefined)
        return retag(run, tag, (repository, current) => rebuild(run.store, repository, current, run.id));
      const [bundle] = fixtureImages({ include: [image] });
      return retag(run, tag, (repository) => storeBundle(run.store, repository, bundle!));
    },
  };
}
