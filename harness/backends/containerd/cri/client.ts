/**
 * A small typed CRI v1 client over a unix socket: the calls kubelet's image manager and pod
 * workers make, each returning a promise. Failures reject with {@link CriError}, which keeps the
 * gRPC code and the runtime's exact `details`. One channel serves both services; dispose closes it.
 */
import { Client, credentials, Metadata, type ServiceError } from '@grpc/grpc-js';
import { CriError } from './errors.ts';
import { type CriService, criMethod } from './load.ts';
import type {
  AuthConfig,
  Container,
  ContainerConfig,
  ContainerFilter,
  ContainerStatus,
  FilesystemUsage,
  Image,
  PodSandbox,
  PodSandboxConfig,
  PodSandboxFilter,
  VersionResponse,
} from './types.ts';

/** Options of {@link createCriClient}. */
export interface CriClientOptions {
  /** Deadline for every call except PullImage; default 120 000 ms (kubelet's runtime-request-timeout). */
  requestTimeoutMs?: number;
}

/** Per-call options. */
export interface CallOptions {
  /** Cancels the call; it then rejects with code Canceled. Default: none. */
  signal?: AbortSignal;
  /** Overrides the client's deadline for this call; default: the client's (none for PullImage). */
  timeoutMs?: number;
}

/** Options of {@link CriClient.pullImage}. */
export interface PullImageOptions extends CallOptions {
  /** Credentials, as kubelet sends them from a pull secret: username/password or base64 `auth`. */
  auth?: { username: string; password: string } | { auth: string } | AuthConfig;
  /** The pod's sandbox config, as kubelet passes it. Default: none. */
  sandboxConfig?: PodSandboxConfig;
}

/** A typed CRI client; every method rejects with a {@link CriError} on a gRPC error. */
export interface CriClient extends Disposable, AsyncDisposable {
  /** The gRPC target, `unix:///…`. */
  readonly address: string;
  version(options?: CallOptions): Promise<VersionResponse>;
  /** Pulls `image`; resolves to the runtime's image ref (for containerd, the image id `sha256:…`). */
  pullImage(image: string, options?: PullImageOptions): Promise<{ imageRef: string }>;
  /** The image, or `null` when it is not present (CRI reports absence this way, not as an error). */
  imageStatus(image: string, options?: CallOptions): Promise<Image | null>;
  listImages(filterImage?: string, options?: CallOptions): Promise<Image[]>;
  removeImage(image: string, options?: CallOptions): Promise<void>;
  imageFsInfo(options?: CallOptions): Promise<FilesystemUsage[]>;
  runPodSandbox(config: PodSandboxConfig, options?: CallOptions): Promise<string>;
  createContainer(
    podSandboxId: string,
    config: ContainerConfig,
    sandboxConfig: PodSandboxConfig,
    options?: CallOptions,
  ): Promise<string>;
  startContainer(containerId: string, options?: CallOptions): Promise<void>;
  containerStatus(containerId: string, options?: CallOptions): Promise<ContainerStatus>;
  /** Stops a container, killing it after `timeoutSeconds` (default 0: at once). */
  stopContainer(containerId: string, timeoutSeconds?: number, options?: CallOptions): Promise<void>;
  removeContainer(containerId: string, options?: CallOptions): Promise<void>;
  stopPodSandbox(podSandboxId: string, options?: CallOptions): Promise<void>;
  removePodSandbox(podSandboxId: string, options?: CallOptions): Promise<void>;
  listPodSandbox(filter?: PodSandboxFilter, options?: CallOptions): Promise<PodSandbox[]>;
  listContainers(filter?: ContainerFilter, options?: CallOptions): Promise<Container[]>;
  /** Closes the channel; later calls fail. Idempotent. */
  close(): void;
}

/** Turns a socket path or `unix://` address into the gRPC target `unix:///abs/path`. */
export function criTarget(socket: string): string {
  if (socket.startsWith('unix://')) return socket;
  if (!socket.startsWith('/')) throw new TypeError(`expected an absolute socket path, got "${socket}"`);
  return `unix://${socket}`;
}

