/**
 * `classifyEvent`: reads one Kubernetes event the way an operator reads `kubectl describe pod`.
 * kubelet wraps a pull failure as `Failed to pull image "X": <error>` and then repeats the
 * pod's waiting reason as `Error: ErrImagePull`; a `Back-off pulling image "X"` event means
 * kubelet is waiting out the backoff after the previous failure, so on its own it has no cause.
 */
import { type Classification, classify } from './classify.ts';

/** The fields of a Kubernetes event this reads (core v1 `message`, or events.k8s.io `note`). */
export interface EventLike {
  reason?: string | null;
  message?: string | null;
  note?: string | null;
  type?: string | null;
}

/** What an event is in the life of a pull. */
export type EventRole =
  /** A failure that carries its own error text (or, like ErrImageNeverPull, is its own cause). */
  | 'failed'
  /** kubelet is waiting out the backoff; refers to the previous failure. */
  | 'backoff'
  /** `Error: <WaitingReason>`: repeats the pod's waiting reason. */
  | 'status'
  | 'pulling'
  | 'pulled'
  /** Anything else (scheduling, container lifecycle …). */
  | 'other';

/** An event read in context. */
export interface EventClassification {
  role: EventRole;
  /** The image the event names, as written in the pod spec. */
  image?: string;
  /** Present when the event itself identifies a cause; absent for back-off and bare statuses. */
  classification?: Classification;
}

// kubelet's wrappers (pkg/kubelet/images/image_manager.go); the image is the pod spec's string.
const failedPull = /^Failed to pull image "(?<image>[^"]*)": (?<rest>[\s\S]*)$/;
const backOff =
  /^Back-off pulling image "(?<image>[^"]*)"(?:: (?:(?:ErrImagePull|ImagePullBackOff): )?(?<rest>[\s\S]+))?$/;
const status = /^Error: (?<rest>[A-Za-z]+)$/;
const pulling = /^Pulling image "(?<image>[^"]*)"/;
const pulled = /^(?:Successfully pulled image|Container image) "(?<image>[^"]*)"(?! is not present)/;
const otherImageFailure =
  /^(?:Container image|Failed to apply default image tag|Failed to inspect image) "(?<image>[^"]*)"/;

// kubelet's reasons for events about a container image (pkg/kubelet/events/event.go). Every such
// event is reported, classified or `unclassified`, whatever its wording: a text no rule knows is
// still a failed pull. `Failed` is also used for container create and start errors, so a Failed
// event counts only when it speaks of an image.
const imageReasons = new Set(['ErrImagePull', 'ImagePullBackOff', 'InspectFailed', 'ErrImageNeverPull']);
const speaksOfImage = /\bimages?\b|\bpull|manifest|registry|\bblob|\blayer/i;
const storageEviction = /ephemeral-storage|DiskPressure|imagefs|nodefs/;
const startCauses: ReadonlySet<string> = new Set(['exec-format', 'disk-full', 'image-store']);

/** Whether an event is about a container image: see the reasons above, and evictions for disk. */
export function isImageEvent(event: EventLike, text: string): boolean {
  const reason = event.reason ?? '';
  if (imageReasons.has(reason)) return true;
  if (reason === 'Failed') return speaksOfImage.test(text);
  return reason === 'Evicted' && storageEviction.test(text);
}

/** Builds a result, leaving out what is unknown so results compare and serialise cleanly. */
function result(
  role: EventRole,
  image: string | undefined,
  classification?: Classification,
): EventClassification {
  const out: EventClassification = { role };
  if (image !== undefined) out.image = image;
  if (classification !== undefined) out.classification = classification;
  return out;
}

/** The verdict on a text that need not be a failure: only when it names a known cause. */
function ifKnown(text: string): Classification | undefined {
  const verdict = classify(text);
  return verdict.cause === 'unclassified' ? undefined : verdict;
}

/**
 * Reads one event: its role in the pull's life, the image, and the cause when the event itself
 * names one. A back-off event carries a cause only in the ≥ 1.32 status form
 * `Back-off pulling image "X": ErrImagePull: <last error>`.
 */
export function classifyEvent(event: EventLike): EventClassification {
  const text = (event.message ?? event.note ?? '').trim();
  let m = failedPull.exec(text);
  if (m !== null) return result('failed', m.groups!.image, classify(m.groups!.rest!));
  m = backOff.exec(text);
  if (m !== null)
    return result(
      'backoff',
      m.groups!.image,
      m.groups!.rest === undefined ? undefined : classify(m.groups!.rest),
    );
  m = status.exec(text);
  if (m !== null) return result('status', undefined, ifKnown(m.groups!.rest!));
  m = pulling.exec(text);
  if (m !== null) return result('pulling', m.groups!.image);
  m = pulled.exec(text);
  if (m !== null) return result('pulled', m.groups!.image);
  m = otherImageFailure.exec(text);
  if (m !== null) return result('failed', m.groups!.image, classify(text));
  if (isImageEvent(event, text)) return result('failed', undefined, classify(text));
  // A warning about starting a container is a pull failure only when the image itself is the cause
  // (`exec format error`, a full or broken image store); a start that timed out, probes and
  // scheduling are none of this module's business. A pod the API server refused (a controller's
  // FailedCreate) never got as far as a pull, and is the only trace of why no pod appeared.
  const known = event.type === 'Normal' ? undefined : ifKnown(text);
  return known === undefined || !(startCauses.has(known.cause) || known.cause === 'pod-refused')
    ? result('other', undefined)
    : result('failed', undefined, known);
}
