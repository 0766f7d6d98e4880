/**
 * `/v2/<name>/referrers/<digest>`: an OCI image index of the manifests whose `subject` is the
 * digest, optionally filtered by `?artifactType=` (announced with `OCI-Filters-Applied`).
 * An unknown repository or subject gives an empty index, as the spec requires.
 */
import { MediaType } from '../oci/types.ts';
import { jsonResponse, type MethodTable, type RouteHandler, referenceOf, repositoryOf } from './common.ts';

const listReferrers: RouteHandler = async (c, { store }) => {
  let manifests = await store.referrers(repositoryOf(c), referenceOf(c));
  const headers: Record<string, string> = { 'Content-Type': MediaType.ociIndex };
  const artifactType = c.req.query('artifactType');
  if (artifactType !== undefined) {
    manifests = manifests.filter((m) => m.artifactType === artifactType);
    headers['OCI-Filters-Applied'] = 'artifactType';
  }
  return jsonResponse({ schemaVersion: 2, mediaType: MediaType.ociIndex, manifests }, headers);
};

/** Referrers handlers by method. */
export const referrersRoutes: MethodTable = { GET: listReferrers, HEAD: listReferrers };
