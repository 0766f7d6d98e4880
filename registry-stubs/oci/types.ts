/** OCI and Docker media types the stub stores, negotiates and synthesises. */
export const MediaType = {
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  ociLayerTar: 'application/vnd.oci.image.layer.v1.tar',
  ociEmpty: 'application/vnd.oci.empty.v1+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
} as const;

/** A platform as it appears in an image index entry or an image config. */
export interface Platform {
  architecture: string;
  os: string;
  variant?: string;
}

/** An OCI content descriptor. */
export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: Platform;
  artifactType?: string;
  annotations?: Record<string, string>;
}

/** One piece of content addressed by its digest (a manifest, an index, a config or a layer). */
export interface Content {
  digest: string;
  mediaType: string;
  bytes: Uint8Array;
}

/**
 * An image as a self-contained bundle that can be seeded into any registry:
 * `manifests` holds the root (index or manifest) and, for an index, its child manifests;
 * `blobs` holds configs and layers. Digests are deterministic for the same inputs.
 */
export interface ImageBundle {
  /** Repository name, e.g. `pullstorm/tiny`. */
  repository: string;
  /** Tag the root is pushed under. */
  tag: string;
  /** Descriptor of the root manifest or index. */
  root: Descriptor;
  /** Root first, then children of an index. */
  manifests: Content[];
  /** Configs and layers. */
  blobs: Content[];
  /** One line for humans: what this image is for. */
  description: string;
}
