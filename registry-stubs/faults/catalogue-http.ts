/**
 * The catalogue rows of the HTTP faults (registry and its auth layer, fixtures). Client texts
 * are containerd's as kubelet shows them after `Failed to pull image "X": failed to pull and
 * unpack image "X": failed to resolve reference "X": ` (FACTS.md).
 */
import { AUTH_BAD_CREDENTIALS_OPTIONS, authBadCredentials } from './auth-bad-credentials/index.ts';
import { AUTH_CHALLENGE_ERROR_OPTIONS, authChallengeError } from './auth-challenge-error/index.ts';
import { AUTH_INSUFFICIENT_SCOPE_OPTIONS, authInsufficientScope } from './auth-insufficient-scope/index.ts';
import { AUTH_NO_CREDENTIALS_OPTIONS, authNoCredentials } from './auth-no-credentials/index.ts';
import { AUTH_TOKEN_ENDPOINT_OPTIONS, authTokenEndpoint } from './auth-token-endpoint/index.ts';
import { AUTH_TOKEN_EXPIRY_OPTIONS, authTokenExpiry } from './auth-token-expiry/index.ts';
import { CORRUPT_BLOB_OPTIONS, corruptBlob } from './corrupt-blob/index.ts';
import { type CatalogueEntry, defineEntry } from './entry.ts';
import { MISSING_BLOB_OPTIONS, missingBlob } from './missing-blob/index.ts';
import { RATE_LIMIT_OPTIONS, rateLimit } from './rate-limit/index.ts';
import { REGISTRY_DOWN_OPTIONS, registryDown } from './registry-down/index.ts';
import { SERVER_ERROR_OPTIONS, serverError } from './server-error/index.ts';
import { TAG_OVERWRITE_CROSS, TAG_OVERWRITE_OPTIONS, tagOverwrite } from './tag-overwrite/index.ts';
import { TRUNCATED_BLOB_OPTIONS, truncatedBlob } from './truncated-blob/index.ts';
import type { HttpFault } from './types.ts';
import { UNKNOWN_TAG_OPTIONS, unknownTag } from './unknown-tag/index.ts';
import { WRONG_ARCH_OPTIONS, wrongArch } from './wrong-arch/index.ts';
import { WRONG_LENGTH_OPTIONS, wrongLength } from './wrong-length/index.ts';
import { WRONG_PLATFORM_OPTIONS, wrongPlatform } from './wrong-platform/index.ts';

// biome-ignore lint/suspicious/noExplicitAny: each factory checks its own options at run time.
const http = (create: (options: any) => HttpFault) => ({ kind: 'http' as const, create });
const denied =
  '`pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed`';
const storeScope = ['repository'] as const;

