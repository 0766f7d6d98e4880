/**
 * Re-pointing a tag, the mechanism of `tag-overwrite`, `wrong-platform` and `wrong-arch`: at
 * apply time new content is stored in each selected repository that has the tag, the tag moves
 * to it (a push, as far as clients can tell), and clearing moves the tag back to the digest it
 * had. The new content stays stored, as after a real push. Requests that resolve the tag while
 * applied are recorded as touched, so the event log shows who saw the new digest.
 */
import type { ImageBundle } from '../oci/types.ts';
import { storedManifest } from '../seed.ts';
import type { Store, StoredManifest } from '../storage/types.ts';
import { faultError } from './errors.ts';
import type { HttpFaultActions, HttpFaultRun } from './types.ts';

/** Makes the new root for `repository` (storing what it needs) from the current one. */
export type Replacement = (repository: string, current: StoredManifest) => Promise<StoredManifest>;

/** Moves `tag` in every selected repository that has it; the actions mark and undo it. */
export async function retag(run: HttpFaultRun, tag: string, replace: Replacement): Promise<HttpFaultActions> {
  const { store } = run;
  const selected = (await store.repositories()).filter(run.repository);
  const moved = new Map<string, { before: StoredManifest; after: StoredManifest }>();
  for (const repository of selected) {
    const before = await store.getManifest(repository, tag);
    if (before === undefined) continue;
    const after = await replace(repository, before);
    await store.putManifest(repository, after, tag);
    moved.set(repository, { before, after });
  }
  if (moved.size === 0) {
    const list = selected.length === 0 ? 'none' : selected.join(', ');
    throw faultError(
      'FAULT_NOT_APPLICABLE',
      `expected a repository with tag '${tag}', got none (selected: ${list})`,
      'options.tag',
    );
  }
  return {
    wants(c) {
      const entry = moved.get(c.get('repository') ?? '');
      const reference = c.get('reference');
      return (
        c.get('route') === 'manifest' &&
        entry !== undefined &&
        (reference === tag || reference === entry.after.digest)
      );
    },
    handle: async function taggedAnew(_c, next) {
      await next();
    },
    async clear() {
      for (const [repository, { before }] of moved) await store.putManifest(repository, before, tag);
    },
  };
}

/** Stores `bundle`'s blobs and child manifests in `repository`; returns its root, untagged. */
export async function storeBundle(
  store: Store,
  repository: string,
  bundle: ImageBundle,
): Promise<StoredManifest> {
  for (const blob of bundle.blobs) await store.putBlob(repository, blob.digest, blob.bytes);
  let root: StoredManifest | undefined;
  for (const content of bundle.manifests) {
    const stored = storedManifest(content);
    if (content.digest === bundle.root.digest) root = stored;
    else await store.putManifest(repository, stored);
  }
  if (root === undefined)
    throw new TypeError(`bundle ${bundle.repository} lacks its root ${bundle.root.digest}`);
  await store.putManifest(repository, root);
  return root;
}
