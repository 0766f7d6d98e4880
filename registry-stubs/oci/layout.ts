/**
 * Writes an ImageBundle as an OCI image layout directory (`oci-layout`, `index.json`, `blobs/sha256/…`),
 * the form `skopeo copy oci:DIR:TAG` and `ctr import` read. Used to push fixtures with real clients.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ImageBundle } from './types.ts';

/** Writes `bundles` into the layout at `dir`, each root annotated with its tag; returns `dir`. */
export async function writeOciLayout(dir: string, bundles: readonly ImageBundle[]): Promise<string> {
  const blobDir = join(dir, 'blobs', 'sha256');
  await mkdir(blobDir, { recursive: true });
  const manifests = [];
  for (const bundle of bundles) {
    for (const content of [...bundle.manifests, ...bundle.blobs]) {
      await writeFile(join(blobDir, content.digest.replace(/^sha256:/, '')), content.bytes);
    }
    manifests.push({ ...bundle.root, annotations: { 'org.opencontainers.image.ref.name': bundle.tag } });
  }
  await writeFile(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  await writeFile(join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests }));
  return dir;
}
