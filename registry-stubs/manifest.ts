/**
 * Manifest parsing and checking for PUT and seeding: which media type a body has, which blobs
 * and child manifests it references, and what the referrers API needs (subject, artifactType).
 */
import { brief, clip } from './bounded.ts';
import { RegistryError } from './errors.ts';
import { parseDigest } from './grammar.ts';
import { type Descriptor, MediaType } from './oci/types.ts';

/** Manifest media types the registry stores: OCI and Docker, image manifests and indexes. */
export const manifestMediaTypes: readonly string[] = [
  MediaType.ociManifest,
  MediaType.ociIndex,
  MediaType.dockerManifest,
  MediaType.dockerManifestList,
];

const indexTypes = new Set<string>([MediaType.ociIndex, MediaType.dockerManifestList]);
// Content types that say nothing about the manifest, so the body's own mediaType decides.
const genericTypes = new Set(['', 'application/json', 'application/octet-stream']);

/** What a manifest body references and says about itself. */
export interface ParsedManifest {
  mediaType: string;
  kind: 'image' | 'index';
  /** Config and layers that must exist as blobs (foreign layers with `urls` are left out). */
  blobs: Descriptor[];
  /** Child manifests of an index, which must exist as manifests. */
  manifests: Descriptor[];
  subject?: Descriptor;
  /** `artifactType`, else the config media type of an image manifest. */
  artifactType?: string;
  annotations?: Record<string, string>;
}

const invalid = (message: string, detail?: unknown) =>
  new RegistryError('MANIFEST_INVALID', message, { detail });

/** The bare media type of a Content-Type header value (parameters dropped, lowercased). */
export function bareMediaType(contentType: string | null | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

function descriptor(value: unknown, where: string): Descriptor {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid(`${where} must be a descriptor object; got ${brief(value)}`);
  }
  const d = value as Record<string, unknown>;
  if (typeof d.mediaType !== 'string' || d.mediaType === '') {
    throw invalid(`${where}.mediaType must be a non-empty string; got ${brief(d.mediaType)}`);
  }
  const digest = typeof d.digest === 'string' ? parseDigest(d.digest) : 'digest is missing';
  if (typeof digest === 'string') throw invalid(`${where}.digest is invalid: ${digest}`);
  if (typeof d.size !== 'number' || !Number.isSafeInteger(d.size) || d.size < 0) {
    throw invalid(`${where}.size must be a non-negative integer; got ${brief(d.size)}`);
  }
  return value as Descriptor;
}

function descriptors(value: unknown, where: string): Descriptor[] {
  if (!Array.isArray(value)) throw invalid(`${where} must be an array of descriptors; got ${brief(value)}`);
  return value.map((v, i) => descriptor(v, `${where}[${i}]`));
}

// Non-distributable layers live elsewhere (their `urls`), so a registry never has their bytes.
function isForeign(d: Descriptor & { urls?: unknown }): boolean {
  return /foreign|nondistributable/.test(d.mediaType) && Array.isArray(d.urls) && d.urls.length > 0;
}

function resolveMediaType(contentType: string, bodyType: unknown): string {
  const declared = typeof bodyType === 'string' ? bodyType : undefined;
  if (manifestMediaTypes.includes(contentType)) {
    if (declared !== undefined && declared !== contentType) {
      throw invalid(`Content-Type is ${contentType} but the manifest's mediaType is ${brief(declared)}`);
    }
    return contentType;
  }
  if (genericTypes.has(contentType) && declared !== undefined && manifestMediaTypes.includes(declared)) {
    return declared;
  }
  const message = `manifest media type ${clip(contentType, 100) || '(none)'} is not supported; expected one of ${manifestMediaTypes.join(', ')}`;
  if (genericTypes.has(contentType)) throw invalid(message);
  throw new RegistryError('UNSUPPORTED', message, { status: 415 });
}

/** Parses and checks a manifest body; throws MANIFEST_INVALID (or 415 UNSUPPORTED for a foreign type). */
export function parseManifest(bytes: Uint8Array, contentType: string | null | undefined): ParsedManifest {
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (err) {
    throw invalid(`manifest is not valid UTF-8 JSON: ${clip((err as Error).message, 200)}`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalid(`manifest must be a JSON object; got ${Array.isArray(body) ? 'an array' : typeof body}`);
  }
  const m = body as Record<string, unknown>;
  const mediaType = resolveMediaType(bareMediaType(contentType), m.mediaType);
  if (m.schemaVersion !== 2) throw invalid(`schemaVersion must be 2; got ${brief(m.schemaVersion)}`);
  const parsed: ParsedManifest = { mediaType, kind: 'image', blobs: [], manifests: [] };
  if (indexTypes.has(mediaType)) {
    parsed.kind = 'index';
    parsed.manifests = descriptors(m.manifests, 'manifests');
  } else {
    const config = descriptor(m.config, 'config');
    parsed.blobs = [config, ...descriptors(m.layers, 'layers').filter((l) => !isForeign(l))];
    parsed.artifactType = config.mediaType;
  }
  if (m.subject !== undefined) parsed.subject = descriptor(m.subject, 'subject');
  if (m.artifactType !== undefined) {
    if (typeof m.artifactType !== 'string')
      throw invalid(`artifactType must be a string; got ${brief(m.artifactType)}`);
    parsed.artifactType = m.artifactType;
  }
  if (m.annotations !== undefined) {
    if (typeof m.annotations !== 'object' || m.annotations === null || Array.isArray(m.annotations)) {
      throw invalid(`annotations must be an object of strings; got ${brief(m.annotations)}`);
    }
    // Strings only (the spec's map of string to string): the map is stored and served back as is.
    const bad = Object.entries(m.annotations).find(([, v]) => typeof v !== 'string');
    if (bad !== undefined)
      throw invalid(`annotations must be an object of strings; got ${brief(bad[1])} for ${brief(bad[0])}`);
    parsed.annotations = m.annotations as Record<string, string>;
  }
  return parsed;
}

/** True when an Accept header admits `mediaType`; no header (or an empty one) admits everything. */
export function accepts(accept: string | null | undefined, mediaType: string): boolean {
  if (accept === null || accept === undefined || accept.trim() === '') return true;
  const [type] = mediaType.split('/');
  return accept.split(',').some((entry) => {
    const [range, ...params] = entry.split(';').map((p) => p.trim().toLowerCase());
    if (params.some((p) => /^q=0(?:\.0*)?$/.test(p))) return false;
    return range === mediaType || range === '*/*' || range === `${type}/*`;
  });
}
