/**
 * Argument checks every store runs, so a store used directly (seeding, the fault engine) is as
 * strict as the HTTP routes, and the disk store never builds a path from an unchecked string.
 */
import { clip } from '../bounded.ts';
import { digestOf } from '../digest.ts';
import { RegistryError } from '../errors.ts';
import { nameProblem, type ParsedDigest, parseDigest, tagProblem } from '../grammar.ts';

/** Throws NAME_INVALID unless `name` is a valid repository name. */
export function assertName(name: string): void {
  const problem = nameProblem(name);
  if (problem !== undefined)
    throw new RegistryError('NAME_INVALID', problem, { detail: { name: clip(name) } });
}

/** Throws DIGEST_INVALID unless `digest` is a supported digest; returns its parts. */
export function assertDigest(digest: string): ParsedDigest {
  const parsed = parseDigest(digest);
  if (typeof parsed === 'string')
    throw new RegistryError('DIGEST_INVALID', parsed, { detail: { digest: clip(digest) } });
  return parsed;
}

/** Throws TAG_INVALID unless `tag` is a valid tag. */
export function assertTag(tag: string): void {
  const problem = tagProblem(tag);
  if (problem !== undefined) throw new RegistryError('TAG_INVALID', problem, { detail: { tag: clip(tag) } });
}

/** Throws DIGEST_INVALID unless `bytes` hash to `digest`. */
export function verifyDigest(bytes: Uint8Array | readonly Uint8Array[], digest: string): void {
  const { algorithm } = assertDigest(digest);
  const actual = digestOf(bytes, algorithm);
  if (actual !== digest) throw digestMismatch(digest, actual);
}

/** The DIGEST_INVALID error for content whose digest is not the one the client claimed. */
export function digestMismatch(expected: string, actual: string): RegistryError {
  return new RegistryError('DIGEST_INVALID', `content has digest ${actual}; the client said ${expected}`, {
    detail: { expected, actual },
  });
}

/** The BLOB_UPLOAD_UNKNOWN error for a session id not known in `repository`. */
export function uploadUnknown(repository: string, id: string): RegistryError {
  return new RegistryError('BLOB_UPLOAD_UNKNOWN', `no upload session '${id}' in repository '${repository}'`, {
    detail: { repository, id },
  });
}

/** The 416 error for a chunk that does not start where the session ends. */
export function offsetMismatch(offset: number, size: number): RegistryError {
  return new RegistryError(
    'RANGE_INVALID',
    `chunk starts at byte ${offset}; the upload has ${size} bytes, so the next chunk must start at ${size}`,
    { detail: { offset, size } },
  );
}

/** The SIZE_INVALID error for a chunk whose length is not the one its Content-Range announced. */
export function lengthMismatch(expected: number, actual: number): RegistryError {
  return new RegistryError('SIZE_INVALID', `chunk has ${actual} bytes; Content-Range announced ${expected}`, {
    detail: { expected, actual },
  });
}

/** True for strings safe to use as an upload id (we generate UUIDs; clients echo them back). */
export function isUploadId(id: string): boolean {
  return /^[A-Za-z0-9-]{1,64}$/.test(id);
}

/** The 413 for a chunk the memory store has no room for; the connection closes (its unread rest is not wanted). */
export function uploadMemoryFull(budget: number): RegistryError {
  return new RegistryError(
    'BLOB_UPLOAD_INVALID',
    `the memory store holds at most ${budget} bytes of unfinished uploads, and this chunk would pass that; finish or cancel other uploads, or serve with disk storage (--storage <dir>) for larger pushes`,
    { status: 413, detail: { limit: budget }, headers: { Connection: 'close' } },
  );
}
