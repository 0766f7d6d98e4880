/**
 * A small in-memory ImageService for the kubelet model's unit tests (the model is pure logic; the real
 * containerd path is proven by the backend's integration tests). Pulls take `pullMs` of the test's
 * ManualClock and fail with whatever `failures` says.
 */

import type { RunEvent } from '../../harness/events/types.ts';
import type { ManualClock } from '../../harness/kubelet/clock.ts';
import type { AuthConfig, ImageInfo, ImageService } from '../../harness/kubelet/image-service.ts';

/** One PullImage call as the fake saw it. */
export interface PullCall {
  image: string;
  auth?: AuthConfig;
  startedMs: number;
  endedMs?: number;
}

/** Fake CRI image service. */
export class FakeImageService implements ImageService {
  readonly images = new Map<string, ImageInfo>();
  readonly calls: PullCall[] = [];
  readonly statusCalls: string[] = [];
  readonly removed: string[] = [];
  /** Errors to throw, consumed one per pull of that image; a function decides per call. */
  readonly failures = new Map<string, string[] | ((auth?: AuthConfig) => string | undefined)>();
  pullMs = 1_234;
  sizeBytes = 4_096;
  usedBytes = 0;
  statusError?: string;
  readonly clock: ManualClock;
  #next = 1;

  constructor(clock: ManualClock) {
    this.clock = clock;
  }

  /** Puts an image on the "node" as if it had been pulled before. */
  preload(name: string, info: Partial<ImageInfo> = {}): ImageInfo {
    const image: ImageInfo = {
      id: `sha256:${String(this.#next++).padStart(64, '0')}`,
      size: this.sizeBytes,
      repoDigests: [],
      repoTags: [name],
      ...info,
    };
    this.images.set(name, image);
    return image;
  }

  async pullImage(image: string, options: { auth?: AuthConfig } = {}): Promise<{ imageRef: string }> {
    const call: PullCall = { image, auth: options.auth, startedMs: this.clock.now() };
    this.calls.push(call);
    await this.clock.sleep(this.pullMs);
    call.endedMs = this.clock.now();
    const failure = this.failures.get(image);
    const error = typeof failure === 'function' ? failure(options.auth) : failure?.shift();
    if (error !== undefined) throw new Error(error);
    const existing = this.images.get(image);
    const info =
      existing ?? this.preload(image, { repoDigests: [`docker.io/library/app@sha256:${'a'.repeat(64)}`] });
    return { imageRef: info.id };
  }

  async imageStatus(image: string): Promise<{ image?: ImageInfo }> {
    this.statusCalls.push(image);
    if (this.statusError) throw new Error(this.statusError);
    const info = this.images.get(image);
    return info ? { image: info } : {};
  }

  async removeImage(image: string): Promise<void> {
    for (const [name, info] of this.images) if (info.id === image) this.images.delete(name);
    this.removed.push(image);
  }

  async listImages(): Promise<ImageInfo[]> {
    return [...new Set(this.images.values())];
  }

  async imageFsInfo(): Promise<{ usedBytes: number }> {
    return { usedBytes: this.usedBytes };
  }
}

/** Collects emitted records, with helpers to pick kinds. */
export function sink() {
  const events: RunEvent[] = [];
  return {
    events,
    emit: (e: RunEvent) => void events.push(e),
    kube: () => events.flatMap((e) => (e.kind === 'k8s.event' ? [e] : [])),
    /** `reason type message` lines, the way `kubectl describe` lists them. */
    lines: () =>
      events.flatMap((e) => (e.kind === 'k8s.event' ? [`${e.reason} ${e.type} ${e.message}`] : [])),
    clear: () => void events.splice(0),
  };
}
