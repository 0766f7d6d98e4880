/**
 * kubelet's image pullers (pkg/kubelet/images/puller.go) and the runtime pull under them
 * (pkg/kubelet/kuberuntime/kuberuntime_image.go `PullImage`, wrapped by `throttleImagePulling`).
 *
 * Serial (the default): one worker and a queue of `maxImagePullRequests` = 10, a buffered Go channel.
 * When it is full the caller is not refused: the channel send blocks, so the pod's sync waits until a
 * slot frees, and blocked callers enter the queue in arrival order. Parallel: every pull runs at once,
 * or at most `maxParallelImagePulls` at once behind a FIFO semaphore.
 *
 * A pull's own duration starts when the worker (or semaphore) lets it run, and includes the credential
 * loop and the ImageStatus call that reads the size, as upstream notes it does.
 */

import type { Clock } from './clock.ts';
import type { PullCredential } from './credentials.ts';
import { aggregateErrorText } from './gofmt.ts';
import { errorText, type ImageService } from './image-service.ts';
import { pullQpsExceeded, type TokenBucket } from './qps.ts';

/** kubelet's `maxImagePullRequests`: the serial puller's queue size. */
export const maxImagePullRequests = 10;

/** What a pull returns (`pullResult`). */
export interface PullResult {
  imageRef: string;
  /** Error text as kubelet prints it (`%v`), when the pull failed. */
  error?: string;
  /** Bytes, from ImageStatus after the pull; 0 when unknown. */
  sizeBytes: number;
  /** Repo digests ImageStatus reported. */
  repoDigests: string[];
  /** The credential that succeeded; undefined for an anonymous pull or on failure. */
  credentialUsed?: PullCredential;
  /** Time from the start of this pull (after queueing) to its end. */
  pullDurationMs: number;
}

/** One pull to perform: the CRI image name and the credentials to try in order. */
export interface PullRequest {
  image: string;
  credentials: PullCredential[];
}

/** A puller: resolves when the pull has run, never rejects. */
export type Puller = { pull(request: PullRequest): Promise<PullResult>; stats(): PullerStats };

/** Occupancy of a puller. */
export interface PullerStats {
  running: number;
  /** Waiting in the queue (serial) or for the semaphore (parallel). */
  queued: number;
  /** Callers blocked because the serial queue is full. */
  blocked: number;
}

/** The throttled runtime pull: QPS token, each credential in turn, then the size via ImageStatus. */
export function runtimePull(service: ImageService, clock: Clock, limiter?: TokenBucket) {
  return async function pullImage(request: PullRequest): Promise<PullResult> {
    const start = clock.now();
    const done = (r: Omit<PullResult, 'pullDurationMs'>): PullResult => ({
      ...r,
      pullDurationMs: clock.now() - start,
    });
    if (limiter && !limiter.tryAccept())
      return done({ imageRef: '', error: pullQpsExceeded, sizeBytes: 0, repoDigests: [] });
    let imageRef = '';
    let credentialUsed: PullCredential | undefined;
    const errors: string[] = [];
    const attempts: (PullCredential | undefined)[] = request.credentials.length
      ? request.credentials
      : [undefined];
    for (const cred of attempts) {
      try {
        imageRef = (await service.pullImage(request.image, cred ? { auth: cred.auth } : {})).imageRef;
        credentialUsed = cred;
        break;
      } catch (err) {
        errors.push(errorText(err));
      }
    }
    if (!imageRef)
      return done({ imageRef: '', error: aggregateErrorText(errors), sizeBytes: 0, repoDigests: [] });
    // Best effort, as kubelet's GetImageSize: an error leaves the size at 0.
    const status = await service.imageStatus(request.image).catch(() => ({ image: undefined }));
    const image = status.image;
    return done({
      imageRef,
      credentialUsed,
      sizeBytes: image?.size ?? 0,
      repoDigests: image?.repoDigests ?? [],
    });
  };
}

type Run = (request: PullRequest) => Promise<PullResult>;
interface Job {
  request: PullRequest;
  resolve: (r: PullResult) => void;
}

/** kubelet's serialImagePuller: one worker draining a queue of 10; senders block when it is full. */
export function serialPuller(run: Run): Puller {
  const queue: Job[] = [];
  const blocked: Job[] = [];
  let running = 0;
  async function work(): Promise<void> {
    running = 1;
    for (let job = queue.shift(); job; job = queue.shift()) {
      // Receiving frees a slot; the first blocked sender's request moves into it (Go channel semantics).
      const waiting = blocked.shift();
      if (waiting) queue.push(waiting);
      job.resolve(await run(job.request));
    }
    running = 0;
  }
  return {
    pull: (request) =>
      new Promise((resolve) => {
        (queue.length < maxImagePullRequests ? queue : blocked).push({ request, resolve });
        if (running === 0) void work();
      }),
    stats: () => ({ running, queued: queue.length, blocked: blocked.length }),
  };
}

/** kubelet's parallelImagePuller: unlimited, or at most `max` pulls at once in arrival order. */
export function parallelPuller(run: Run, max?: number): Puller {
  const limit = max === undefined || max < 1 ? Number.POSITIVE_INFINITY : max;
  const waiting: (() => void)[] = [];
  let running = 0;
  return {
    async pull(request) {
      // A freed slot is handed straight to the next waiter, so a later caller cannot overtake it.
      if (running < limit) running++;
      else await new Promise<void>((go) => waiting.push(go));
      try {
        return await run(request);
      } finally {
        const next = waiting.shift();
        if (next) next();
        else running--;
      }
    },
    stats: () => ({ running, queued: waiting.length, blocked: 0 }),
  };
}
