/**
 * The in-memory store (the default). Blobs are kept as one `Uint8Array` each and served as
 * views (`subarray`), so 64 concurrent downloads of a 256 MiB blob share one copy.
 */

import { concatBytes, digestOf } from '../digest.ts';
import { DEFAULT_LIMITS } from '../limits.ts';
import type { Descriptor } from '../oci/types.ts';
import { chunksOf } from '../streams.ts';
import {
  assertDigest,
  assertName,
  assertTag,
  digestMismatch,
  lengthMismatch,
  offsetMismatch,
  uploadMemoryFull,
  uploadUnknown,
  verifyDigest,
} from './checks.ts';
import {
  type AppendExpectation,
  type BlobRead,
  type ByteRange,
  referrerDescriptor,
  type Store,
  type StoreClock,
  type StoredManifest,
  type UploadData,
  type UploadState,
} from './types.ts';

interface Repo {
  blobs: Set<string>;
  manifests: Map<string, StoredManifest>;
  tags: Map<string, string>;
}

interface Upload {
  state: UploadState;
  chunks: Uint8Array[];
  /** When the last chunk arrived (or the session started), by the store's clock. */
  touched: number;
}

/** Options of the memory store. */
export interface MemoryStoreOptions extends StoreClock {
  /** Bytes of unfinished uploads held at once, over all sessions; default 512 MiB (limits.ts). */
  uploadMemoryBytes?: number;
}

/** A `Store` in process memory; content is gone when the process ends. */
export class MemoryStore implements Store {
  readonly kind = 'memory' as const;
  readonly #content = new Map<string, Uint8Array>();
  readonly #repos = new Map<string, Repo>();
  readonly #uploads = new Map<string, Upload>();
  readonly #now: () => number;
  readonly #budget: number;
  // Bytes of unfinished uploads held now, chunks being read included.
  #held = 0;

  constructor(options: MemoryStoreOptions = {}) {
    this.#now = options.now ?? Date.now;
    this.#budget = options.uploadMemoryBytes ?? DEFAULT_LIMITS.uploadMemoryBytes;
  }

