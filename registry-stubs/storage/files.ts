/**
 * File helpers for the disk store: existence without exceptions, atomic writes, and a per-key
 * lock so concurrent requests on one upload session take turns.
 */
import type { Stats } from 'node:fs';
import { mkdir, rename, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** The file's stats, or undefined when it does not exist (or cannot be read). */
export function exists(path: string): Promise<Stats | undefined> {
  return stat(path).then(
    (s) => s,
    () => undefined,
  );
}

/** Writes a file atomically: a temporary sibling (dot-named, so never listed) renamed into place. */
export async function writeAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = `${dirname(path)}/.tmp-${crypto.randomUUID()}`;
  await writeFile(temp, data);
  await rename(temp, path);
}

/** Runs work for the same key one after another; different keys run concurrently. */
export class KeyedLock {
  readonly #tails = new Map<string, Promise<unknown>>();

  /** Runs `work` after every earlier `run` for `key` settled; resolves or rejects with `work`. */
  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const result = previous.then(work, work);
    const tail = result.catch(() => {});
    this.#tails.set(key, tail);
    // Forget the key once nothing is queued behind this run, so the map does not grow forever.
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return result;
  }
}
