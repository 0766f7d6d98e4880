/**
 * kubelet's image garbage collection decision (pkg/kubelet/images/image_gc_manager.go
 * `GarbageCollect`, `imagesInEvictionOrder`, `freeSpace`): when disk usage reaches
 * imageGCHighThresholdPercent (85), free enough to get down to imageGCLowThresholdPercent (80),
 * removing the least recently used images first (ties: first detected first), never an image in use
 * or pinned, and never one first seen less than imageMinimumGCAge (2 min) ago. Integer arithmetic as Go's.
 */

/** What kubelet tracks per image (`imageRecord`). */
export interface GcImage {
  id: string;
  size: number;
  /** When the image was last seen in use (ms); 0 when never. */
  lastUsedMs: number;
  /** When kubelet first saw the image (ms). */
  firstDetectedMs: number;
  pinned?: boolean;
}

/** The GC policy; all fields optional. */
export interface GcPolicy {
  /** Default 85. */
  highThresholdPercent?: number;
  /** Default 80. */
  lowThresholdPercent?: number;
  /** imageMinimumGCAge; default 120 000 ms. */
  minAgeMs?: number;
}

/** kubelet's ImageGCPeriod: GC runs every 5 minutes. */
export const imageGcPeriodMs = 300_000;

/** Input of {@link selectImagesToRemove}. */
export interface GcInput {
  images: GcImage[];
  capacityBytes: number;
  /** Available bytes; when omitted, capacity − used. */
  availableBytes?: number;
  usedBytes?: number;
  /** Image ids used by containers (never removed). */
  inUse: ReadonlySet<string>;
  nowMs: number;
  policy?: GcPolicy;
}

/** The decision. `error` is kubelet's text when capacity is 0. */
export interface GcDecision {
  usagePercent: number;
  /** Usage reached the high threshold, so GC frees space. */
  overHighThreshold: boolean;
  /** Bytes to free; 0 when under the high threshold. */
  amountToFree: number;
  /** Images to remove, in removal order. */
  remove: GcImage[];
  freed: number;
  /** False when the eligible images cannot free `amountToFree` (kubelet then emits FreeDiskSpaceFailed). */
  enough: boolean;
  error?: string;
}

/** Usage, bytes to free and eligible images in eviction order; `remove`/`freed` assume every removal works. */
export function selectImagesToRemove(input: GcInput): GcDecision {
  const high = input.policy?.highThresholdPercent ?? 85;
  const low = input.policy?.lowThresholdPercent ?? 80;
  if (!(low >= 0 && high <= 100 && low <= high)) {
    throw new RangeError(`GC thresholds must satisfy 0 <= low <= high <= 100, got low ${low}, high ${high}`);
  }
  const capacity = Math.trunc(input.capacityBytes);
  let available = Math.trunc(input.availableBytes ?? capacity - (input.usedBytes ?? 0));
  if (available > capacity) available = capacity;
  const none = { overHighThreshold: false, amountToFree: 0, remove: [], freed: 0, enough: true };
  if (capacity === 0)
    return { usagePercent: 0, ...none, enough: false, error: 'invalid capacity 0 on image filesystem' };
  const usagePercent = 100 - Math.trunc((available * 100) / capacity);
  if (usagePercent < high) return { usagePercent, ...none };
  const amountToFree = Math.trunc((capacity * (100 - low)) / 100) - available;
  const remove: GcImage[] = [];
  let freed = 0;
  for (const img of evictionCandidates(input)) {
    remove.push(img);
    freed += img.size;
    if (freed >= amountToFree) break; // checked after a removal, as kubelet does
  }
  return {
    usagePercent,
    overHighThreshold: true,
    amountToFree,
    remove,
    freed,
    enough: freed >= amountToFree,
  };
}

/** Images GC may remove, least recently used first (ties: first detected first). */
export function evictionCandidates(input: Pick<GcInput, 'images' | 'inUse' | 'nowMs' | 'policy'>): GcImage[] {
  const minAge = input.policy?.minAgeMs ?? 120_000;
  return input.images
    .filter((img) => !input.inUse.has(img.id) && !img.pinned)
    .sort((a, b) => a.lastUsedMs - b.lastUsedMs || a.firstDetectedMs - b.firstDetectedMs)
    .filter((img) => img.lastUsedMs < input.nowMs) // used during this detection
    .filter((img) => input.nowMs - img.firstDetectedMs >= minAge); // just pulled; a container may need it
}

/** kubelet's `detectImages` bookkeeping: first-detected and last-used times per image id. */
export class ImageRecords {
  readonly #records = new Map<string, GcImage>();

  /** Updates records from the current image list; in-use images get `lastUsedMs = nowMs`. */
  detect(
    images: { id: string; size: number; pinned?: boolean }[],
    inUse: ReadonlySet<string>,
    nowMs: number,
  ): GcImage[] {
    const seen = new Set<string>();
    for (const img of images) {
      seen.add(img.id);
      const rec = this.#records.get(img.id) ?? { id: img.id, size: 0, lastUsedMs: 0, firstDetectedMs: nowMs };
      if (inUse.has(img.id)) rec.lastUsedMs = nowMs;
      rec.size = img.size;
      rec.pinned = img.pinned ?? false;
      this.#records.set(img.id, rec);
    }
    for (const id of this.#records.keys()) if (!seen.has(id)) this.#records.delete(id);
    return [...this.#records.values()].map((r) => ({ ...r }));
  }

  /** Forgets a removed image. */
  forget(id: string): void {
    this.#records.delete(id);
  }
}
