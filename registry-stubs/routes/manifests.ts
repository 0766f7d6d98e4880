/**
 * `/v2/<name>/manifests/<reference>`: GET, HEAD, PUT, DELETE by tag or digest.
 */
import { BodyTooLarge, readLimited } from '../body.ts';
import { digestOf } from '../digest.ts';
import { RegistryError } from '../errors.ts';
import { type DigestAlgorithm, parseReference } from '../grammar.ts';
import { accepts, parseManifest } from '../manifest.ts';
import type { Descriptor } from '../oci/types.ts';
import { emptyResponse, type MethodTable, type RouteHandler, referenceOf, repositoryOf } from './common.ts';

/** Largest manifest accepted on PUT: 4 MiB, distribution's limit and the spec's minimum. */
export const maxManifestBytes = 4 * 1024 * 1024;

const unknown = (repository: string, reference: string, why = 'not found') =>
  new RegistryError('MANIFEST_UNKNOWN', `manifest '${reference}' ${why} in repository '${repository}'`, {
    detail: { repository, reference },
  });

const getManifest: RouteHandler = async (c, { store }) => {
  const repository = repositoryOf(c);
  const reference = referenceOf(c);
  const manifest = await store.getManifest(repository, reference);
  if (manifest === undefined) throw unknown(repository, reference);
  const accept = c.req.header('Accept');
  // Like distribution: a stored type the client does not accept is reported as unknown, not converted.
  if (!accepts(accept, manifest.mediaType)) {
    throw unknown(
      repository,
      reference,
      `is ${manifest.mediaType}, which Accept (${accept}) does not allow,`,
    );
  }
  const etag = `"${manifest.digest}"`;
  const headers = {
    'Content-Type': manifest.mediaType,
    'Docker-Content-Digest': manifest.digest,
    'Content-Length': String(manifest.bytes.byteLength),
    ETag: etag,
  };
  const match = c.req.header('If-None-Match');
  if (match?.split(',').some((t) => t.trim() === etag)) {
    return new Response(null, { status: 304, headers });
  }
  const body = c.req.method === 'HEAD' ? null : (manifest.bytes as Uint8Array<ArrayBuffer>);
  return new Response(body, { status: 200, headers });
};

async function missingReferences(
  descriptors: Descriptor[],
  exists: (digest: string) => Promise<boolean>,
): Promise<string[]> {
  const found = await Promise.all(descriptors.map((d) => exists(d.digest)));
  return descriptors.filter((_, i) => !found[i]).map((d) => d.digest);
}

const putManifest: RouteHandler = async (c, { store }) => {
  const repository = repositoryOf(c);
  const reference = parseReference(referenceOf(c));
  if (typeof reference === 'string') throw new RegistryError('MANIFEST_INVALID', reference);
  // Counted while it streams: a chunked body without Content-Length is cut off at the limit too.
  const bytes = await readLimited(c.req.raw, maxManifestBytes).catch((err: unknown) => {
    throw err instanceof BodyTooLarge ? tooLarge(err) : err;
  });
  const parsed = parseManifest(bytes, c.req.header('Content-Type'));
  const algorithm: DigestAlgorithm = reference.kind === 'digest' ? reference.algorithm : 'sha256';
  const digest = digestOf(bytes, algorithm);
  if (reference.kind === 'digest' && reference.digest !== digest) {
    throw new RegistryError(
      'DIGEST_INVALID',
      `manifest body has digest ${digest}; the URL says ${reference.digest}`,
      {
        detail: { expected: reference.digest, actual: digest },
      },
    );
  }
  const missing = [
    ...(await missingReferences(
      parsed.blobs,
      async (d) => (await store.blobSize(repository, d)) !== undefined,
    )),
    ...(await missingReferences(
      parsed.manifests,
      async (d) => (await store.getManifest(repository, d)) !== undefined,
    )),
  ];
  if (missing.length > 0) {
    throw new RegistryError(
      'MANIFEST_BLOB_UNKNOWN',
      `manifest references content not in repository '${repository}': ${missing.join(', ')}`,
      { detail: { missing } },
    );
  }
  const tag = reference.kind === 'tag' ? reference.tag : undefined;
  await store.putManifest(
    repository,
    {
      digest,
      mediaType: parsed.mediaType,
      bytes,
      ...(parsed.subject && { subject: parsed.subject.digest }),
      ...(parsed.artifactType !== undefined && { artifactType: parsed.artifactType }),
      ...(parsed.annotations && { annotations: parsed.annotations }),
    },
    tag,
  );
  const headers: Record<string, string> = {
    Location: `/v2/${repository}/manifests/${digest}`,
    'Docker-Content-Digest': digest,
  };
  if (parsed.subject !== undefined) headers['OCI-Subject'] = parsed.subject.digest;
  return emptyResponse(201, headers);
};

function tooLarge(err: BodyTooLarge): RegistryError {
  const { size, declared } = err;
  return new RegistryError(
    'SIZE_INVALID',
    `manifest is ${declared ? '' : 'more than '}${size} bytes; at most ${maxManifestBytes} accepted`,
    // The unread rest of the body would only be drained: close the connection instead.
    { status: 413, detail: { size, limit: maxManifestBytes }, headers: { Connection: 'close' } },
  );
}

const deleteManifest: RouteHandler = async (c, { store }) => {
  const repository = repositoryOf(c);
  const reference = referenceOf(c);
  // By digest: the manifest and its tags go; by tag (OCI v1.1): only the tag goes.
  const deleted = reference.includes(':')
    ? await store.deleteManifest(repository, reference)
    : await store.deleteTag(repository, reference);
  if (!deleted) throw unknown(repository, reference);
  return emptyResponse(202, {});
};

/** Manifest handlers by method. */
export const manifestRoutes: MethodTable = {
  GET: getManifest,
  HEAD: getManifest,
  PUT: putManifest,
  DELETE: deleteManifest,
};
