/**
 * One run of kubelet's image GC against an {@link ImageService} (`realImageGCManager.GarbageCollect`):
 * detect images, read disk usage, remove eligible images one by one (continuing past errors, counting
 * only what was removed), and report `InvalidDiskCapacity` / `FreeDiskSpaceFailed` on the Node.
 */

import type { Clock } from './clock.ts';
import { evictionCandidates, type GcPolicy, ImageRecords, selectImagesToRemove } from './gc.ts';
import { aggregateErrorText } from './gofmt.ts';
import { errorText, type ImageService } from './image-service.ts';
import { EventReason, freeDiskSpaceFailed, invalidDiskCapacity } from './messages.ts';
import type { EventRecorder } from './recorder.ts';

/** Options of {@link runImageGC}. */
export interface ImageGcRunOptions {
  imageService: ImageService;
  clock: Clock;
  /** Node name (the Node events' object). */
  node: string;
  /** Image ids in use by containers now. */
  inUse: ReadonlySet<string>;
  /** Image filesystem size; default what imageFsInfo reports (CRI often reports none: then 0). */
  capacityBytes?: number;
  /** Kept across runs so first-detected times survive; default a fresh one. */
  records?: ImageRecords;
  policy?: GcPolicy;
  /** Where Node events go; default none. */
  recorder?: EventRecorder;
}

/** What a GC run did. */
export interface ImageGcRunResult {
  usagePercent: number;
  amountToFree: number;
  removed: string[];
  freed: number;
  /** kubelet's error text, when GC returned an error. */
  error?: string;
}

/** Runs image GC once and returns what was removed. */
export async function runImageGC(options: ImageGcRunOptions): Promise<ImageGcRunResult> {
  const { imageService, clock, inUse, recorder } = options;
  const nodeRef = { kind: 'Node' as const, name: options.node, uid: options.node };
  const nowMs = clock.now();
  const images = (options.records ?? new ImageRecords()).detect(
    await imageService.listImages(),
    inUse,
    nowMs,
  );
  const fs = await imageService.imageFsInfo();
  const capacityBytes = options.capacityBytes ?? fs.capacityBytes ?? 0;
  const decision = selectImagesToRemove({
    images,
    capacityBytes,
    usedBytes: fs.usedBytes,
    inUse,
    nowMs,
    policy: options.policy,
  });
  const result: ImageGcRunResult = {
    usagePercent: decision.usagePercent,
    amountToFree: decision.amountToFree,
    removed: [],
    freed: 0,
  };
  if (decision.error) {
    recorder?.event(nodeRef, 'Warning', EventReason.InvalidDiskCapacity, invalidDiskCapacity);
    return { ...result, error: decision.error };
  }
  if (!decision.overHighThreshold) return result;
  const errors: string[] = [];
  for (const img of evictionCandidates({ images, inUse, nowMs, policy: options.policy })) {
    try {
      await imageService.removeImage(img.id);
    } catch (err) {
      errors.push(errorText(err));
      continue;
    }
    options.records?.forget(img.id);
    result.removed.push(img.id);
    result.freed += img.size;
    if (result.freed >= decision.amountToFree) break;
  }
  if (errors.length > 0) {
    const text = `wanted to free ${decision.amountToFree} bytes, but freed ${result.freed} bytes space with errors in image deletion: ${aggregateErrorText(errors)}`;
    return { ...result, error: text };
  }
  if (result.freed < decision.amountToFree) {
    const text = freeDiskSpaceFailed(decision.amountToFree, result.freed);
    recorder?.event(nodeRef, 'Warning', EventReason.FreeDiskSpaceFailed, text);
    return { ...result, error: text };
  }
  return result;
}
