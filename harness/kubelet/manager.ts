/**
 * kubelet's `imageManager.EnsureImageExists` (pkg/kubelet/images/image_manager.go) and the image step of
 * kuberuntime's `startContainer` (pkg/kubelet/kuberuntime/kuberuntime_container.go), emitting the same
 * events, waiting reasons and messages. Version switches (`kubernetesVersion`):
 * - before 1.33 ImageStatus is asked for every policy and an inspect error names the image; from 1.33
 *   (`imagePullPrecheck`) `Always` skips it and the message quotes the empty image ref;
 * - from 1.30 the Pulled message ends with `Image size: N bytes.`;
 * - from 1.32 the waiting message in backoff carries the last pull error;
 * - with KEP-2535 (default from 1.35) present images are checked against the pod's credentials.
 */

import type { InvolvedObject, RunEvent } from '../events/types.ts';
import { Backoff, imageBackoffKey } from './backoff.ts';
import { type Clock, systemClock } from './clock.ts';
import { type KubeletImageConfig, type KubeletImageOptions, resolveKubeletImageConfig } from './config.ts';
import { type PullCredential, PullRecords } from './credentials.ts';
import { errorText, type ImageService } from './image-service.ts';
import * as msg from './messages.ts';
import { applyDefaultImageTag, defaultPullPolicy, type PullPolicy } from './policy.ts';
import { type Puller, type PullerStats, parallelPuller, runtimePull, serialPuller } from './puller.ts';
import { pullLimiter } from './qps.ts';
import { EventRecorder } from './recorder.ts';
import { parseImageName } from './reference.ts';

/** The pod an image is pulled for. */
export interface PodRef {
  name: string;
  namespace: string;
  uid: string;
}

/** The container whose image is ensured. */
export interface ContainerSpec {
  name: string;
  /** The image as written in the pod spec. */
  image: string;
  /** Default: what the API server would fill in ({@link defaultPullPolicy}). */
  imagePullPolicy?: PullPolicy;
  /** Which list the container is in, for the field path; default `containers`. */
  list?: 'containers' | 'initContainers' | 'ephemeralContainers';
}

/** Outcome of an ensure: the image ref, or the container's waiting reason and message. */
export type EnsureResult =
  | { ok: true; imageRef: string; message: string }
  | { ok: false; reason: msg.WaitingReason; message: string };

/** Options of {@link ImageManager}; kubelet settings come from {@link KubeletImageOptions}. */
export interface ImageManagerOptions extends KubeletImageOptions {
  imageService: ImageService;
  /** Node name: event source host and the `node` of emitted records. */
  node: string;
  /** Receives k8s.event, pull.attempt and pod.state records. */
  emit: (event: RunEvent) => void;
  /** Default the system clock. */
  clock?: Clock;
}

/** The object reference kubelet puts on container events (`GenerateContainerRef`). */
export function containerRef(pod: PodRef, container: ContainerSpec): InvolvedObject {
  const { name, namespace, uid } = pod;
  return {
    kind: 'Pod',
    name,
    namespace,
    uid,
    fieldPath: `spec.${container.list ?? 'containers'}{${container.name}}`,
  };
}

/** The `sha256:…` of the repo digest matching the image's repository (else the first one). */
function digestOf(image: string, repoDigests: string[]): string | undefined {
  const parsed = parseImageName(image);
  const repo = 'repository' in parsed ? parsed.repository : undefined;
  const match = repoDigests.find((d) => d.split('@')[0] === repo) ?? repoDigests[0];
  return match?.split('@')[1];
}

/** One node's image manager: presence checks, policy, backoff, pulls, events. */
export class ImageManager {
  readonly config: KubeletImageConfig;
  readonly backoff: Backoff;
  readonly records: PullRecords;
  readonly recorder: EventRecorder;
  readonly #o: ImageManagerOptions;
  readonly #clock: Clock;
  readonly #puller: Puller;
  /** Last pull error per backoff key, shown in the waiting message from 1.32 (`prevPullErrMsg`). */
  readonly #prevPullErr = new Map<string, string>();

  constructor(options: ImageManagerOptions) {
    this.#o = options;
    this.config = resolveKubeletImageConfig(options);
    this.#clock = options.clock ?? systemClock;
    const clock = this.#clock;
    this.backoff = new Backoff({ clock });
    this.records = new PullRecords(
      this.config.credentialVerificationPolicy,
      this.config.credentialVerificationAllowlist,
    );
    const host = options.node;
    this.recorder = new EventRecorder({
      clock,
      emit: options.emit,
      host,
      spamFilter: this.config.eventSpamFilter,
    });
    const limiter = pullLimiter({
      qps: this.config.registryPullQPS,
      burst: this.config.registryBurst,
      clock,
    });
    const run = runtimePull(options.imageService, clock, limiter);
    this.#puller = this.config.serializeImagePulls
      ? serialPuller(run)
      : parallelPuller(run, this.config.maxParallelImagePulls);
  }

  /** Occupancy of the puller (serial queue or parallel semaphore). */
  pullerStats(): PullerStats {
    return this.#puller.stats();
  }

