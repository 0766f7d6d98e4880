/**
 * imagePullPolicy defaulting and the image name kubelet hands to CRI.
 *
 * Defaulting is `SetDefaults_Container` (pkg/apis/core/v1/defaults.go): the policy is `Always` exactly
 * when `parsers.ParseImageName` reports tag `latest` — which it does for a name with neither tag nor
 * digest, for `:latest`, and also for `:latest@sha256:…` (tag and digest both set). A name that does not
 * parse gets `IfNotPresent` (the error is ignored there; kubelet reports it later as InvalidImageName).
 *
 * The CRI name is `applyDefaultImageTag` (pkg/kubelet/images/image_manager.go): `:latest` is appended
 * by string concatenation, so `busybox` goes to CRI as `busybox:latest`, never `docker.io/library/…`.
 */

import { parseImageName } from './reference.ts';

/** The three pull policies of a container. */
export type PullPolicy = 'Always' | 'IfNotPresent' | 'Never';

/** The policy the API server fills in when a container has none. */
export function defaultPullPolicy(image: string): PullPolicy {
  const parsed = parseImageName(image);
  return 'tag' in parsed && parsed.tag === 'latest' ? 'Always' : 'IfNotPresent';
}

/** Result of {@link applyDefaultImageTag}: the CRI image name, or the parse error text. */
export type DefaultTagResult = { ok: true; image: string } | { ok: false; error: string };

/** The name kubelet passes to CRI: `:latest` appended when there is neither tag nor digest. */
export function applyDefaultImageTag(image: string): DefaultTagResult {
  const parsed = parseImageName(image);
  if ('error' in parsed) return { ok: false, error: parsed.error };
  if (parsed.digest === '' && parsed.tag !== '' && !image.endsWith(`:${parsed.tag}`)) {
    return { ok: true, image: `${image}:${parsed.tag}` };
  }
  return { ok: true, image };
}

/** True when `image` is a reference kubelet accepts (otherwise the container waits with InvalidImageName). */
export function isValidImageName(image: string): boolean {
  return applyDefaultImageTag(image).ok;
}
