/**
 * A node whose every runtime call is marked as work in flight on the run clock, so scenario time
 * passes 1:1 while containerd (or a virtual puller) really works and only idle time is skipped. A
 * container that has just started is also work until it has shown it runs (its first output) or has
 * exited: a process that dies at exec (exec format error) exits on its own, with no call in flight,
 * and on a loaded machine that can take longer than any fixed grace; time racing past it would make
 * the container look as if it had run for minutes.
 */

import type { ImageService } from '../kubelet/image-service.ts';
import type { WorkTracker } from '../kubelet/run-clock.ts';
import type { ClusterNode, ContainerRuntime } from './types.ts';

/** Real ms a started container counts as work at most, when it neither prints nor exits. */
export const START_GRACE_MS = 2_000;
/** How often a starting container is looked at, real ms. */
const START_POLL_MS = 20;

/** The text runc's init prints when it cannot exec the entrypoint (`exec /app: exec format error`). */
const EXEC_FAILED = /^exec \S+: /;

/**
 * Resolves once container `id` has exited, or has printed something other than an exec failure (it
 * runs), or after {@link START_GRACE_MS}. An exec failure is printed just before the process dies,
 * and on a loaded machine the exit can trail the text by hundreds of ms: that wait is still work.
 */
async function startSettled(r: ContainerRuntime, id: string): Promise<void> {
  const deadline = Date.now() + START_GRACE_MS;
  while (Date.now() < deadline) {
    const status = await r.containerStatus(id).catch(() => undefined);
    if (status === undefined || status.state === 'exited') return;
    const log = await r.containerLog(id).catch(() => '');
    if (log !== '' && !EXEC_FAILED.test(log)) return;
    await new Promise((resolve) => setTimeout(resolve, START_POLL_MS));
  }
}

/** True when `clock` tracks work (the run clock), false for a plain or manual clock. */
export function isWorkTracker(clock: unknown): clock is WorkTracker {
  return typeof (clock as Partial<WorkTracker>)?.begin === 'function';
}

/** Runs `call` as work on `work`. */
function tracked<A extends unknown[], R>(work: WorkTracker, call: (...args: A) => Promise<R>) {
  return (...args: A): Promise<R> => {
    const end = work.begin();
    return call(...args).finally(end);
  };
}

function trackImages(s: ImageService, work: WorkTracker, settle?: () => Promise<void>): ImageService {
  const pull = s.pullImage.bind(s);
  return {
    pullImage: async (image, options) => {
      const end = work.begin();
      try {
        const pulled = await pull(image, options);
        end();
        return pulled;
      } catch (error) {
        // The failure is reported now; the runtime's own clean-up still counts as work.
        if (settle) void settle().finally(end);
        else end();
        throw error;
      }
    },
    imageStatus: tracked(work, s.imageStatus.bind(s)),
    removeImage: tracked(work, s.removeImage.bind(s)),
    listImages: tracked(work, s.listImages.bind(s)),
    imageFsInfo: tracked(work, s.imageFsInfo.bind(s)),
  };
}

function trackRuntime(r: ContainerRuntime, work: WorkTracker): ContainerRuntime {
  return {
    runPodSandbox: tracked(work, r.runPodSandbox.bind(r)),
    createContainer: tracked(work, r.createContainer.bind(r)),
    startContainer: async (id: string) => {
      const end = work.begin();
      try {
        await r.startContainer(id);
      } catch (error) {
        end();
        throw error;
      }
      void startSettled(r, id).finally(end);
    },
    containerStatus: tracked(work, r.containerStatus.bind(r)),
    containerLog: tracked(work, r.containerLog.bind(r)),
    removeContainer: tracked(work, r.removeContainer.bind(r)),
    removePodSandbox: tracked(work, r.removePodSandbox.bind(r)),
  };
}

/** `node` with every call tracked on `work`. */
export function trackNode(node: ClusterNode, work: WorkTracker): ClusterNode {
  const fsStats = node.fsStats?.bind(node);
  return {
    name: node.name,
    platform: node.platform,
    capabilities: node.capabilities,
    imageService: trackImages(node.imageService, work, node.settleAfterFailedPull?.bind(node)),
    ...(node.runtime ? { runtime: trackRuntime(node.runtime, work) } : {}),
    ...(node.sandboxImage !== undefined ? { sandboxImage: node.sandboxImage } : {}),
    ...(fsStats ? { fsStats: tracked(work, fsStats) } : {}),
  };
}
