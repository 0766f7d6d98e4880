/**
 * Every reason and message the image manager produces, word for word from kubelet:
 * reasons from pkg/kubelet/events/event.go, waiting reasons from pkg/kubelet/images/types.go and
 * k8s.io/cri-api/pkg/errors, texts from pkg/kubelet/images/image_manager.go, and the second `Failed`
 * event from pkg/kubelet/kuberuntime/kuberuntime_container.go (`"Error: %v"` of the returned error).
 * Image names are quoted with Go's `%q`; durations use Go's `time.Duration` formatting.
 */

import { goDurationMs, goQuote } from './gofmt.ts';

export { goDuration, goDurationMs, goQuote } from './gofmt.ts';

/** Event reasons (pkg/kubelet/events/event.go). */
export const EventReason = {
  Pulling: 'Pulling',
  Pulled: 'Pulled',
  Failed: 'Failed',
  BackOff: 'BackOff',
  ErrImageNeverPull: 'ErrImageNeverPull',
  InspectFailed: 'InspectFailed',
  InvalidDiskCapacity: 'InvalidDiskCapacity',
  FreeDiskSpaceFailed: 'FreeDiskSpaceFailed',
} as const;

/** Container waiting reasons an image problem produces (the `Error()` of kubelet's error values). */
export const WaitingReason = {
  ErrImagePull: 'ErrImagePull',
  ImagePullBackOff: 'ImagePullBackOff',
  ErrImageNeverPull: 'ErrImageNeverPull',
  InvalidImageName: 'InvalidImageName',
  ImageInspectError: 'ImageInspectError',
  RegistryUnavailable: 'RegistryUnavailable',
  SignatureValidationFailed: 'SignatureValidationFailed',
} as const;

/** One of {@link WaitingReason}. */
export type WaitingReason = (typeof WaitingReason)[keyof typeof WaitingReason];

/** The message prefix client-go's event aggregator puts on combined events. */
export const combinedEventsPrefix = '(combined from similar events): ';

/** `Pulling image "X"` (Normal, Pulling). */
export const pullingImage = (image: string): string => `Pulling image ${goQuote(image)}`;

/**
 * `Successfully pulled image "X" in 1.2s (1.5s including waiting). Image size: N bytes.` (Normal, Pulled).
 * Both durations truncated to ms; the size clause exists from 1.30 (kubernetes PR #121719).
 */
export function pulledImage(
  image: string,
  pullMs: number,
  totalMs: number,
  sizeBytes: number,
  minor = 32,
): string {
  const base = `Successfully pulled image ${goQuote(image)} in ${goDurationMs(pullMs)} (${goDurationMs(totalMs)} including waiting)`;
  return minor >= 30 ? `${base}. Image size: ${sizeBytes} bytes.` : base;
}

/**
 * `Container image "X" already present on machine` (Normal, Pulled). With KEP-2535 enabled (1.33+ gate)
 * kubelet says `… already present on machine and can be accessed by the pod`.
 */
export const alreadyPresent = (image: string, credentialsChecked = false): string =>
  `Container image ${goQuote(image)} already present on machine${credentialsChecked ? ' and can be accessed by the pod' : ''}`;

/** `Container image "X" is not present with pull policy of Never` (Warning, ErrImageNeverPull). */
export const notPresentNeverPolicy = (image: string): string =>
  `Container image ${goQuote(image)} is not present with pull policy of Never`;

/** `Failed to pull image "X": ERR` (Warning, Failed). */
export const failedToPull = (image: string, error: string): string =>
  `Failed to pull image ${goQuote(image)}: ${error}`;

/** `Back-off pulling image "X"` (Normal, BackOff; also the waiting message before 1.32). */
export const backOffPulling = (image: string): string => `Back-off pulling image ${goQuote(image)}`;

/** Waiting message inside the backoff window: from 1.32 the last pull error is appended. */
export function backOffStatusMessage(image: string, lastError: string | undefined, minor = 32): string {
  const msg = backOffPulling(image);
  return minor >= 32 && lastError !== undefined ? `${msg}: ${lastError}` : msg;
}

/** `Failed to apply default image tag "X": ERR` (Warning, InspectFailed → InvalidImageName). */
export const failedToApplyDefaultTag = (image: string, error: string): string =>
  `Failed to apply default image tag ${goQuote(image)}: ${error}`;

/**
 * `Failed to inspect image "X": ERR` (Warning, InspectFailed → ImageInspectError). From 1.33 kubelet
 * formats the (then empty) image ref instead of the image, so the text reads `Failed to inspect image "": …`.
 */
export const failedToInspect = (imageOrRef: string, error: string): string =>
  `Failed to inspect image ${goQuote(imageOrRef)}: ${error}`;

/** The second event kuberuntime records for any image error: `Error: ErrImagePull` (Warning, Failed). */
export const errorEvent = (reason: string): string => `Error: ${reason}`;

const registryUnavailable = 'RegistryUnavailable';
const signatureValidationFailed = 'SignatureValidationFailed';

/** `evalCRIPullErr`: the waiting reason and message for a failed pull's error text. */
export function evalPullError(image: string, error: string): { reason: WaitingReason; message: string } {
  if (error.startsWith(registryUnavailable)) {
    const rest = error.slice(registryUnavailable.length);
    return {
      reason: 'RegistryUnavailable',
      message: `image pull failed for ${image} because the registry is unavailable${rest}`,
    };
  }
  if (error.startsWith(signatureValidationFailed)) {
    const rest = error.slice(signatureValidationFailed.length);
    return {
      reason: 'SignatureValidationFailed',
      message: `image pull failed for ${image} because the signature validation failed${rest}`,
    };
  }
  return { reason: 'ErrImagePull', message: error };
}

/** `Failed to garbage collect required amount of images. …` (Warning, FreeDiskSpaceFailed, on the Node). */
export const freeDiskSpaceFailed = (wanted: number, freed: number): string =>
  `Failed to garbage collect required amount of images. Attempted to free ${wanted} bytes, but only found ${freed} bytes eligible to free.`;

/** `invalid capacity 0 on image filesystem` (Warning, InvalidDiskCapacity, on the Node). */
export const invalidDiskCapacity = 'invalid capacity 0 on image filesystem';
