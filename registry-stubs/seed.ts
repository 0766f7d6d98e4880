/**
 * Seeding a store with an `ImageBundle` (fixtures): blobs, then child manifests by digest, then
 * the root under its tag. Digests are verified, but references are not, so a fixture can be
 * deliberately incomplete (an index whose child is missing, a manifest without its layer).
 */

import { parseManifest } from './manifest.ts';
import type { Content, ImageBundle } from './oci/types.ts';
import type { Store, StoredManifest } from './storage/types.ts';

/** A manifest's content with what the referrers API needs taken from its body. */
export function storedManifest(content: Content): StoredManifest {
  const parsed = parseManifest(content.bytes, content.mediaType);
  const stored: StoredManifest = {
    digest: content.digest,
    mediaType: parsed.mediaType,
    bytes: content.bytes,
  };
  if (parsed.subject !== undefined) stored.subject = parsed.subject.digest;
  if (parsed.artifactType !== undefined) stored.artifactType = parsed.artifactType;
  if (parsed.annotations !== undefined) stored.annotations = parsed.annotations;
  return stored;
}

/** Stores a bundle's blobs, child manifests and tagged root in `bundle.repository`. */
export async function seed(store: Store, bundle: ImageBundle): Promise<void> {
  const root = bundle.manifests.find((m) => m.digest === bundle.root.digest);
  if (root === undefined) {
    throw new TypeError(
      `bundle ${bundle.repository}:${bundle.tag} has no manifest with its root digest ${bundle.root.digest}`,
    );
  }
  for (const blob of bundle.blobs) await store.putBlob(bundle.repository, blob.digest, blob.bytes);
  for (const child of bundle.manifests) {
    if (child !== root) await store.putManifest(bundle.repository, storedManifest(child));
  }
  await store.putManifest(bundle.repository, storedManifest(root), bundle.tag);
}
