/** Store factory and re-exports: `createStore()` gives the memory store unless told otherwise. */
import { DiskStore } from './disk.ts';
import { MemoryStore, type MemoryStoreOptions } from './memory.ts';
import type { StorageOptions, Store } from './types.ts';

export { DiskStore } from './disk.ts';
export { MemoryStore, type MemoryStoreOptions } from './memory.ts';
export { inside, PathEscapeError } from './paths.ts';
export type * from './types.ts';
export { referrerDescriptor } from './types.ts';

/** Creates a store from options; default `{ kind: 'memory' }`; `store` sets its clock and memory upload budget. */
export function createStore(
  options: StorageOptions = { kind: 'memory' },
  store: MemoryStoreOptions = {},
): Store {
  if (options.kind === 'memory') return new MemoryStore(store);
  if (options.kind === 'disk') {
    if (typeof options.root !== 'string' || options.root === '') {
      throw new TypeError(
        `storage.root must be a non-empty directory path; got ${JSON.stringify(options.root)}`,
      );
    }
    return new DiskStore(options.root, { now: store.now });
  }
  throw new TypeError(
    `storage.kind must be 'memory' or 'disk'; got ${JSON.stringify((options as { kind: unknown }).kind)}`,
  );
}