/** The HTTP faults, in catalogue order. */
export const HTTP_FAULTS: readonly CatalogueEntry[] = [
  defineEntry({
    name: 'auth-no-credentials',
    where: 'registry auth layer',
    summary: 'The registry starts requiring credentials; anonymous requests get the 401 challenge.',
    options: AUTH_NO_CREDENTIALS_OPTIONS,
    clientSees: `${denied} (token auth), or \`unexpected status from HEAD request to …: 401 Unauthorized\``,
    clientSeesContainersImage:
      '`initializing source docker://<ref>: reading manifest <tag> in <repo>: errors: denied: requested access to the resource is denied unauthorized: …` (token auth); with no auth configured, the empty Basic credentials podman and skopeo send after the challenge (`Basic Og==`) are refused: `… reading manifest <tag> in <repo>: unauthorized`',
    expectedCauses: ['unauthorized'],
    factory: http(authNoCredentials),
  }),
  defineEntry({
    name: 'auth-bad-credentials',
    where: 'registry auth layer',
    summary: 'Every offered credential is rejected (a rotated password); anonymous requests pass.',
    options: AUTH_BAD_CREDENTIALS_OPTIONS,
    clientSees:
      '`failed to authorize: failed to fetch oauth token: unexpected status: 401 Unauthorized` (containerd 1.6.20; newer: `… from POST request to …/token: 401 Unauthorized`)',
    clientSeesContainersImage:
      '`initializing source docker://<ref>: unable to retrieve auth token: invalid username/password: unauthorized: invalid username or password`',
    expectedCauses: ['unauthorized'],
    factory: http(authBadCredentials),
  }),
  defineEntry({
    name: 'auth-token-endpoint',
    where: 'registry auth layer',
    summary:
      'The token service answers 5xx, or challenges point at a realm that refuses or does not resolve.',
    options: AUTH_TOKEN_ENDPOINT_OPTIONS,
    clientSees:
      '`failed to authorize: failed to fetch anonymous token: unexpected status: 503 Service Unavailable` (containerd 1.6.20; newer: `… from GET request to …/token?…`), or `… dial tcp …:2: connect: connection refused`, `… no such host`',
    clientSeesContainersImage:
      '`initializing source docker://<ref>: Requesting bearer token: invalid status code from registry 503 (Service Unavailable)`, or `Get "https://<realm>?scope=…&service=…": dial tcp …: connect: connection refused` (podman retries three times first)',
    expectedCauses: ['token-endpoint'],
    factory: http(authTokenEndpoint),
  }),
  defineEntry({
    name: 'auth-token-expiry',
    where: 'registry auth layer',
    summary: 'Tokens are issued with a short expires_in and really expire then (401 invalid_token).',
    options: AUTH_TOKEN_EXPIRY_OPTIONS,
    clientSees:
      '`failed to copy: httpReadSeeker: failed open: server message: invalid_token: authorization failed` (containerd 1.6.20 keeps using a token past a short expires_in); nothing from a client that renews',
    clientSeesContainersImage: 'no error: skopeo and podman ask for a new token for every pull',
    expectedCauses: ['unauthorized'],
    factory: http(authTokenExpiry),
  }),
  defineEntry({
    name: 'auth-insufficient-scope',
    where: 'registry auth layer',
    summary: 'Tokens stop granting the repositories in scope (a robot account lost access).',
    options: AUTH_INSUFFICIENT_SCOPE_OPTIONS,
    clientSees: denied,
    clientSeesContainersImage:
      "`reading manifest <tag> in <repo>: errors: denied: requested access to the resource is denied unauthorized: token does not grant pull on repository '<repo>'`",
    expectedCauses: ['unauthorized'],
    factory: http(authInsufficientScope),
  }),
  defineEntry({
    name: 'auth-challenge-error',
    where: 'registry auth layer',
    summary: 'Requests with a token get a Bearer challenge carrying error= (invalid_token by default).',
    options: AUTH_CHALLENGE_ERROR_OPTIONS,
    clientSees:
      '`pull access denied, repository does not exist or may require authorization: server message: invalid_token: authorization failed`',
    clientSeesContainersImage:
      '`reading manifest <tag> in <repo>: errors: unauthorized: authentication required unauthorized: bearer token is invalid or expired`',
    expectedCauses: ['unauthorized'],
    factory: http(authChallengeError),
  }),
  defineEntry({
    name: 'rate-limit',
    where: 'registry',
    summary:
      'A pull quota per client and/or credential; over it, 429 TOOMANYREQUESTS (Docker Hub style by default).',
    options: RATE_LIMIT_OPTIONS,
    clientSees:
      '`failed to copy: httpReadSeeker: failed open: unexpected status code …: 429 Too Many Requests - Server message: toomanyrequests: You have reached your pull rate limit…` (generic style, HEAD counted: `pulling from host … failed with status code [manifests 1.0]: 429 Too Many Requests` in containerd 1.6.20, `unexpected status from HEAD request to …: 429 Too Many Requests` from 1.6.25)',
    clientSeesContainersImage:
      '`reading manifest <tag> in <repo>: toomanyrequests: You have reached your pull rate limit…` after about 30 s of retries (skopeo); podman 4.3.1 prints it in `Failed, retrying in 1s ... (n/3)` warnings and, with token auth, then exits 0 without the image',
    expectedCauses: ['rate-limited'],
    factory: http(rateLimit),
  }),
  defineEntry({
    name: 'unknown-tag',
    where: 'registry',
    summary: 'Manifest requests by a matching tag answer 404 MANIFEST_UNKNOWN; digests still resolve.',
    options: UNKNOWN_TAG_OPTIONS,
    clientSees: '`rpc error: code = NotFound desc = failed to pull and unpack image …: <ref>: not found`',
    clientSeesContainersImage:
      '`initializing source docker://<ref>: reading manifest <tag> in <repo>: manifest unknown: …`',
    expectedCauses: ['not-found'],
    factory: http(unknownTag),
  }),
  defineEntry({
    name: 'missing-blob',
    where: 'registry',
    summary: 'Blob requests answer 404 BLOB_UNKNOWN although the manifest names the blob.',
    options: MISSING_BLOB_OPTIONS,
    clientSees:
      '`rpc error: code = NotFound desc = … failed to copy: httpReadSeeker: failed open: could not fetch content descriptor sha256:… (…) from remote: not found` (containerd 1.6.20; other versions: `content at … not found`)',
    clientSeesContainersImage:
      '`reading blob sha256:…: Error fetching blob: invalid status code from registry 404 (Not Found)` (podman: `parsing image configuration: Error fetching blob: …`)',
    expectedCauses: ['not-found'],
    factory: http(missingBlob),
  }),
  defineEntry({
    name: 'corrupt-blob',
    where: 'registry',
    summary: 'Blob bodies have the right length and wrong bytes.',
    options: CORRUPT_BLOB_OPTIONS,
    clientSees:
      '`rpc error: code = FailedPrecondition desc = … failed commit on ref "<config|layer>-sha256:…": unexpected commit digest sha256:A, expected sha256:B: failed precondition`',
    clientSeesContainersImage:
      '`writing blob: happened during read: Digest did not match, expected sha256:A, got sha256:B` (skopeo); `parsing image configuration: Download config.json digest sha256:B does not match expected sha256:A` (podman)',
    expectedCauses: ['digest-mismatch'],
    factory: http(corruptBlob),
  }),
  defineEntry({
    name: 'truncated-blob',
    where: 'registry',
    summary: 'Blob bodies stop at a blob offset and the connection closes (Content-Length promised more).',
    options: TRUNCATED_BLOB_OPTIONS,
    clientSees:
      '`failed to read expected number of bytes: unexpected EOF` (bare `unexpected EOF` from other clients)',
    clientSeesContainersImage:
      '`writing blob: happened during read: unexpected EOF` (skopeo); `parsing image configuration: unexpected EOF` (podman)',
    expectedCauses: ['blob-truncated', 'connection-reset'],
    factory: http(truncatedBlob),
  }),
  defineEntry({
    name: 'wrong-length',
    where: 'registry',
    summary: 'Blob responses declare Content-Length = real length + delta, then close the connection.',
    options: WRONG_LENGTH_OPTIONS,
    clientSees:
      '`failed to read expected number of bytes: unexpected EOF` (delta < 0); `unexpected EOF` or nothing (delta > 0)',
    clientSeesContainersImage:
      'the short body hashes to another digest: `… Digest did not match, expected sha256:A, got sha256:B` (skopeo), `… digest sha256:B does not match expected sha256:A` (podman)',
    expectedCauses: ['blob-truncated', 'connection-reset', 'digest-mismatch'],
    factory: http(wrongLength),
  }),
  defineEntry({
    name: 'tag-overwrite',
    where: 'registry',
    summary: 'A tag is re-pointed to a new digest mid-run (a fixture, or a rebuild with a changed config).',
    options: TAG_OVERWRITE_OPTIONS,
    clientSees: 'no error; nodes that resolved the tag before and after run different digests (digest drift)',
    clientSeesContainersImage: 'no error; digest drift, as with containerd',
    expectedCauses: [],
    usualCause: 'A mutable tag (latest, 1.0) pushed again during a rollout',
    remediation:
      'Reference images by digest (image: repo@sha256:…) or use immutable tags (registry tag immutability, a new tag per build); with imagePullPolicy Always every restart may pick up the new image.',
    scopeKeys: storeScope,
    cross: TAG_OVERWRITE_CROSS,
    factory: http(tagOverwrite),
  }),
  defineEntry({
    name: 'wrong-platform',
    where: 'fixtures',
    summary: 'The tag is re-pointed at an index without linux/amd64 (the no-amd64 fixture).',
    options: WRONG_PLATFORM_OPTIONS,
    clientSees: '`no match for platform in manifest: not found`',
    clientSeesContainersImage:
      '`choosing an image from manifest list docker://<ref>: no image found in image index for architecture amd64, variant "", OS linux`',
    expectedCauses: ['wrong-platform'],
    scopeKeys: storeScope,
    factory: http(wrongPlatform),
  }),
  defineEntry({
    name: 'wrong-arch',
    where: 'fixtures',
    summary: 'The tag is re-pointed at a single linux/arm64 manifest (the arm64-only fixture).',
    options: WRONG_ARCH_OPTIONS,
    clientSees: 'no pull error; the container exits at start with `exec format error` (CrashLoopBackOff)',
    clientSeesContainersImage: 'no pull error (the arm64 image pulls; it fails only when run)',
    expectedCauses: ['exec-format'],
    scopeKeys: storeScope,
    factory: http(wrongArch),
  }),
  defineEntry({
    name: 'server-error',
    where: 'registry',
    summary: 'Chosen requests (by route and chance) answer 500/502/503/504.',
    options: SERVER_ERROR_OPTIONS,
    clientSees:
      '`pulling from host … failed with status code [manifests 1.0]: 500 Internal Server Error` (containerd 1.6.20; from 1.6.25 `unexpected status from HEAD request to …: 500 Internal Server Error`); containerd tries the next host first',
    clientSeesContainersImage:
      '`initializing source docker://<ref>: pinging container registry <host>: invalid status code from registry 500 (Internal Server Error)` (the /v2/ ping fails before any manifest)',
    expectedCauses: ['server-error'],
    factory: http(serverError),
  }),
  defineEntry({
    name: 'registry-down',
    where: 'registry',
    summary: 'Every request answers 503, token endpoint included (backend down behind a load balancer).',
    options: REGISTRY_DOWN_OPTIONS,
    clientSees:
      'fallback to the next host in hosts.toml, or `… 503 Service Unavailable` (wording as for server-error)',
    clientSeesContainersImage:
      '`pinging container registry <host>: invalid status code from registry 503 (Service Unavailable)`',
    expectedCauses: ['server-error'],
    scopeKeys: ['nodes', 'clients'],
    factory: http(registryDown),
  }),
];
