/**
 * `wrong-arch`: the tag a deployment expects to be amd64 is re-pointed at the `arm64-only`
 * fixture, a single linux/arm64 manifest with a real aarch64 program. No pull error: containerd
 * takes a lone manifest whatever its platform; the container then exits at start with
 * `exec format error` and the pod goes to CrashLoopBackOff. Cleared: the tag points back. Scope
 * `repository` picks the repositories (default every repository that has the tag).
 */
import { fixtureImages } from '../../fixtures/catalogue.ts';
import { type OptionSpecs, resolveOptions, text } from '../options.ts';
import { retag, storeBundle } from '../retag.ts';
import type { HttpFault } from '../types.ts';

/** Options of `wrongArch()`. */
export interface WrongArchOptions {
  /** The tag to re-point; default `1.0`. */
  tag?: string;
}

/** The options, described once. */
export const WRONG_ARCH_OPTIONS: OptionSpecs = {
  tag: { type: 'string', doc: 'the tag to re-point', default: '1.0', check: text('a tag') },
};

/** The tag names an image for another CPU architecture. */
export function wrongArch(options: WrongArchOptions = {}): HttpFault {
  const { tag } = resolveOptions<Required<WrongArchOptions>>('wrong-arch', WRONG_ARCH_OPTIONS, options);
  return {
    name: 'wrong-arch',
    options: { tag },
    scopeKeys: ['repository'],
    start(run) {
      const [bundle] = fixtureImages({ include: ['arm64-only'] });
      return retag(run, tag, (repository) => storeBundle(run.store, repository, bundle!));
    },
  };
}
