/**
 * `wrong-platform`: the tag is re-pointed at the `no-amd64` fixture, an index listing only
 * linux/arm64 and linux/arm/v7, so an amd64 node finds no manifest for itself — containerd:
 * `no match for platform in manifest: not found`. Cleared: the tag points back. Scope
 * `repository` picks the repositories (default every repository that has the tag).
 */
import { fixtureImages } from '../../fixtures/catalogue.ts';
import { type OptionSpecs, resolveOptions, text } from '../options.ts';
import { retag, storeBundle } from '../retag.ts';
import type { HttpFault } from '../types.ts';

/** Options of `wrongPlatform()`. */
export interface WrongPlatformOptions {
  /** The tag to re-point; default `1.0`. */
  tag?: string;
}

/** The options, described once. */
export const WRONG_PLATFORM_OPTIONS: OptionSpecs = {
  tag: { type: 'string', doc: 'the tag to re-point', default: '1.0', check: text('a tag') },
};

/** The tag names an index without the node's platform. */
export function wrongPlatform(options: WrongPlatformOptions = {}): HttpFault {
  const { tag } = resolveOptions<Required<WrongPlatformOptions>>(
    'wrong-platform',
    WRONG_PLATFORM_OPTIONS,
    options,
  );
  return {
    name: 'wrong-platform',
    options: { tag },
    scopeKeys: ['repository'],
    start(run) {
      const [bundle] = fixtureImages({ include: ['no-amd64'] });
      return retag(run, tag, (repository) => storeBundle(run.store, repository, bundle!));
    },
  };
}
