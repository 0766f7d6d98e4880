/**
 * Upload sessions of the disk store: `uploads/<id>/data` grows chunk by chunk, and
 * `uploads/<id>/state.json` records the owning repository and size. Work on one session is
 * serialised, so an offset check and the write it guards happen as one step.
 */
import { createReadStream } from 'node:fs';
import { mkdir, open, readFile, rm, writeFile } from 'node:fs/promises';
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

/** Upload sessions under `<root>/uploads`. */
export class DiskUploads {
  readonly #root: string;
  readonly #locks = new KeyedLock();

  /** `root` is the store root; sessions live in its `uploads` directory. */
  constructor(root: string) {
    this.#root = root;
  }

  /** Starts a session with an empty data file. */
  async create(repository: string): Promise<UploadState> {
    assertName(repository);
    const state = { id: crypto.randomUUID(), repository, size: 0, startedAt: new Date().toISOString() };
    await mkdir(this.#path(state.id), { recursive: true });
    await writeFile(this.#path(state.id, 'data'), new Uint8Array(0));
    await writeAtomic(this.#path(state.id, 'state.json'), JSON.stringify(state));
    return state;
  }

  /** The session, or undefined when unknown in `repository` (or not an id at all). */
  async get(repository: string, id: string): Promise<UploadState | undefined> {
    if (!isUploadId(id)) return undefined;
    const text = await readFile(this.#path(id, 'state.json'), 'utf8').catch(() => undefined);
    const state = text === undefined ? undefined : (JSON.parse(text) as UploadState);
    return state?.repository === repository ? state : undefined;
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
      await writeAtomic(this.#path(id, 'state.json'), JSON.stringify(next));
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
