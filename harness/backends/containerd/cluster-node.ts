/**
 * A real containerd node as a {@link ClusterNode}: its CRI ImageService (pull errors as kubelet ≥ 1.28
 * prints them: code Unknown bare, other codes as `rpc error: code = … desc = …`) and its CRI
 * RuntimeService as a {@link ContainerRuntime}. Sandboxes use host networking (no CNI) under the
 * node's cgroup parent; logs follow kubelet's layout `<podLogDir>/<ns>_<name>_<uid>/<container>/<n>.log`.
 * A tmpfs root (the disk-full fault) makes the node report statfs figures, so GC sees real pressure.
 */

import { mkdir, readdir, readFile, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import type {
  ClusterNode,
  ContainerRuntime,
  NodeFsStats,
  RuntimeContainerStatus,
} from '../../cluster/types.ts';
import { type ImageService, imageServiceFromCri } from '../../kubelet/image-service.ts';
import type { PodRef } from '../../kubelet/manager.ts';
import { isCriError } from './cri/errors.ts';
import type { ContainerState, NamespaceOption, PodSandboxConfig } from './cri/types.ts';
import { withKubeletPullErrors } from './kubelet-errors.ts';
import type { ContainerdNode } from './node.ts';
import { parseCriLog } from './run.ts';
import { mountsUnder } from './system.ts';

const hostNetwork: NamespaceOption = { network: 'NODE', pid: 'CONTAINER', ipc: 'POD' };

const states: Record<ContainerState, RuntimeContainerStatus['state']> = {
  CONTAINER_CREATED: 'created',
  CONTAINER_RUNNING: 'running',
  CONTAINER_EXITED: 'exited',
  CONTAINER_UNKNOWN: 'unknown',
};

/** Ignores NotFound: removal is idempotent. */
const unlessGone = (err: unknown) => {
  if (!isCriError(err, 'NotFound')) throw err;
};

/** The CRI ImageService with kubelet's rendering of pull errors and the tmpfs capacity. */
function kubeletImageService(node: ContainerdNode, fsStats?: () => Promise<NodeFsStats>): ImageService {
  const base = withKubeletPullErrors(imageServiceFromCri(node.cri));
  return {
    ...base,
    imageFsInfo: async () => {
      const usage = await base.imageFsInfo();
      const stats = await fsStats?.();
      return stats ? { ...usage, capacityBytes: stats.capacityBytes } : usage;
    },
  };
}

/** The node's CRI RuntimeService as a ContainerRuntime. */
function criRuntime(node: ContainerdNode, runId: string): ContainerRuntime {
  const { cri } = node;
  const sandboxes = new Map<string, PodSandboxConfig>();
  const logs = new Map<string, string>();
  const labels = (pod: PodRef) => ({
    'pullstorm.io/run-id': runId,
    'pullstorm.io/node': node.name,
    'io.kubernetes.pod.name': pod.name,
    'io.kubernetes.pod.namespace': pod.namespace,
    'io.kubernetes.pod.uid': pod.uid,
  });
  return {
    async runPodSandbox(pod) {
      const config: PodSandboxConfig = {
        metadata: { name: pod.name, uid: pod.uid, namespace: pod.namespace, attempt: 0 },
        logDirectory: join(node.podLogDir, `${pod.namespace}_${pod.name}_${pod.uid}`),
        labels: labels(pod),
        linux: { cgroupParent: node.cgroupParent, securityContext: { namespaceOptions: hostNetwork } },
      };
      const id = await cri.runPodSandbox(config);
      sandboxes.set(id, config);
      return id;
    },
    async createContainer(req) {
      const sandboxConfig = sandboxes.get(req.sandboxId);
      if (!sandboxConfig) throw new Error(`unknown pod sandbox ${req.sandboxId}`);
      const logPath = join(req.name, `${req.attempt}.log`);
      // kubelet creates the container's log directory itself (generateContainerConfig).
      await mkdir(join(sandboxConfig.logDirectory!, req.name), { recursive: true });
      const id = await cri.createContainer(
        req.sandboxId,
        {
          metadata: { name: req.name, attempt: req.attempt },
          image: { image: req.imageRef, userSpecifiedImage: req.userImage },
          ...(req.command ? { command: req.command } : {}),
          ...(req.args ? { args: req.args } : {}),
          logPath,
          labels: { ...labels(req.pod), 'io.kubernetes.container.name': req.name },
          linux: { securityContext: { namespaceOptions: hostNetwork } },
        },
        sandboxConfig,
      );
      logs.set(id, join(sandboxConfig.logDirectory!, logPath));
      return id;
    },
    startContainer: (id) => cri.startContainer(id),
    async containerStatus(id) {
      const s = await cri.containerStatus(id);
      const finished = BigInt(s.finishedAt || '0') / 1_000_000n;
      return {
        state: states[s.state] ?? 'unknown',
        exitCode: s.exitCode,
        reason: s.reason,
        message: s.message,
        ...(finished > 0n ? { finishedAtMs: Number(finished) } : {}),
      };
    },
    async containerLog(id) {
      const file = logs.get(id);
      return file ? parseCriLog(await readFile(file, 'utf8').catch(() => '')) : '';
    },
    async removeContainer(id) {
      await cri.stopContainer(id, 0).catch(unlessGone);
      await cri.removeContainer(id).catch(unlessGone);
      logs.delete(id);
    },
    async removePodSandbox(id) {
      await cri.stopPodSandbox(id).catch(unlessGone);
      await cri.removePodSandbox(id).catch(unlessGone);
      sandboxes.delete(id);
    },
  };
}

/** Options of {@link fromContainerdNode}. */
export interface FromContainerdOptions {
  /** Run id on the runtime labels; default the node's. */
  runId?: string;
}

/** Adapts a started containerd node; detects a tmpfs root (size-limited disk) by its mount. */
export async function fromContainerdNode(
  node: ContainerdNode,
  options: FromContainerdOptions = {},
): Promise<ClusterNode> {
  const sizeLimited = (await mountsUnder(node.root)).includes(node.root);
  const fsStats = sizeLimited
    ? async (): Promise<NodeFsStats> => {
        const s = await statfs(node.root);
        return { capacityBytes: s.blocks * s.bsize, availableBytes: s.bavail * s.bsize };
      }
    : undefined;
  return {
    name: node.name,
    platform: node.platform,
    imageService: kubeletImageService(node, fsStats),
    capabilities: { runsContainers: true, diskFaults: sizeLimited },
    runtime: criRuntime(node, options.runId ?? node.runId),
    sandboxImage: node.sandboxImage,
    ...(fsStats ? { fsStats } : {}),
    settleAfterFailedPull: () => ingestsCleared(node.root),
  };
}

/** How long to wait at most for containerd to drop a failed pull's ingests (its GC runs within ~1 s). */
const INGEST_SETTLE_MAX_MS = 3_000;

/**
 * Resolves once containerd's content store holds no ingest (a download in progress or left by a
 * failed one), or after {@link INGEST_SETTLE_MAX_MS}. A commit that failed its digest check leaves
 * its ingest behind until containerd's garbage collector (scheduled on its own wall clock) removes
 * it; a retry before that finds the ingest complete, commits the same bad bytes and fails again.
 */
async function ingestsCleared(root: string): Promise<void> {
  const dir = join(root, 'io.containerd.content.v1.content', 'ingest');
  const deadline = Date.now() + INGEST_SETTLE_MAX_MS;
  while (Date.now() < deadline) {
    const left = await readdir(dir).catch(() => []);
    if (left.length === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
