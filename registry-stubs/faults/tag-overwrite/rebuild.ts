/**
 * A rebuilt variant of an image: the same layers under a config with one more label
 * (`dev.pullstorm.rebuild`), so every digest above the layers changes — what a CI rebuild of
 * unchanged sources pushes when the build stamps something into the config. Indexes are rebuilt
 * child by child.
 */
import { digestOf } from '../../digest.ts';
import { storedManifest } from '../../seed.ts';
import type { Store, StoredManifest } from '../../storage/types.ts';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The label the rebuilt config carries; its value is the fault application's id. */
export const REBUILD_LABEL = 'dev.pullstorm.rebuild';

type Json = Record<string, unknown>;
type Ref = { digest: string; size: number } & Json;

async function put(store: Store, repository: string, doc: Json, mediaType: string): Promise<StoredManifest> {
  const bytes = encoder.encode(JSON.stringify(doc));
  const stored = storedManifest({ digest: digestOf(bytes), mediaType, bytes });
  await store.putManifest(repository, stored);
  return stored;
}

async function readJson(store: Store, repository: string, digest: string): Promise<Json> {
  const read = await store.readBlob(repository, digest);
  if (read === undefined) return {};
  const bytes =
    read.body instanceof Uint8Array ? read.body : new Uint8Array(await new Response(read.body).arrayBuffer());
  return JSON.parse(decoder.decode(bytes)) as Json;
}

/** Stores a variant of `current` in `repository` whose config carries `label`; returns its root. */
export async function rebuild(
  store: Store,
  repository: string,
  current: StoredManifest,
  label: string,
): Promise<StoredManifest> {
  const doc = JSON.parse(decoder.decode(current.bytes)) as Json;
  if (Array.isArray(doc.manifests)) {
    const manifests: Ref[] = [];
    for (const entry of doc.manifests as Ref[]) {
      const child = await store.getManifest(repository, entry.digest);
      // A deliberately incomplete fixture keeps its dangling entry as it was.
      const rebuilt = child === undefined ? undefined : await rebuild(store, repository, child, label);
      manifests.push(
        rebuilt === undefined ? entry : { ...entry, digest: rebuilt.digest, size: rebuilt.bytes.byteLength },
      );
    }
    return put(store, repository, { ...doc, manifests }, current.mediaType);
  }
  const config = doc.config as Ref;
  const configDoc = await readJson(store, repository, config.digest);
  const inner = (configDoc.config ?? {}) as Json;
  const labels = (inner.Labels ?? {}) as Json;
  configDoc.config = { ...inner, Labels: { ...labels, [REBUILD_LABEL]: label } };
  const bytes = encoder.encode(JSON.stringify(configDoc));
  const digest = digestOf(bytes);
  await store.putBlob(repository, digest, bytes);
  return put(
    store,
    repository,
    { ...doc, config: { ...config, digest, size: bytes.byteLength } },
    current.mediaType,
  );
}
