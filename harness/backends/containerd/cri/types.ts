/**
 * TypeScript shapes of the CRI v1 messages pullstorm sends and reads (a subset of api.proto).
 *
 * Decoding choices (see load.ts): field names are camelCase; enums are their names as strings;
 * 64-bit integers (sizes, nanosecond timestamps) are decimal strings, because nanosecond
 * timestamps (~1.8e18) exceed Number.MAX_SAFE_INTEGER and would silently lose precision;
 * absent scalars decode to their zero value (`''`, `0`, `[]`), absent messages to `null`.
 */

/** Response of RuntimeService.Version. */
export interface VersionResponse {
  version: string;
  runtimeName: string;
  runtimeVersion: string;
  runtimeApiVersion: string;
}

/** An image reference plus optional annotations. */
export interface ImageSpec {
  image: string;
  annotations?: Record<string, string>;
  userSpecifiedImage?: string;
  runtimeHandler?: string;
}

/** An image as the runtime reports it; `size` is bytes as a decimal string. */
export interface Image {
  id: string;
  repoTags: string[];
  repoDigests: string[];
  size: string;
  uid: { value: string } | null;
  username: string;
  spec: ImageSpec | null;
  pinned: boolean;
}

/**
 * Registry credentials as kubelet passes them from an image pull secret: the CRI message is the kubelet
 * model's own type (harness/kubelet sits below the backends), defined once there.
 */
export type { AuthConfig } from '../../../kubelet/image-service.ts';

/** Namespace modes; pullstorm pods use `NODE` for the network so no CNI is needed. */
export type NamespaceMode = 'POD' | 'CONTAINER' | 'NODE' | 'TARGET';

/** Linux namespace options of a sandbox or container. */
export interface NamespaceOption {
  network?: NamespaceMode;
  pid?: NamespaceMode;
  ipc?: NamespaceMode;
}

/** Identity of a pod sandbox. */
export interface PodSandboxMetadata {
  name: string;
  uid: string;
  namespace: string;
  attempt?: number;
}

/** Configuration of a pod sandbox (the subset pullstorm sets). */
export interface PodSandboxConfig {
  metadata: PodSandboxMetadata;
  hostname?: string;
  logDirectory?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  linux?: {
    cgroupParent?: string;
    securityContext?: { namespaceOptions?: NamespaceOption; privileged?: boolean };
  };
}

/** Configuration of a container (the subset pullstorm sets). */
export interface ContainerConfig {
  metadata: { name: string; attempt?: number };
  image: ImageSpec;
  command?: string[];
  args?: string[];
  workingDir?: string;
  envs?: { key: string; value: string }[];
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** Relative to the sandbox's `logDirectory`. */
  logPath?: string;
  linux?: { securityContext?: { namespaceOptions?: NamespaceOption; privileged?: boolean } };
}

/** Container lifecycle states. */
export type ContainerState =
  | 'CONTAINER_CREATED'
  | 'CONTAINER_RUNNING'
  | 'CONTAINER_EXITED'
  | 'CONTAINER_UNKNOWN';

/** Pod sandbox states. */
export type PodSandboxState = 'SANDBOX_READY' | 'SANDBOX_NOTREADY';

/** Status of one container; times are nanoseconds since the epoch as decimal strings. */
export interface ContainerStatus {
  id: string;
  metadata: { name: string; attempt: number } | null;
  state: ContainerState;
  createdAt: string;
  startedAt: string;
  finishedAt: string;
  exitCode: number;
  image: ImageSpec | null;
  imageRef: string;
  reason: string;
  message: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  logPath: string;
  imageId: string;
}

/** A container as ListContainers reports it. */
export interface Container {
  id: string;
  podSandboxId: string;
  metadata: { name: string; attempt: number } | null;
  image: ImageSpec | null;
  imageRef: string;
  state: ContainerState;
  createdAt: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

/** Filter for ListContainers; all fields are ANDed. */
export interface ContainerFilter {
  id?: string;
  state?: { state: ContainerState };
  podSandboxId?: string;
  labelSelector?: Record<string, string>;
}

/** A pod sandbox as ListPodSandbox reports it. */
export interface PodSandbox {
  id: string;
  metadata: PodSandboxMetadata | null;
  state: PodSandboxState;
  createdAt: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

/** Filter for ListPodSandbox; all fields are ANDed. */
export interface PodSandboxFilter {
  id?: string;
  state?: { state: PodSandboxState };
  labelSelector?: Record<string, string>;
}

/** Usage of the image filesystem; byte and inode counts are decimal strings. */
export interface FilesystemUsage {
  timestamp: string;
  fsId: { mountpoint: string } | null;
  usedBytes: { value: string } | null;
  inodesUsed: { value: string } | null;
}
