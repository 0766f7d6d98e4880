/**
 * The shapes the embedded cluster is built from: a {@link ClusterNode} is any backend node that has
 * an ImageService (real containerd, virtual puller); one that can also run containers adds a
 * {@link ContainerRuntime}. Pods are single-container, restartPolicy Always, like a Deployment's.
 */

import type { ImageService } from '../kubelet/image-service.ts';
import type { PodRef } from '../kubelet/manager.ts';
import type { PullPolicy } from '../kubelet/policy.ts';

/** What a node can do, so callers check a flag instead of failing deep inside a call. */
export interface NodeCapabilities {
  /** Containers really start (sandbox, create, start); otherwise a pod is Running once its image is. */
  runsContainers: boolean;
  /** The image filesystem is size-limited, so disk-full faults apply and GC sees real pressure. */
  diskFaults: boolean;
}

/** A container as the runtime reports it. */
export interface RuntimeContainerStatus {
  state: 'created' | 'running' | 'exited' | 'unknown';
  exitCode: number;
  /** e.g. `Error`, `Completed`, `StartError`; `''` while running. */
  reason: string;
  /** Empty for an exec format error: the text is only in the container's log. */
  message: string;
  /** When it exited (ms since the epoch); undefined while it runs. */
  finishedAtMs?: number;
}

/** One container to create in a pod's sandbox. */
export interface RuntimeContainerRequest {
  pod: PodRef;
  sandboxId: string;
  name: string;
  /** The image id the image manager resolved (kubelet passes the ref, not the name). */
  imageRef: string;
  /** The image as written in the pod spec. */
  userImage: string;
  command?: string[];
  args?: string[];
  /** Restart count, the CRI `attempt`. */
  attempt: number;
}

/**
 * The RuntimeService calls a pod worker makes, shaped like CRI. Failures reject with an error whose
 * `details` (CriError) or `message` is the runtime's text, which the worker shows as `Error: <text>`.
 */
export interface ContainerRuntime {
  /** Creates the pod's sandbox (host network); resolves to its id. */
  runPodSandbox(pod: PodRef): Promise<string>;
  createContainer(request: RuntimeContainerRequest): Promise<string>;
  startContainer(containerId: string): Promise<void>;
  containerStatus(containerId: string): Promise<RuntimeContainerStatus>;
  /** The container's output (stdout and stderr in order); `''` when there is none. */
  containerLog(containerId: string): Promise<string>;
  /** Stops (at once) and removes a container; idempotent. */
  removeContainer(containerId: string): Promise<void>;
  /** Stops and removes a sandbox and what is left in it; idempotent. */
  removePodSandbox(sandboxId: string): Promise<void>;
}

/** Disk figures of the filesystem under the image store, as cadvisor reads them (statfs). */
export interface NodeFsStats {
  capacityBytes: number;
  availableBytes: number;
}

/** A node the cluster schedules pods onto; see `fromContainerdNode` and `fromVirtualNode`. */
export interface ClusterNode {
  readonly name: string;
  /** The CRI ImageService (kubelet-formatted errors: an Unknown pull error is shown bare). */
  readonly imageService: ImageService;
  /** e.g. `linux/amd64`. */
  readonly platform: string;
  readonly capabilities: NodeCapabilities;
  /** Present exactly when `capabilities.runsContainers`. */
  readonly runtime?: ContainerRuntime;
  /** The sandbox (pause) image, kept out of image GC as containerd ≥ 1.7 pins it; default none. */
  readonly sandboxImage?: string;
  /** statfs of the image filesystem when it is size-limited (drives GC and `node.disk`); default none. */
  fsStats?(): Promise<NodeFsStats>;
  /**
   * Resolves once the runtime has cleaned up after a failed pull on its own (wall) clock: containerd
   * leaves a failed download's ingest until its garbage collector runs, and a retry that comes
   * sooner resumes the bad bytes. The run clock counts this as work, so it never skips past it; it
   * does not delay the failure itself. Default none.
   */
  settleAfterFailedPull?(): Promise<void>;
}

/** A pod to run: one container, restartPolicy Always. */
export interface PodSpec {
  /** Pod name; unique in its namespace. Required. */
  name: string;
  /** Default `default`. */
  namespace?: string;
  /** The container image as written in a pod spec. Required. */
  image: string;
  /** Default: the API server's defaulting (`:latest` or no tag → Always, else IfNotPresent). */
  imagePullPolicy?: PullPolicy;
  /** Container name; default `app`. */
  containerName?: string;
  /** Entrypoint override; default the image's. */
  command?: string[];
  /** Arguments; default the image's. */
  args?: string[];
  /** Names of the cluster's `pullSecrets` to pull with, in order; default none (anonymous). */
  imagePullSecrets?: string[];
  /** Names of the nodes the pod may run on; default any node. */
  nodeSelector?: string[];
}

/** A pod's current state, as `kubectl get pod` would summarise it. */
export interface PodStatus {
  name: string;
  namespace: string;
  uid: string;
  node: string;
  image: string;
  /** The owning deployment, when a deployment created the pod. */
  deployment?: string;
  phase: 'Pending' | 'Running' | 'Succeeded' | 'Failed';
  /** Waiting reason (`ContainerCreating`, `ErrImagePull`, `CrashLoopBackOff`, …); undefined when running. */
  reason?: string;
  message?: string;
  /** `sha256:…` repo digest the node resolved, once the image is present. */
  imageDigest?: string;
  restartCount: number;
  /** ISO time of creation. */
  createdAt: string;
}
