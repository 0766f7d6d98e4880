/**
 * The disk store: a directory tree under `root`, blobs streamed from files.
 *
 *   blobs/<alg>/<hex>                          content (blobs and manifests), written once by rename
 *   uploads/<id>/data, uploads/<id>/state.json upload sessions
 *   repositories/<name…>/_layers/<alg>/<hex>   blob links (empty files)
 *   repositories/<name…>/_manifests/<alg>/<hex>.json  manifest metadata (media type, subject …)
 *   repositories/<name…>/_tags/<tag>           the digest a tag points at
 *
 * Like distribution, deleting only unlinks: content stays under blobs/ until the root is removed.
 */
import { createReadStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';
import type { Descriptor } from '../oci/types.ts';
import { assertDigest, assertName, assertTag, verifyDigest } from './checks.ts';
import { DiskUploads } from './disk-uploads.ts';
import { exists, writeAtomic } from './files.ts';
import { inside, repoSegments } from './paths.ts';
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

// What _manifests/<alg>/<hex>.json holds: the manifest without its bytes, plus their size.
type ManifestMeta = Omit<StoredManifest, 'bytes'> & { size: number };

/** A `Store` under a root directory, created on first write. */
export class DiskStore implements Store {
  readonly kind = 'disk' as const;
  readonly root: string;
  readonly #uploads: DiskUploads;

  /** `root` is the directory everything lives under; nothing is ever written outside it. */
  constructor(root: string, options: StoreClock = {}) {
    this.root = root;
    this.#uploads = new DiskUploads(root, options.now);
  }

  async repositories(): Promise<string[]> {
    const found: string[] = [];
    const walk = async (segments: string[]): Promise<void> => {
      const dir = segments.length === 0 ? this.#path('repositories') : this.#repo(segments.join('/'));
      const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
      const names = entries.filter((e) => e.isDirectory()).map((e) => e.name);
      if (names.some((n) => n.startsWith('_'))) found.push(segments.join('/'));
      for (const name of names.filter((n) => !n.startsWith('_'))) await walk([...segments, name]);
    };
    await walk([]);
    return found.sort();
  }

  async blobSize(repository: string, digest: string): Promise<number | undefined> {
    const path = await this.#linkedContent(repository, digest);
    return path === undefined ? undefined : (await exists(path))?.size;
  }

  async readBlob(repository: string, digest: string, range?: ByteRange): Promise<BlobRead | undefined> {
    const path = await this.#linkedContent(repository, digest);
    const info = path === undefined ? undefined : await exists(path);
    if (path === undefined || info === undefined) return undefined;
    if (info.size === 0) return { size: 0, body: new Uint8Array(0) };
    const file = createReadStream(path, range ?? {});
    return { size: info.size, body: Readable.toWeb(file) as unknown as ReadableStream<Uint8Array> };
  }

  async putBlob(repository: string, digest: string, bytes: Uint8Array): Promise<void> {
    assertName(repository);
    verifyDigest(bytes, digest);
    const content = this.#content(digest);
    if ((await exists(content)) === undefined) await writeAtomic(content, bytes);
    await this.#link(repository, digest);
  }

  async mountBlob(from: string, to: string, digest: string): Promise<boolean> {
    assertName(from);
    assertName(to);
    if ((await exists(this.#layerLink(from, digest))) === undefined) return false;
    await this.#link(to, digest);
    return true;
  }

  async deleteBlob(repository: string, digest: string): Promise<boolean> {
    assertName(repository);
    return this.#remove(this.#layerLink(repository, digest));
  }

  createUpload(repository: string): Promise<UploadState> {
    return this.#uploads.create(repository);
  }

  getUpload(repository: string, id: string): Promise<UploadState | undefined> {
    return this.#uploads.get(repository, id);
  }

  appendUpload(
    repository: string,
    id: string,
    data: UploadData,
    expect?: AppendExpectation,
  ): Promise<UploadState> {
    return this.#uploads.append(repository, id, data, expect);
  }

  completeUpload(repository: string, id: string, digest: string): Promise<number> {
    return this.#uploads.complete(repository, id, digest, async (data) => {
      const content = this.#content(digest);
      if ((await exists(content)) === undefined) {
        await mkdir(dirname(content), { recursive: true });
        await rename(data, content);
      }
      await this.#link(repository, digest);
    });
  }

  cancelUpload(repository: string, id: string): Promise<boolean> {
    return this.#uploads.cancel(repository, id);
  }

  purgeUploads(before: number): Promise<{ repository: string; id: string }[]> {
    return this.#uploads.purge(before);
  }

  async putManifest(repository: string, manifest: StoredManifest, tag?: string): Promise<void> {
    assertName(repository);
    verifyDigest(manifest.bytes, manifest.digest);
    if (tag !== undefined) assertTag(tag);
    const { bytes, ...rest } = manifest;
    const meta: ManifestMeta = { ...rest, size: bytes.byteLength };
    const content = this.#content(manifest.digest);
    if ((await exists(content)) === undefined) await writeAtomic(content, bytes);
    await writeAtomic(this.#manifestMeta(repository, manifest.digest), JSON.stringify(meta));
    if (tag !== undefined) await writeAtomic(this.#tagFile(repository, tag), manifest.digest);
  }

  async getManifest(repository: string, reference: string): Promise<StoredManifest | undefined> {
    assertName(repository);
    let digest = reference;
    if (!reference.includes(':')) {
      assertTag(reference);
      const target = await readFile(this.#tagFile(repository, reference), 'utf8').catch(() => undefined);
      if (target === undefined) return undefined;
      digest = target.trim();
    }
    const meta = await this.#readMeta(repository, digest);
    if (meta === undefined) return undefined;
    const { size: _size, ...rest } = meta;
    return { ...rest, bytes: new Uint8Array(await readFile(this.#content(digest))) };
  }

  async deleteManifest(repository: string, digest: string): Promise<boolean> {
    assertName(repository);
    if (!(await this.#remove(this.#manifestMeta(repository, digest)))) return false;
    const tagsDir = this.#repo(repository, '_tags');
    for (const tag of (await this.tags(repository)) ?? []) {
      const target = await readFile(inside(tagsDir, tag), 'utf8').catch(() => '');
      if (target.trim() === digest) await rm(inside(tagsDir, tag), { force: true });
    }
    return true;
  }

  async deleteTag(repository: string, tag: string): Promise<boolean> {
    assertName(repository);
    assertTag(tag);
    return this.#remove(this.#tagFile(repository, tag));
  }

  async tags(repository: string): Promise<string[] | undefined> {
    assertName(repository);
    if ((await exists(this.#repo(repository))) === undefined) return undefined;
    const names = await readdir(this.#repo(repository, '_tags')).catch(() => [] as string[]);
    return names.filter((n) => !n.startsWith('.')).sort();
  }

  async referrers(repository: string, subject: string): Promise<Descriptor[]> {
    assertName(repository);
    const found: Descriptor[] = [];
    const root = this.#repo(repository, '_manifests');
    for (const algorithm of await readdir(root).catch(() => [] as string[])) {
      for (const file of await readdir(inside(root, algorithm)).catch(() => [] as string[])) {
        if (!file.endsWith('.json')) continue;
        const meta = await this.#readMeta(repository, `${algorithm}:${file.slice(0, -5)}`);
        if (meta?.subject === subject) found.push(referrerDescriptor(meta, meta.size));
      }
    }
    return found.sort((a, b) => (a.digest < b.digest ? -1 : 1));
  }

  async #readMeta(repository: string, digest: string): Promise<ManifestMeta | undefined> {
    const text = await readFile(this.#manifestMeta(repository, digest), 'utf8').catch(() => undefined);
    return text === undefined ? undefined : (JSON.parse(text) as ManifestMeta);
  }

  async #linkedContent(repository: string, digest: string): Promise<string | undefined> {
    assertName(repository);
    const linked =
      (await exists(this.#layerLink(repository, digest))) ??
      (await exists(this.#manifestMeta(repository, digest)));
    return linked === undefined ? undefined : this.#content(digest);
  }

  async #remove(path: string): Promise<boolean> {
    if ((await exists(path)) === undefined) return false;
    await rm(path);
    return true;
  }

  async #link(repository: string, digest: string): Promise<void> {
    const link = this.#layerLink(repository, digest);
    await mkdir(dirname(link), { recursive: true });
    await writeFile(link, '');
  }

  #path(...segments: string[]): string {
    return inside(this.root, ...segments);
  }

  #repo(name: string, ...rest: string[]): string {
    return this.#path('repositories', ...repoSegments(name), ...rest);
  }

  #content(digest: string): string {
    const { algorithm, encoded } = assertDigest(digest);
    return this.#path('blobs', algorithm, encoded);
  }

  #layerLink(repository: string, digest: string): string {
    const { algorithm, encoded } = assertDigest(digest);
    return this.#repo(repository, '_layers', algorithm, encoded);
  }

  #manifestMeta(repository: string, digest: string): string {
    const { algorithm, encoded } = assertDigest(digest);
    return this.#repo(repository, '_manifests', algorithm, `${encoded}.json`);
  }

  #tagFile(repository: string, tag: string): string {
    return this.#repo(repository, '_tags', tag);
  }
}
