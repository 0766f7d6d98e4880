/**
 * A virtual node's content store and CRI image store in a few maps: which digests it holds and
 * their sizes (bytes only when asked to keep them), the children of the manifests it holds (so a
 * second pull walks the tree without fetching, as containerd reads them from its content store),
 * and the images the CRI plugin would list: one per config digest, with the repo tags and repo
 * digests that point at it (pkg/cri/store/image). Removing an image drops every reference to it and
 * garbage-collects content no remaining image uses, like the CRI's synchronous delete.
 */
import type { ImageInfo } from '../../kubelet/image-service.ts';
import { parseNormalizedNamed } from '../../kubelet/reference.ts';
import type { Descriptor } from './resolve.ts';

interface ImageRecord {
  id: string;
  size: number;
  repoTags: Set<string>;
  repoDigests: Set<string>;
  /** Every digest of the image's tree for this node's platform. */
  content: readonly string[];
}

/** `docker.ParseDockerRef(ref).String()`, or undefined when the reference does not parse. */
export function normalizeRef(ref: string): string | undefined {
  const parsed = parseNormalizedNamed(ref);
  if (typeof parsed === 'string') return undefined;
  if (parsed.digest !== '') return `${parsed.repository}@${parsed.digest}`;
  return `${parsed.repository}:${parsed.tag || 'latest'}`;
}

/** The content and images one virtual node holds. */
export class VirtualStore {
  readonly #sizes = new Map<string, number>();
  readonly #children = new Map<string, readonly Descriptor[]>();
  readonly #bytes: Map<string, Buffer> | undefined;
  readonly #images = new Map<string, ImageRecord>();
  readonly #refs = new Map<string, string>();

  constructor(keepContent: boolean) {
    this.#bytes = keepContent ? new Map() : undefined;
  }

  /** Whether the content store holds `digest` (containerd answers AlreadyExists and skips the fetch). */
  has(digest: string): boolean {
    return this.#sizes.has(digest);
  }

  /** Records committed content; `children` for manifests and indexes, `data` when bytes are kept. */
  add(digest: string, size: number, children?: readonly Descriptor[], data?: Buffer): void {
    this.#sizes.set(digest, size);
    if (children !== undefined) this.#children.set(digest, children);
    if (data !== undefined) this.#bytes?.set(digest, data);
  }

  /** Children recorded for a manifest or index. */
  children(digest: string): readonly Descriptor[] | undefined {
    return this.#children.get(digest);
  }

  /** The bytes of `digest` when the node keeps content. */
  bytes(digest: string): Buffer | undefined {
    return this.#bytes?.get(digest);
  }

  /** Records a pulled image under its id, tag reference and digest reference (the CRI's three refs). */
  addImage(
    id: string,
    references: { repoTag?: string; repoDigest: string },
    size: number,
    content: string[],
  ): void {
    const record = this.#images.get(id) ?? { id, size, repoTags: new Set(), repoDigests: new Set(), content };
    record.size = size;
    record.content = content;
    const refs: [string | undefined, 'repoTags' | 'repoDigests'][] = [
      [references.repoTag, 'repoTags'],
      [references.repoDigest, 'repoDigests'],
    ];
    for (const [ref, field] of refs) {
      if (ref === undefined) continue;
      const previous = this.#refs.get(ref);
      // A tag re-pointed to another image: the old image loses it, as in the CRI image store.
      if (previous !== undefined && previous !== id) this.#images.get(previous)?.[field].delete(ref);
      this.#refs.set(ref, id);
      record[field].add(ref);
    }
    this.#images.set(id, record);
  }

  /** CRI `localResolve`: an image id (`sha256:…`) or a reference; undefined when absent. */
  #find(refOrId: string): ImageRecord | undefined {
    const byId = this.#images.get(refOrId) ?? this.#images.get(`sha256:${refOrId}`);
    if (byId !== undefined) return byId;
    const normalized = normalizeRef(refOrId);
    const id = normalized === undefined ? undefined : this.#refs.get(normalized);
    return id === undefined ? undefined : this.#images.get(id);
  }

  /** ImageStatus: the image, or undefined when not present. */
  status(refOrId: string): ImageInfo | undefined {
    const record = this.#find(refOrId);
    return record === undefined ? undefined : info(record);
  }

  /** ListImages. */
  list(): ImageInfo[] {
    return [...this.#images.values()].map(info);
  }

  /** RemoveImage: every reference of the image goes, then unreferenced content. Absent is not an error. */
  remove(refOrId: string): void {
    const record = this.#find(refOrId);
    if (record === undefined) return;
    for (const ref of [...record.repoTags, ...record.repoDigests]) this.#refs.delete(ref);
    this.#images.delete(record.id);
    const live = new Set([...this.#images.values()].flatMap((r) => r.content));
    for (const digest of this.#sizes.keys()) {
      if (live.has(digest)) continue;
      this.#sizes.delete(digest);
      this.#children.delete(digest);
      this.#bytes?.delete(digest);
    }
  }

  /** Bytes of content held (what ImageFsInfo reports for a virtual node). */
  usedBytes(): number {
    let total = 0;
    for (const size of this.#sizes.values()) total += size;
    return total;
  }
}

function info(r: ImageRecord): ImageInfo {
  return {
    id: r.id,
    size: r.size,
    repoTags: [...r.repoTags],
    repoDigests: [...r.repoDigests],
    pinned: false,
  };
}
