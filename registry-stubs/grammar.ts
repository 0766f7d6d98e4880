/**
 * The OCI Distribution spec grammar for repository names, tags and digests.
 * Checks return a reason string (what was expected, what was given) or `undefined` when valid,
 * so callers can put the reason straight into an error message.
 */
import { clip } from './bounded.ts';

const component = '[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*';

/** Spec regex for a repository name: components of `[a-z0-9]` joined by `.`, `_`, `__` or dashes, split by `/`. */
export const namePattern: RegExp = new RegExp(`^${component}(?:/${component})*$`);
/** Spec regex for a tag: up to 128 characters of `[a-zA-Z0-9_.-]`, not starting with `.` or `-`. */
export const tagPattern: RegExp = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;
/** Spec regex for the digest grammar `algorithm:encoded` (any algorithm). */
export const digestPattern: RegExp = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;

/** Longest repository name accepted (many clients cap host + name at 255). */
export const maxNameLength = 255;

/** Digest algorithms the stub can compute, with the length of their lowercase hex encoding. */
export const digestAlgorithms = { sha256: 64, sha512: 128 } as const;

/** A digest algorithm the stub supports. */
export type DigestAlgorithm = keyof typeof digestAlgorithms;

/** A digest split into its parts. */
export interface ParsedDigest {
  algorithm: DigestAlgorithm;
  encoded: string;
  /** The digest as written, `algorithm:encoded`. */
  digest: string;
}

/** Why `name` is not a valid repository name, or `undefined` when it is. */
export function nameProblem(name: string): string | undefined {
  if (name.length === 0) return 'repository name is empty';
  if (name.length > maxNameLength) {
    return `repository name is ${name.length} characters; at most ${maxNameLength} allowed`;
  }
  if (!namePattern.test(name)) {
    return `repository name '${name}' does not match ${namePattern.source} (lowercase alphanumerics separated by '.', '_', '__', '-' and '/')`;
  }
  return undefined;
}

/** Why `tag` is not a valid tag, or `undefined` when it is. */
export function tagProblem(tag: string): string | undefined {
  if (tagPattern.test(tag)) return undefined;
  return `tag '${clip(tag, 140)}' does not match ${tagPattern.source} (1-128 of [a-zA-Z0-9_.-], not starting with '.' or '-')`;
}

/** Parses a digest of a supported algorithm; returns a reason string when it is not one. */
export function parseDigest(digest: string): ParsedDigest | string {
  if (!digestPattern.test(digest)) {
    return `digest '${clip(digest, 140)}' does not match algorithm:encoded (${digestPattern.source})`;
  }
  const colon = digest.indexOf(':');
  const algorithm = digest.slice(0, colon);
  const encoded = digest.slice(colon + 1);
  if (!Object.hasOwn(digestAlgorithms, algorithm)) {
    return `digest algorithm '${clip(algorithm, 40)}' is not supported; expected one of ${Object.keys(digestAlgorithms).join(', ')}`;
  }
  const alg = algorithm as DigestAlgorithm;
  const length = digestAlgorithms[alg];
  if (encoded.length !== length || !/^[a-f0-9]+$/.test(encoded)) {
    return `${alg} digest must be ${length} lowercase hex characters; got '${clip(encoded, 140)}' (${encoded.length} characters)`;
  }
  return { algorithm: alg, encoded, digest };
}

/** True when `value` is a valid digest of a supported algorithm. */
export function isDigest(value: string): boolean {
  return typeof parseDigest(value) !== 'string';
}

/** A manifest reference: a tag or a digest (anything with a `:` is read as a digest). */
export type Reference = { kind: 'tag'; tag: string } | ({ kind: 'digest' } & ParsedDigest);

/** Parses a manifest reference; returns a reason string when it is neither a tag nor a digest. */
export function parseReference(reference: string): Reference | string {
  if (reference.includes(':')) {
    const parsed = parseDigest(reference);
    return typeof parsed === 'string' ? parsed : { kind: 'digest', ...parsed };
  }
  const problem = tagProblem(reference);
  return problem ?? { kind: 'tag', tag: reference };
}