  /** kuberuntime's image step: {@link ensureImageExists}, then `Error: <reason>` and a pod.state on failure. */
  async syncContainerImage(
    pod: PodRef,
    container: ContainerSpec,
    credentials: PullCredential[] = [],
  ): Promise<EnsureResult> {
    const result = await this.ensureImageExists(pod, container, credentials);
    if (!result.ok) {
      this.recorder.event(
        containerRef(pod, container),
        'Warning',
        msg.EventReason.Failed,
        msg.errorEvent(result.reason),
      );
      const { name, namespace } = pod;
      const time = new Date(this.#clock.now()).toISOString();
      const { reason, message } = result;
      this.#o.emit({
        kind: 'pod.state',
        time,
        pod: name,
        namespace,
        node: this.#o.node,
        phase: 'Pending',
        reason,
        message,
        image: container.image,
      });
    }
    return result;
  }

  /** `EnsureImageExists`: makes sure the container's image is present, pulling it when policy says so. */
  async ensureImageExists(
    pod: PodRef,
    container: ContainerSpec,
    credentials: PullCredential[] = [],
  ): Promise<EnsureResult> {
    const { minor, ensureSecretPulledImages: checkCredentials } = this.config;
    const requested = container.image;
    const ref = containerRef(pod, container);
    const policy = container.imagePullPolicy ?? defaultPullPolicy(requested);
    const fail = (
      type: 'Normal' | 'Warning',
      reason: string,
      message: string,
      waiting: msg.WaitingReason,
    ): EnsureResult => {
      this.recorder.event(ref, type, reason, message);
      return { ok: false, reason: waiting, message };
    };
    const tagged = applyDefaultImageTag(requested);
    if (!tagged.ok) {
      return fail(
        'Warning',
        msg.EventReason.InspectFailed,
        msg.failedToApplyDefaultTag(requested, tagged.error),
        'InvalidImageName',
      );
    }
    let imageRef = '';
    if (policy !== 'Always' || minor < 33) {
      try {
        imageRef = (await this.#o.imageService.imageStatus(tagged.image)).image?.id ?? '';
      } catch (err) {
        const text = msg.failedToInspect(minor >= 33 ? '' : requested, errorText(err));
        return fail('Warning', msg.EventReason.InspectFailed, text, 'ImageInspectError');
      }
    }
    if (policy === 'Always') imageRef = ''; // present or not, Always pulls
    const neverPull = () =>
      fail(
        'Warning',
        msg.EventReason.ErrImageNeverPull,
        msg.notPresentNeverPolicy(requested),
        'ErrImageNeverPull',
      );
    if (imageRef !== '') {
      if (!checkCredentials || !this.records.mustAttemptImagePull(requested, imageRef, credentials)) {
        const text = msg.alreadyPresent(requested, checkCredentials);
        this.recorder.event(ref, 'Normal', msg.EventReason.Pulled, text);
        return { ok: true, imageRef, message: minor >= 33 ? text : '' };
      }
    }
    // Absent, or present but not accessible with the pod's credentials: Never hides which one.
    if (policy === 'Never') return neverPull();
    return this.#pull(pod, ref, requested, tagged.image, credentials);
  }

  /** `pullImage`: backoff check, Pulling, the pull through the puller, then Pulled or Failed. */
  async #pull(
    pod: PodRef,
    ref: InvolvedObject,
    requested: string,
    image: string,
    credentials: PullCredential[],
  ): Promise<EnsureResult> {
    const { minor, ensureSecretPulledImages: checkCredentials } = this.config;
    const key = imageBackoffKey(pod.uid, requested);
    if (checkCredentials) this.records.recordPullIntent(requested);
    if (this.backoff.isInBackOffSinceUpdate(key)) {
      this.recorder.event(ref, 'Normal', msg.EventReason.BackOff, msg.backOffPulling(requested));
      if (checkCredentials) this.records.recordPullFailed(requested);
      return {
        ok: false,
        reason: 'ImagePullBackOff',
        message: msg.backOffStatusMessage(requested, this.#prevPullErr.get(key), minor),
      };
    }
    this.#prevPullErr.delete(key);
    this.recorder.event(ref, 'Normal', msg.EventReason.Pulling, msg.pullingImage(requested));
    const start = this.#clock.now();
    const result = await this.#puller.pull({ image, credentials });
    const time = new Date(this.#clock.now()).toISOString();
    const { node } = this.#o;
    const attempt = {
      kind: 'pull.attempt',
      time,
      node,
      pod: pod.name,
      image: requested,
      durationMs: result.pullDurationMs,
    } as const;
    if (result.error !== undefined) {
      this.#o.emit({ ...attempt, ok: false, error: result.error });
      this.recorder.event(ref, 'Warning', msg.EventReason.Failed, msg.failedToPull(requested, result.error));
      this.backoff.next(key);
      const { reason, message } = msg.evalPullError(requested, result.error);
      this.#prevPullErr.set(key, `${reason}: ${message}`);
      if (checkCredentials) this.records.recordPullFailed(requested);
      return { ok: false, reason, message };
    }
    const digest = digestOf(requested, result.repoDigests);
    this.#o.emit({ ...attempt, ok: true, sizeBytes: result.sizeBytes, ...(digest ? { digest } : {}) });
    const text = msg.pulledImage(
      requested,
      result.pullDurationMs,
      this.#clock.now() - start,
      result.sizeBytes,
      minor,
    );
    this.recorder.event(ref, 'Normal', msg.EventReason.Pulled, text);
    this.backoff.gc();
    if (checkCredentials) this.records.recordImagePulled(requested, result.imageRef, result.credentialUsed);
    return { ok: true, imageRef: result.imageRef, message: '' };
  }
}
