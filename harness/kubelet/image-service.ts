/**
 * The CRI ImageService as the kubelet model needs it, kept minimal so the real CRI client (or a fake in
 * tests) plugs in. Absence is `{ image: undefined }`, as CRI reports it, never an error; errors are
 * thrown with their final text (gRPC rendering belongs to the CRI client).
 */

/** Registry credentials as kubelet sends them in PullImageRequest.auth (the CRI client re-exports this type). */
export interface AuthConfig {
  username?: string;
  password?: string;
  /** base64 of `username:password`. */
  auth?: string;
  serverAddress?: string;
  identityToken?: string;
  registryToken?: string;
}

/** An image as ImageStatus / ListImages report it (size in bytes). */
export interface ImageInfo {
  id: string;
  size: number;
  repoDigests: string[];
  repoTags: string[];
  /** Pinned images are never garbage collected; default false. */
  pinned?: boolean;
}

/** The ImageService calls kubelet makes. */
export interface ImageService {
  /** Pulls `image`; resolves to the runtime's image ref (containerd: the image id `sha256:…`). */
  pullImage(image: string, options?: { auth?: AuthConfig }): Promise<{ imageRef: string }>;
  /** The image, or `{}` when it is not present. */
  imageStatus(image: string): Promise<{ image?: ImageInfo }>;
  removeImage(image: string): Promise<void>;
  listImages(): Promise<ImageInfo[]>;
  /** Bytes used by images on the image filesystem (capacity when the runtime knows it). */
  imageFsInfo(): Promise<{ usedBytes: number; capacityBytes?: number }>;
}

/** The shape of a CRI client this module can adapt (decimal-string sizes, `null` for absence). */
export interface CriImageClientLike {
  pullImage(image: string, options?: { auth?: AuthConfig }): Promise<{ imageRef: string }>;
  imageStatus(image: string): Promise<CriImageLike | null>;
  listImages(): Promise<CriImageLike[]>;
  removeImage(image: string): Promise<void>;
  imageFsInfo(): Promise<{ usedBytes: { value: string } | null }[]>;
}

/** A CRI `Image` message as decoded by the CRI client. */
export interface CriImageLike {
  id: string;
  size: string | number;
  repoDigests: string[];
  repoTags: string[];
  pinned?: boolean;
}

function toInfo(img: CriImageLike): ImageInfo {
  return {
    id: img.id,
    size: Number(img.size),
    repoDigests: img.repoDigests,
    repoTags: img.repoTags,
    pinned: img.pinned ?? false,
  };
}

/** Adapts a CRI client (harness/backends/containerd/cri) to {@link ImageService}. */
export function imageServiceFromCri(client: CriImageClientLike): ImageService {
  return {
    pullImage: (image, options) => client.pullImage(image, options),
    imageStatus: async (image) => {
      const img = await client.imageStatus(image);
      return img ? { image: toInfo(img) } : {};
    },
    removeImage: (image) => client.removeImage(image),
    listImages: async () => (await client.listImages()).map(toInfo),
    imageFsInfo: async () => {
      const usage = await client.imageFsInfo();
      return { usedBytes: usage.reduce((sum, u) => sum + Number(u.usedBytes?.value ?? 0), 0) };
    },
  };
}

/** The text kubelet prints for a thrown value (`%v` of the error). */
export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