  async repositories(): Promise<string[]> {
    return [...this.#repos.entries()]
      .filter(([, r]) => r.blobs.size + r.manifests.size + r.tags.size > 0)
      .map(([name]) => name)
      .sort();
  }

  async blobSize(repository: string, digest: string): Promise<number | undefined> {
    return this.#linked(repository, digest)?.byteLength;
  }

  async readBlob(repository: string, digest: string, range?: ByteRange): Promise<BlobRead | undefined> {
    const bytes = this.#linked(repository, digest);
    if (bytes === undefined) return undefined;
    const body = range === undefined ? bytes : bytes.subarray(range.start, range.end + 1);
    return { size: bytes.byteLength, body };
  }

  async putBlob(repository: string, digest: string, bytes: Uint8Array): Promise<void> {
    assertName(repository);
    verifyDigest(bytes, digest);
    this.#content.set(digest, this.#content.get(digest) ?? bytes);
    this.#repo(repository).blobs.add(digest);
  }

  async mountBlob(from: string, to: string, digest: string): Promise<boolean> {
    assertName(to);
    if (this.#repos.get(from)?.blobs.has(digest) !== true) return false;
    this.#repo(to).blobs.add(digest);
    return true;
  }

  async deleteBlob(repository: string, digest: string): Promise<boolean> {
    assertDigest(digest);
    const deleted = this.#repos.get(repository)?.blobs.delete(digest) === true;
    if (deleted) this.#collect(digest);
    return deleted;
  }

  async createUpload(repository: string): Promise<UploadState> {
    assertName(repository);
    const at = this.#now();
    const state = { id: crypto.randomUUID(), repository, size: 0, startedAt: new Date(at).toISOString() };
    this.#uploads.set(state.id, { state, chunks: [], touched: at });
    return { ...state };
  }

  async getUpload(repository: string, id: string): Promise<UploadState | undefined> {
    const upload = this.#uploads.get(id);
    return upload?.state.repository === repository ? { ...upload.state } : undefined;
  }

  async appendUpload(
    repository: string,
    id: string,
    data: UploadData,
    expect: AppendExpectation = {},
  ): Promise<UploadState> {
    const upload = this.#upload(repository, id);
    if (expect.offset !== undefined && expect.offset !== upload.state.size) {
      throw offsetMismatch(expect.offset, upload.state.size);
    }
    const chunks: Uint8Array[] = [];
    let length = 0;
    try {
      for await (const chunk of chunksOf(data)) {
        length += chunk.byteLength;
        this.#held += chunk.byteLength;
        if (this.#held > this.#budget) throw uploadMemoryFull(this.#budget);
        chunks.push(chunk);
      }
      if (expect.length !== undefined && expect.length !== length)
        throw lengthMismatch(expect.length, length);
      // Re-checked after the await: a concurrent PATCH may have appended meanwhile, or the session ended.
      const current = this.#upload(repository, id);
      if (expect.offset !== undefined && expect.offset !== current.state.size) {
        throw offsetMismatch(expect.offset, current.state.size);
      }
      current.chunks.push(...chunks);
      current.state.size += length;
      current.touched = this.#now();
      return { ...current.state };
    } catch (err) {
      this.#held -= length;
      throw err;
    }
  }

  async completeUpload(repository: string, id: string, digest: string): Promise<number> {
    const upload = this.#upload(repository, id);
    const { algorithm } = assertDigest(digest);
    this.#end(id);
    const actual = digestOf(upload.chunks, algorithm);
    if (actual !== digest) throw digestMismatch(digest, actual);
    const existing = this.#content.get(digest);
    this.#content.set(digest, existing ?? concatBytes(upload.chunks));
    this.#repo(repository).blobs.add(digest);
    return upload.state.size;
  }

  async cancelUpload(repository: string, id: string): Promise<boolean> {
    if (this.#uploads.get(id)?.state.repository !== repository) return false;
    this.#end(id);
    return true;
  }

  async purgeUploads(before: number): Promise<{ repository: string; id: string }[]> {
    const stale = [...this.#uploads.values()].filter((u) => u.touched < before);
    for (const upload of stale) this.#end(upload.state.id);
    return stale.map((u) => ({ repository: u.state.repository, id: u.state.id }));
  }

  // Ends a session and gives its bytes back to the upload budget.
  #end(id: string): void {
    const upload = this.#uploads.get(id);
    if (upload === undefined) return;
    this.#held -= upload.state.size;
    this.#uploads.delete(id);
  }

  async putManifest(repository: string, manifest: StoredManifest, tag?: string): Promise<void> {
    assertName(repository);
    verifyDigest(manifest.bytes, manifest.digest);
    if (tag !== undefined) assertTag(tag);
    const repo = this.#repo(repository);
    this.#content.set(manifest.digest, this.#content.get(manifest.digest) ?? manifest.bytes);
    repo.manifests.set(manifest.digest, { ...manifest, bytes: this.#content.get(manifest.digest)! });
    if (tag !== undefined) repo.tags.set(tag, manifest.digest);
  }

  async getManifest(repository: string, reference: string): Promise<StoredManifest | undefined> {
    const repo = this.#repos.get(repository);
    const digest = reference.includes(':') ? reference : repo?.tags.get(reference);
    return digest === undefined ? undefined : repo?.manifests.get(digest);
  }

  async deleteManifest(repository: string, digest: string): Promise<boolean> {
    assertDigest(digest);
    const repo = this.#repos.get(repository);
    if (repo?.manifests.delete(digest) !== true) return false;
    for (const [tag, target] of repo.tags) if (target === digest) repo.tags.delete(tag);
    this.#collect(digest);
    return true;
  }

  async deleteTag(repository: string, tag: string): Promise<boolean> {
    return this.#repos.get(repository)?.tags.delete(tag) === true;
  }

  async tags(repository: string): Promise<string[] | undefined> {
    const repo = this.#repos.get(repository);
    if (repo === undefined || repo.blobs.size + repo.manifests.size + repo.tags.size === 0) return undefined;
    return [...repo.tags.keys()].sort();
  }

  async referrers(repository: string, subject: string): Promise<Descriptor[]> {
    const manifests = [...(this.#repos.get(repository)?.manifests.values() ?? [])];
    return manifests
      .filter((m) => m.subject === subject)
      .map((m) => referrerDescriptor(m, m.bytes.byteLength))
      .sort((a, b) => (a.digest < b.digest ? -1 : 1));
  }

  #linked(repository: string, digest: string): Uint8Array | undefined {
    const repo = this.#repos.get(repository);
    if (repo === undefined || !(repo.blobs.has(digest) || repo.manifests.has(digest))) return undefined;
    return this.#content.get(digest);
  }

  #repo(name: string): Repo {
    let repo = this.#repos.get(name);
    if (repo === undefined) {
      repo = { blobs: new Set(), manifests: new Map(), tags: new Map() };
      this.#repos.set(name, repo);
    }
    return repo;
  }

  #upload(repository: string, id: string): Upload {
    const upload = this.#uploads.get(id);
    if (upload?.state.repository !== repository) throw uploadUnknown(repository, id);
    return upload;
  }

  // Drops content no repository links any more, so deleted blobs really free memory.
  #collect(digest: string): void {
    for (const repo of this.#repos.values()) {
      if (repo.blobs.has(digest) || repo.manifests.has(digest)) return;
    }
    this.#content.delete(digest);
  }
}
