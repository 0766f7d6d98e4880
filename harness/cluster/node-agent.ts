/**
 * The kubelet side of one node, minus the pod workers: the image manager (pull policy, backoff, QPS,
 * puller, events) over the node's ImageService, a `node.disk` reading every 10 s (every minute on a
 * node without a size-limited disk), and image GC every 5 min, all on the run clock.
 *
 * Disk figures follow kubelet with cadvisor: capacity and free space from statfs of the image
 * filesystem (`ClusterNode.fsStats`), else CRI ImageFsInfo. GC runs only where that capacity is known
 * (a size-limited root): elsewhere kubelet's "invalid capacity 0" would be noise, not a finding.
 */

import type { RunEvent } from '../events/types.ts';
import { ImageRecords, imageGcPeriodMs } from '../kubelet/gc.ts';
import { type ImageGcRunResult, runImageGC } from '../kubelet/gc-runner.ts';
import type { ImageService } from '../kubelet/image-service.ts';
import { ImageManager } from '../kubelet/manager.ts';
import { kubeletImageOptions, type ResolvedClusterOptions } from './options.ts';
import { nodeDiskPeriodMs, Waker } from './timing.ts';
import type { ClusterNode } from './types.ts';

/** A disk reading equal to the last one is logged again only after this long (scenario ms). */
const DISK_REPEAT_MS = 300_000;
/** How often a node without a size-limited disk reads its usage (scenario ms). */
const UNLIMITED_DISK_PERIOD_MS = 60_000;

/** Per-node kubelet state shared by the node's pod workers. */
export class NodeAgent {
  readonly node: ClusterNode;
  readonly manager: ImageManager;
  readonly #o: ResolvedClusterOptions;
  readonly #inUse: () => ReadonlySet<string>;
  readonly #records = new ImageRecords();
  readonly #waker: Waker;
  #loops: Promise<void>[] = [];
  #lastDisk: { usedBytes: number; capacityBytes: number | undefined; atMs: number } | undefined;

  /** `inUse` lists the image ids of this node's containers (kubelet's `imagesInUse`). */
  constructor(node: ClusterNode, options: ResolvedClusterOptions, inUse: () => ReadonlySet<string>) {
    this.node = node;
    this.#o = options;
    this.#inUse = inUse;
    this.#waker = new Waker(options.clock);
    const { emit, clock } = options;
    this.manager = new ImageManager({
      ...kubeletImageOptions(options),
      imageService: node.imageService,
      node: node.name,
      clock,
      // The pod worker owns pod.state (it emits on change only); the manager's copy would repeat it.
      emit: (event: RunEvent) => {
        if (event.kind !== 'pod.state') emit(event);
      },
    });
  }

  /** Starts the disk and GC loops. */
  start(): void {
    // kubelet reads disk stats every 10 s; only a size-limited disk (GC, disk-full) acts on them, so a
    // node without one reads every minute, which is all its disk chart needs (and spares a warped
    // run hours of idle readings).
    const diskPeriod = this.node.fsStats ? nodeDiskPeriodMs : UNLIMITED_DISK_PERIOD_MS;
    this.#loops.push(this.#every(diskPeriod, () => this.readDisk()));
    if (this.#o.imageGC && this.node.fsStats) {
      this.#loops.push(this.#every(imageGcPeriodMs, () => this.collectGarbage()));
    }
  }

  /** Stops the loops and waits for a running iteration to end. */
  async stop(): Promise<void> {
    this.#waker.stop();
    await Promise.allSettled(this.#loops);
  }

  async #every(periodMs: number, run: () => Promise<unknown>): Promise<void> {
    while (!this.#waker.stopped) {
      await run().catch(() => undefined); // a failed reading is skipped, as kubelet logs and goes on
      await this.#waker.wait(periodMs);
    }
  }

  /**
   * Emits one `node.disk`: CRI ImageFsInfo's usage, or on a size-limited root the filesystem's own
   * (statfs, as `df` and kubelet's eviction manager see it), because containerd 1.6 refreshes its
   * snapshot usage only every 10 s (it reads 0 right after a pull) and leaves the content store out.
   */
  async readDisk(): Promise<void> {
    const stats = await this.node.fsStats?.();
    const fs = stats ? undefined : await this.node.imageService.imageFsInfo();
    const usedBytes = stats ? stats.capacityBytes - stats.availableBytes : fs!.usedBytes;
    const capacityBytes = stats?.capacityBytes ?? fs?.capacityBytes;
    // A reading like the last one is logged at most every 5 min: a run that idles for hours of
    // scenario time (kubelet reads every 10 s) would otherwise log thousands of equal lines.
    const now = this.#o.clock.now();
    const same = this.#lastDisk?.usedBytes === usedBytes && this.#lastDisk.capacityBytes === capacityBytes;
    if (same && now - this.#lastDisk!.atMs < DISK_REPEAT_MS) return;
    this.#lastDisk = { usedBytes, capacityBytes, atMs: now };
    this.#o.emit({
      kind: 'node.disk',
      time: new Date(now).toISOString(),
      node: this.node.name,
      usedBytes,
      ...(capacityBytes !== undefined ? { capacityBytes } : {}),
    });
  }

  /** One kubelet image GC run; the sandbox image counts as in use (containerd ≥ 1.7 pins it). */
  async collectGarbage(): Promise<ImageGcRunResult | undefined> {
    const stats = await this.node.fsStats?.();
    if (!stats) return undefined;
    const inUse = new Set(this.#inUse());
    const sandbox = this.node.sandboxImage;
    if (sandbox) {
      const id = (await this.node.imageService.imageStatus(sandbox).catch(() => ({ image: undefined }))).image
        ?.id;
      if (id) inUse.add(id);
    }
    // cadvisor's view: free space is what statfs says, whatever holds it (content store, snapshots).
    const real = this.node.imageService;
    const service: ImageService = {
      pullImage: (image, o) => real.pullImage(image, o),
      imageStatus: (image) => real.imageStatus(image),
      removeImage: (image) => real.removeImage(image),
      listImages: () => real.listImages(),
      imageFsInfo: async () => ({ usedBytes: stats.capacityBytes - stats.availableBytes }),
    };
    const result = await runImageGC({
      imageService: service,
      clock: this.#o.clock,
      node: this.node.name,
      inUse,
      capacityBytes: stats.capacityBytes,
      records: this.#records,
      recorder: this.manager.recorder,
      policy: {
        highThresholdPercent: this.#o.imageGCHighThresholdPercent,
        lowThresholdPercent: this.#o.imageGCLowThresholdPercent,
        minAgeMs: this.#o.imageMinimumGCAgeMs,
      },
    });
    if (result.removed.length > 0) await this.readDisk().catch(() => undefined);
    return result;
  }
}