/** Opens a CRI client on `socket` (a path or `unix://` address). The channel connects lazily. */
export function createCriClient(socket: string, options: CriClientOptions = {}): CriClient {
  const address = criTarget(socket);
  const requestTimeoutMs = options.requestTimeoutMs ?? 120_000;
  const client = new Client(address, credentials.createInsecure(), {
    // kubelet's CRI limit; ListImages on a busy node exceeds grpc's 4 MiB default.
    'grpc.max_receive_message_length': 16 * 1024 * 1024,
    // Reconnect quickly: a node waiting for its daemon polls Version, and grpc's default
    // backoff (1 s growing to 120 s) would make readiness depend on when the first try failed.
    'grpc.initial_reconnect_backoff_ms': 100,
    'grpc.max_reconnect_backoff_ms': 1000,
  });
  let closed = false;

  function call<Res>(
    service: CriService,
    method: string,
    request: object,
    opts: CallOptions = {},
    deadline = true,
  ) {
    const def = criMethod(service, method);
    const timeoutMs = opts.timeoutMs ?? (deadline ? requestTimeoutMs : undefined);
    return new Promise<Res>((resolve, reject) => {
      const onAbort = () => unary.cancel();
      const unary = client.makeUnaryRequest(
        def.path,
        def.requestSerialize,
        def.responseDeserialize,
        request,
        new Metadata(),
        timeoutMs === undefined ? {} : { deadline: Date.now() + timeoutMs },
        (err: ServiceError | null, response?: object) => {
          opts.signal?.removeEventListener('abort', onAbort);
          if (err) reject(new CriError(method, err.code, err.details, { cause: err }));
          else resolve(response as Res);
        },
      );
      if (opts.signal?.aborted) unary.cancel();
      else opts.signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  const rt = 'RuntimeService';
  const img = 'ImageService';
  const close = () => {
    if (!closed) client.close();
    closed = true;
  };
  return {
    address,
    version: (o) => call<VersionResponse>(rt, 'Version', { version: 'v1' }, o),
    pullImage: async (image, o = {}) => {
      const { imageRef } = await call<{ imageRef: string }>(
        img,
        'PullImage',
        { image: { image }, auth: o.auth, sandboxConfig: o.sandboxConfig },
        o,
        false, // kubelet puts no deadline on PullImage (FACTS.md); neither do we unless asked.
      );
      return { imageRef };
    },
    imageStatus: async (image, o) =>
      (await call<{ image: Image | null }>(img, 'ImageStatus', { image: { image } }, o)).image,
    listImages: async (filterImage, o) => {
      const filter = filterImage ? { image: { image: filterImage } } : undefined;
      return (await call<{ images: Image[] }>(img, 'ListImages', { filter }, o)).images;
    },
    removeImage: async (image, o) => void (await call(img, 'RemoveImage', { image: { image } }, o)),
    imageFsInfo: async (o) =>
      (await call<{ imageFilesystems: FilesystemUsage[] }>(img, 'ImageFsInfo', {}, o)).imageFilesystems,
    runPodSandbox: async (config, o) =>
      (await call<{ podSandboxId: string }>(rt, 'RunPodSandbox', { config }, o)).podSandboxId,
    createContainer: async (podSandboxId, config, sandboxConfig, o) =>
      (await call<{ containerId: string }>(rt, 'CreateContainer', { podSandboxId, config, sandboxConfig }, o))
        .containerId,
    startContainer: async (containerId, o) => void (await call(rt, 'StartContainer', { containerId }, o)),
    containerStatus: async (containerId, o) =>
      (await call<{ status: ContainerStatus }>(rt, 'ContainerStatus', { containerId }, o)).status,
    stopContainer: async (containerId, timeout = 0, o) =>
      void (await call(rt, 'StopContainer', { containerId, timeout }, o)),
    removeContainer: async (containerId, o) => void (await call(rt, 'RemoveContainer', { containerId }, o)),
    stopPodSandbox: async (podSandboxId, o) => void (await call(rt, 'StopPodSandbox', { podSandboxId }, o)),
    removePodSandbox: async (podSandboxId, o) =>
      void (await call(rt, 'RemovePodSandbox', { podSandboxId }, o)),
    listPodSandbox: async (filter, o) =>
      (await call<{ items: PodSandbox[] }>(rt, 'ListPodSandbox', { filter }, o)).items,
    listContainers: async (filter, o) =>
      (await call<{ containers: Container[] }>(rt, 'ListContainers', { filter }, o)).containers,
    close,
    [Symbol.dispose]: close,
    [Symbol.asyncDispose]: async () => close(),
  };
}
