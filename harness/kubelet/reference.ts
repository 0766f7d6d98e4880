/**
 * Image reference parsing as kubelet does it: `parsers.ParseImageName` (pkg/util/parsers/parsers.go)
 * over `reference.ParseNormalizedNamed` (github.com/distribution/reference normalize.go, regexp.go,
 * reference.go) and go-digest's `Digest.Validate`. Errors carry the library's exact texts because they
 * end up in `InspectFailed` event messages.
 */

import { goQuote } from './gofmt.ts';

const alnum = '[a-z0-9]+';
const separator = '(?:[._]|__|[-]+)';
const pathComponent = `${alnum}(?:${separator}${alnum})*`;
const domainComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const host = `(?:${domainComponent}(?:\\.${domainComponent})*|\\[(?:[a-fA-F0-9:]+)\\])`;
const name = `(?:${host}(?::[0-9]+)?/)?${pathComponent}(?:/${pathComponent})*`;
const tag = '[\\w][\\w.-]{0,127}';
const digest = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}';
const referenceRegexp = new RegExp(`^(${name})(?::(${tag}))?(?:@(${digest}))?$`);
const identifierRegexp = /^[a-f0-9]{64}$/;

/** distribution/reference's limit on the name part of a reference. */
export const nameTotalLengthMax = 255;
/** Hex length of the digest algorithms kubelet links in (crypto/sha256 and crypto/sha512). */
const digestHexLength: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 };

/** A reference normalized the Docker way: `busybox` → `docker.io/library/busybox`. */
export interface ParsedImage {
  /** Normalized repository name without tag or digest, e.g. `docker.io/library/busybox`. */
  repository: string;
  /** The tag; `latest` when neither tag nor digest was given (parsers.ParseImageName's default). */
  tag: string;
  /** `algorithm:hex`, or `''`. */
  digest: string;
}

/** `splitDockerDomain`: the first path element is a domain if it has `.`/`:`, is `localhost` or has capitals. */
function splitDockerDomain(s: string): [string, string] {
  const slash = s.indexOf('/');
  if (slash === -1) return ['docker.io', `library/${s}`];
  const first = s.slice(0, slash);
  let rest = s.slice(slash + 1);
  let domain = 'docker.io';
  if (first === 'index.docker.io') domain = 'docker.io';
  else if (first === 'localhost' || /[.:]/.test(first) || first.toLowerCase() !== first) domain = first;
  else rest = s;
  if (domain === 'docker.io' && !rest.includes('/')) rest = `library/${rest}`;
  return [domain, rest];
}

/** go-digest `Digest.Validate` texts. */
function digestProblem(d: string): string | undefined {
  const colon = d.indexOf(':');
  const algorithm = d.slice(0, colon);
  const encoded = d.slice(colon + 1);
  const length = digestHexLength[algorithm];
  if (length === undefined) return 'unsupported digest algorithm';
  if (encoded.length !== length) return 'invalid checksum digest length';
  if (!/^[a-f0-9]+$/.test(encoded)) return 'invalid checksum digest format';
  return undefined;
}

/** `reference.ParseNormalizedNamed` + tag/digest split; a string is the library's error text. */
export function parseNormalizedNamed(
  s: string,
): { repository: string; tag: string; digest: string } | string {
  if (identifierRegexp.test(s)) {
    return `invalid repository name (${s}), cannot specify 64-byte hexadecimal strings`;
  }
  const [domain, remainder] = splitDockerDomain(s);
  const colon = remainder.indexOf(':');
  const remoteName = colon === -1 ? remainder : remainder.slice(0, colon);
  if (remoteName.toLowerCase() !== remoteName) {
    return `invalid reference format: repository name (${remoteName}) must be lowercase`;
  }
  const full = `${domain}/${remainder}`;
  const m = referenceRegexp.exec(full);
  if (!m) {
    if (full === '') return 'repository name must have at least one component';
    if (referenceRegexp.test(full.toLowerCase())) return 'repository name must be lowercase';
    return 'invalid reference format';
  }
  const repository = m[1] ?? '';
  if (repository.length > nameTotalLengthMax) {
    return `repository name must not be more than ${nameTotalLengthMax} characters`;
  }
  const d = m[3] ?? '';
  const problem = d ? digestProblem(d) : undefined;
  if (problem) return problem;
  return { repository, tag: m[2] ?? '', digest: d };
}

/** `parsers.ParseImageName`: the normalized parts, with tag `latest` when there is neither tag nor digest. */
export function parseImageName(image: string): ParsedImage | { error: string } {
  const parsed = parseNormalizedNamed(image);
  if (typeof parsed === 'string') return { error: `couldn't parse image name ${goQuote(image)}: ${parsed}` };
  const tag = parsed.tag === '' && parsed.digest === '' ? 'latest' : parsed.tag;
  return { ...parsed, tag };
}
