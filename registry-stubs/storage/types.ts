/**
 * The content-addressed store behind the registry. Content (blobs and manifests) is kept once by
 * digest and linked into repositories, like distribution: a blob is only visible in a repository
 * it was pushed or mounted into. Implementations throw `RegistryError`s for conditions a client
 * caused (unknown upload, digest mismatch, invalid name), so routes can let them through.
 */
import type { Content, Descriptor } from '../oci/types.ts';

/** An inclusive byte range, as in `Range: bytes=start-end`. */
export interface ByteRange {
  start: number;
  end: number;
}

/** A blob read: total size and the requested bytes, in memory or streamed from disk. */
export interface BlobRead {
  /** Size of the whole blob, not of the range. */
  size: number;
  /** The requested bytes (the whole blob, or the range). Memory stores hand out views, never copies. */
  body: Uint8Array | ReadableStream<Uint8Array>;
}

/** The state of an upload session. */
export interface UploadState {
  id: string;
  repository: string;
  /** Bytes received so far. */
  size: number;
  /** ISO time the session started. */
  startedAt: string;
}

/** Bytes for an upload: already in memory, or a request body stream. */
export type UploadData = Uint8Array | ReadableStream<Uint8Array>;

/** Where an appended chunk must go and how long it must be (both optional). */
export interface AppendExpectation {
  /** The chunk must start at this offset (the session size); otherwise 416 RANGE_INVALID. */
  offset?: number;
  /** The chunk must be exactly this long; otherwise SIZE_INVALID and the chunk is discarded. */
  length?: number;
}

/** A manifest as stored: its bytes and media type plus what the referrers API needs. */
export interface StoredManifest extends Content {
  /** Digest of the manifest's `subject`, when it has one. */
  subject?: string;
  /** `artifactType`, or the config media type of an image manifest. */
  artifactType?: string;
  annotations?: Record<string, string>;
}

/** Options every store takes. */
export interface StoreClock {
  /** Clock in milliseconds for session times (start, last chunk); default `Date.now`. */
  now?: () => number;
}

/** Which store to create: memory (default) or a directory tree under `root`. */
export type StorageOptions = { kind: 'memory' } | { kind: 'disk'; root: string };

/** The registry's storage. All names and digests are validated by the implementation. */
export interface Store {
  readonly kind: 'memory' | 'disk';
  /** Repositories holding any blob, manifest or tag, sorted. */
  repositories(): Promise<string[]>;
  /** Size of a blob (or manifest) linked into `repository`, or undefined. */
  blobSize(repository: string, digest: string): Promise<number | undefined>;
  /** The blob's bytes (or a range of them), or undefined when not linked into `repository`. */
  readBlob(repository: string, digest: string, range?: ByteRange): Promise<BlobRead | undefined>;
  /** Stores a whole blob whose digest is verified first (DIGEST_INVALID otherwise). */
  putBlob(repository: string, digest: string, bytes: Uint8Array): Promise<void>;
  /** Links a blob from `from` into `to`; false when `from` does not have it. */
  mountBlob(from: string, to: string, digest: string): Promise<boolean>;
  /** Unlinks a blob from `repository`; false when it was not linked. */
  deleteBlob(repository: string, digest: string): Promise<boolean>;
  /** Starts an upload session. */
  createUpload(repository: string): Promise<UploadState>;
  /** The session, or undefined when unknown in `repository`. */
  getUpload(repository: string, id: string): Promise<UploadState | undefined>;
  /** Appends a chunk; BLOB_UPLOAD_UNKNOWN, 416 or SIZE_INVALID when expectations fail. */
  appendUpload(
    repository: string,
    id: string,
    data: UploadData,
    expect?: AppendExpectation,
  ): Promise<UploadState>;
  /** Verifies the digest and links the blob; the session ends either way. Returns the size. */
  completeUpload(repository: string, id: string, digest: string): Promise<number>;
  /** Ends a session and drops its data; false when unknown. */
  cancelUpload(repository: string, id: string): Promise<boolean>;
  /** Ends every session whose last chunk (or start) came before `before` (ms since the epoch), data too; returns them. */
  purgeUploads(before: number): Promise<{ repository: string; id: string }[]>;
  /** Stores a manifest (digest verified) and points `tag` at it when given. */
  putManifest(repository: string, manifest: StoredManifest, tag?: string): Promise<void>;
  /** A manifest by tag or digest, or undefined. */
  getManifest(repository: string, reference: string): Promise<StoredManifest | undefined>;
  /** Deletes a manifest and every tag pointing at it; false when unknown. */
  deleteManifest(repository: string, digest: string): Promise<boolean>;
  /** Deletes a tag only; false when unknown. */
  deleteTag(repository: string, tag: string): Promise<boolean>;
  /** Tags of a repository, sorted; undefined when the repository is unknown. */
  tags(repository: string): Promise<string[] | undefined>;
  /** Descriptors of manifests in `repository` whose subject is `subject`, sorted by digest. */
  referrers(repository: string, subject: string): Promise<Descriptor[]>;
}

/** The referrers-API descriptor of a stored manifest. */
export function referrerDescriptor(manifest: Omit<StoredManifest, 'bytes'>, size: number): Descriptor {
  const descriptor: Descriptor = { mediaType: manifest.mediaType, digest: manifest.digest, size };
  if (manifest.artifactType !== undefined) descriptor.artifactType = manifest.artifactType;
  if (manifest.annotations !== undefined) descriptor.annotations = manifest.annotations;
  return descriptor;
}
