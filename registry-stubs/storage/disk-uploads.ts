/**
 * Upload sessions of the disk store: `uploads/<id>/data` grows chunk by chunk, and
 * `uploads/<id>/state.json` records the owning repository and size. Work on one session is
 * serialised, so an offset check and the write it guards happen as one step. `state.json` also
 * keeps `touchedAt` (ms, the store's clock), when the last chunk came, for purging stale sessions.
 */
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { digestOfStream } from '../digest.ts';
import { chunksOf } from '../streams.ts';
import {
  assertDigest,
  assertName,
  digestMismatch,
  isUploadId,
  lengthMismatch,
  offsetMismatch,
  uploadUnknown,
} from './checks.ts';
import { KeyedLock, writeAtomic } from './files.ts';
import { inside } from './paths.ts';
import type { AppendExpectation, UploadData, UploadState } from './types.ts';

// What state.json holds; `touchedAt` is absent from sessions written before it existed.
type StoredState = UploadState & { touchedAt?: number };

/** Upload sessions under `<root>/uploads`. */
export class DiskUploads {
  readonly #root: string;
  readonly #locks = new KeyedLock();
  readonly #now: () => number;

  /** `root` is the store root; sessions live in its `uploads` directory; `now` defaults to `Date.now`. */
  constructor(root: string, now: () => number = Date.now) {
    this.#root = root;
    this.#now = now;
  }

  /** Starts a session with an empty data file. */
  async create(repository: string): Promise<UploadState> {
    assertName(repository);
    const at = this.#now();
    const state = { id: crypto.randomUUID(), repository, size: 0, startedAt: new Date(at).toISOString() };
    await mkdir(this.#path(state.id), { recursive: true });
    await writeFile(this.#path(state.id, 'data'), new Uint8Array(0));
    await writeAtomic(this.#path(state.id, 'state.json'), JSON.stringify({ ...state, touchedAt: at }));
    return state;
  }

  /** The session, or undefined when unknown in `repository` (or not an id at all). */
  async get(repository: string, id: string): Promise<UploadState | undefined> {
    const state = await this.#read(id);
    if (state?.repository !== repository) return undefined;
    const { touchedAt: _touched, ...rest } = state;
    return rest;
  }

  /** Removes every session whose last chunk came before `before`, and session directories without a readable state. */
  async purge(before: number): Promise<{ repository: string; id: string }[]> {
    const ids = await readdir(this.#path()).catch(() => [] as string[]);
    const purged: { repository: string; id: string }[] = [];
    for (const id of ids.filter(isUploadId)) {
      await this.#locks.run(id, async () => {
        const state = await this.#read(id);
        // A directory without a state (a crash between mkdir and the state write) ages by its mtime.
        const touched =
          state === undefined
            ? ((await stat(this.#path(id)).catch(() => undefined))?.mtimeMs ?? 0)
            : (state.touchedAt ?? Date.parse(state.startedAt));
        if (!(touched < before)) return;
        await rm(this.#path(id), { recursive: true, force: true });
        if (state !== undefined) purged.push({ repository: state.repository, id });
      });
    }
    return purged;
  }

  async #read(id: string): Promise<StoredState | undefined> {
    if (!isUploadId(id)) return undefined;
    const text = await readFile(this.#path(id, 'state.json'), 'utf8').catch(() => undefined);
    try {
      return text === undefined ? undefined : (JSON.parse(text) as StoredState);
    } catch {
      return undefined;
    }
  }

  /** Appends a chunk; a chunk that fails (or has the wrong length) leaves no bytes behind. */
  append(
    repository: string,
    id: string,
    data: UploadData,
    expect: AppendExpectation = {},
  ): Promise<UploadState> {
    return this.#locks.run(id, async () => {
      const state = await this.#session(repository, id);
      if (expect.offset !== undefined && expect.offset !== state.size)
        throw offsetMismatch(expect.offset, state.size);
      const handle = await open(this.#path(id, 'data'), 'a');
      let written = 0;
      try {
        for await (const chunk of chunksOf(data)) {
          await handle.write(chunk);
          written += chunk.byteLength;
        }
        if (expect.length !== undefined && expect.length !== written)
          throw lengthMismatch(expect.length, written);
      } catch (err) {
        await handle.truncate(state.size);
        throw err;
      } finally {
        await handle.close();
      }
      const next = { ...state, size: state.size + written };
      await writeAtomic(this.#path(id, 'state.json'), JSON.stringify({ ...next, touchedAt: this.#now() }));
      return next;
    });
  }

  /**
   * Verifies the data against `digest` and hands the data file to `adopt` (which moves it into
   * content storage); the session ends either way, as in distribution. Returns the size.
   */
  complete(
    repository: string,
    id: string,
    digest: string,
    adopt: (dataPath: string) => Promise<void>,
  ): Promise<number> {
    return this.#locks.run(id, async () => {
      const state = await this.#session(repository, id);
      const { algorithm } = assertDigest(digest);
      const data = this.#path(id, 'data');
      try {
        const actual = await digestOfStream(createReadStream(data), algorithm);
        if (actual.digest !== digest) throw digestMismatch(digest, actual.digest);
        await adopt(data);
        return state.size;
      } finally {
        await rm(this.#path(id), { recursive: true, force: true });
      }
    });
  }

  /** Ends a session and drops its data; false when unknown. */
  async cancel(repository: string, id: string): Promise<boolean> {
    if ((await this.get(repository, id)) === undefined) return false;
    await rm(this.#path(id), { recursive: true, force: true });
    return true;
  }

  async #session(repository: string, id: string): Promise<UploadState> {
    const state = await this.get(repository, id);
    if (state === undefined) throw uploadUnknown(repository, id);
    return state;
  }

  #path(...segments: string[]): string {
    return inside(this.#root, 'uploads', ...segments);
  }
}
