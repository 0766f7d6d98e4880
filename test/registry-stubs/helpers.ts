/**
 * Small builders for registry tests: content, OCI manifests and indexes, and pushes through
 * `app.request()` so tests read as client conversations.
 */
import type { Hono } from 'hono';
import type { RegistryEnv } from '../../registry-stubs/context.ts';
import { digestOf } from '../../registry-stubs/digest.ts';
import { type Content, type Descriptor, MediaType } from '../../registry-stubs/oci/types.ts';

/** The app type under test. */
export type App = Hono<RegistryEnv>;

const encoder = new TextEncoder();

/** Content of arbitrary bytes with its sha256 digest. */
export function blob(data: string | Uint8Array, mediaType: string = MediaType.ociLayerTar): Content {
  const bytes = typeof data === 'string' ? encoder.encode(data) : data;
  return { digest: digestOf(bytes), mediaType, bytes };
}

/** The descriptor of some content. */
export function describe(content: Content, extra: Partial<Descriptor> = {}): Descriptor {
  return { mediaType: content.mediaType, digest: content.digest, size: content.bytes.byteLength, ...extra };
}

/** JSON content with the given media type. */
export function jsonContent(value: unknown, mediaType: string): Content {
  return blob(JSON.stringify(value), mediaType);
}

/** An OCI image manifest for a config and layers; `extra` adds fields such as subject or artifactType. */
export function imageManifest(
  config: Content,
  layers: Content[],
  extra: Record<string, unknown> = {},
): Content {
  return jsonContent(
    {
      schemaVersion: 2,
      mediaType: MediaType.ociManifest,
      config: describe(config),
      layers: layers.map((l) => describe(l)),
      ...extra,
    },
    MediaType.ociManifest,
  );
}

/** An OCI index of manifests (each with a linux platform). */
export function imageIndex(manifests: { content: Content; architecture: string }[]): Content {
  return jsonContent(
    {
      schemaVersion: 2,
      mediaType: MediaType.ociIndex,
      manifests: manifests.map((m) =>
        describe(m.content, { platform: { os: 'linux', architecture: m.architecture } }),
      ),
    },
    MediaType.ociIndex,
  );
}

/** A small image: a config, one layer and the manifest over them. */
export function smallImage(seed = 'a'): { config: Content; layer: Content; manifest: Content } {
  const config = jsonContent({ architecture: 'amd64', os: 'linux', seed }, MediaType.ociConfig);
  const layer = blob(`layer ${seed}`, MediaType.ociLayerTar);
  return { config, layer, manifest: imageManifest(config, [layer]) };
}

/** Pushes a blob monolithically (`POST ?digest=`); returns the response. */
export function pushBlob(
  app: App,
  repository: string,
  content: Content,
  headers: HeadersInit = {},
): Promise<Response> {
  return Promise.resolve(
    app.request(`/v2/${repository}/blobs/uploads/?digest=${content.digest}`, {
      method: 'POST',
      body: content.bytes as Uint8Array<ArrayBuffer>,
      headers: { 'Content-Type': 'application/octet-stream', ...headers },
    }),
  );
}

/** Pushes a manifest under a tag or digest; returns the response. */
export function pushManifest(
  app: App,
  repository: string,
  reference: string,
  content: Content,
  headers: HeadersInit = {},
): Promise<Response> {
  return Promise.resolve(
    app.request(`/v2/${repository}/manifests/${reference}`, {
      method: 'PUT',
      body: content.bytes as Uint8Array<ArrayBuffer>,
      headers: { 'Content-Type': content.mediaType, ...headers },
    }),
  );
}

/** Pushes a small image's blobs and manifest under `tag`. */
export async function pushImage(app: App, repository: string, tag: string, seed = 'a') {
  const image = smallImage(seed);
  for (const content of [image.config, image.layer]) {
    const res = await pushBlob(app, repository, content);
    if (res.status !== 201) throw new Error(`blob push gave ${res.status}: ${await res.text()}`);
  }
  const res = await pushManifest(app, repository, tag, image.manifest);
  if (res.status !== 201) throw new Error(`manifest push gave ${res.status}: ${await res.text()}`);
  return image;
}

/** The first OCI error code of a response body. */
export async function errorCode(res: Response): Promise<string | undefined> {
  const body = (await res.json()) as { errors?: { code: string }[] };
  return body.errors?.[0]?.code;
}
