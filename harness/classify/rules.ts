/**
 * THE table: every mapping from error text (kubelet, containerd, Go's net/http, crypto/x509 and
 * syscalls, registries) to a cause lives here, in one ordered list. The first rule with a
 * matching pattern wins, so rules run most specific first:
 *
 * - kubelet's own refusals (policy, name, QPS) and node-local faults (disk, exec) first: their
 *   texts can carry wrappers that mention the network;
 * - content checks (platform, truncation, digest) before network rules, because a short blob
 *   ends in `unexpected EOF`, which on its own means a dropped connection;
 * - TLS before everything network or auth: an x509 error sits inside `Head "https://…"` and may
 *   come from the token realm;
 * - the token endpoint before auth and status rules, so a 401 from the realm reads as refused
 *   credentials but a 5xx or dial error from it reads as the realm failing;
 * - DNS before refused/timeout, since a lookup can itself time out or be refused.
 *
 * Patterns only use phrases with spaces, `: ` or HTTP reason phrases, which an image reference
 * or URL path cannot contain, so a repository named `denied` or a tag `v429` cannot match.
 * Named groups become evidence (`valid_for` is shown as `valid for`).
 */
import type { CauseId } from './causes.ts';

/** One row of the decision tree. */
export interface Rule {
  /** Stable id, reported as `matchedRule`. */
  id: string;
  cause: CauseId;
  /** Tried in order; the first match decides and its named groups become evidence. */
  patterns: readonly RegExp[];
  /** What this variant means beyond the cause's remediation. */
  note?: string;
}

const rule = (id: string, cause: CauseId, patterns: RegExp[], note?: string): Rule =>
  note === undefined ? { id, cause, patterns } : { id, cause, patterns, note };

/** The ordered rule table; the first match wins. */
export const RULES: readonly Rule[] = [
  // kubelet refuses before any registry is contacted.
  rule('kubelet-never-pull', 'never-pull', [
    /Container image "(?<image>[^"]+)" is not present with pull policy of Never/,
    /\bErrImageNeverPull\b/,
  ]),
  rule('kubelet-invalid-name', 'invalid-name', [
    /couldn't parse image reference "(?<reference>[^"]*)": (?<detail>[^\n"]+)/,
    /\bInvalidImageName\b/,
    /invalid reference format(?:: (?<detail>[^\n"]+))?/,
  ]),
  rule('kubelet-pull-qps', 'qps-exceeded', [/\bpull QPS exceeded\b/]),

  // The API server refused the pod itself (a ReplicaSet's FailedCreate, or a pod create's 403).
  rule('admission-pod-security', 'pod-refused', [
    /is forbidden: violates PodSecurity "(?<level>[^"]+)": (?<detail>[^\n]+)/,
  ]),
  rule('admission-quota', 'pod-refused', [/is forbidden: exceeded quota: (?<quota>[^,\n]+)/]),
  rule('admission-webhook', 'pod-refused', [
    /admission webhook "(?<webhook>[^"]+)" denied the request(?:: (?<detail>[^\n]+))?/,
  ]),

  // Node-local failures, whatever wraps them.
  rule('enospc', 'disk-full', [
    /(?:write|open|mkdir|create|copy) (?<path>\/[^\s:"]+): no space left on device/,
    /no space left on device/,
  ]),
  rule('enoexec', 'exec-format', [/exec (?<path>\S+): exec format error/, /exec format error/]),

  // Content: what arrived was wrong for this node or this digest.
  rule('no-platform-match', 'wrong-platform', [
    /no match for platform in manifest(?: (?<digest>sha256:[0-9a-f]{64}))?/,
    /no matching manifest for (?<platform>\S+) in the manifest list entries/,
  ]),
  rule(
    'blob-short-read',
    'blob-truncated',
    [
      /short read: expected (?<expected>\d+) bytes but got (?<received>\d+)/,
      /failed to read expected number of bytes/,
      /unexpected commit size (?<received>\d+), expected (?<expected>\d+)/,
    ],
    'The same text appears when a proxy closes the connection cleanly mid-body: both end the body before its Content-Length.',
  ),
  rule('commit-digest', 'digest-mismatch', [
    /unexpected commit digest (?<received>sha256:[0-9a-f]+), expected (?<expected>sha256:[0-9a-f]+)/,
    /manifest verification failed for digest (?<expected>sha256:[0-9a-f]+)/,
    /\bdigest mismatch\b/,
    /: failed precondition\b/,
  ]),

  // TLS, wherever the request went (registry, mirror, token realm, blob redirect).
  rule('x509-expired', 'tls-expired', [
    /x509: certificate has expired or is not yet valid(?:: (?<detail>current time \S+ is (?:after|before) [^\s"]+))?/,
  ]),
  rule('x509-hostname', 'tls-hostname', [
    /x509: certificate is valid for (?<valid_for>.+?), not (?<wanted>[^\s"]+)/,
    /x509: cannot validate certificate for (?<wanted>\S+) because it doesn't contain any IP SANs/,
    /x509: certificate is not valid for any names, but wanted to match (?<wanted>[^\s"]+)/,
    /x509: certificate relies on legacy Common Name field/,
  ]),
  rule('x509-unknown-authority', 'tls-unknown-ca', [
    /x509: certificate signed by unknown authority(?: \((?<detail>possibly because of [^\n]+?)\)(?=$|[":\n]))?/,
  ]),
  rule('tls-handshake-timeout', 'tls-handshake-timeout', [/net\/http: TLS handshake timeout/]),
  rule('http-response-to-https', 'http-to-https', [/http: server gave HTTP response to HTTPS client/]),

  // The token realm answered with a status: what the status says decides.
  rule(
    'token-rate-limited',
    'rate-limited',
    [
      /failed to fetch (?:anonymous|oauth) token: unexpected status[^\n]*?: (?<status>429(?: Too Many Requests)?)\b/,
    ],
    'The token service itself throttled the client.',
  ),
  rule('token-denied', 'unauthorized', [
    /failed to fetch (?:anonymous|oauth) token: unexpected status[^\n]*?: (?<status>401(?: Unauthorized)?|403(?: Forbidden)?)\b/,
  ]),
  rule(
    'token-repository-unknown',
    'not-found',
    [/failed to fetch (?:anonymous|oauth) token: unexpected status[^\n]*?: (?<status>404(?: Not Found)?)\b/],
    'Artifact Registry answers the token request with 404 when the repository does not exist; elsewhere a 404 here means the realm URL is wrong.',
  ),
  rule('token-endpoint', 'token-endpoint', [
    /failed to fetch (?:anonymous|oauth) token: unexpected status[^\n]*?: (?<status>\d{3}(?: [A-Z][A-Za-z ]*[a-z])?)\b/,
    /failed to fetch (?:anonymous|oauth) token: (?:Get|Post) "[^"]+": (?<detail>[^\n"]+)/,
    /failed to fetch (?:anonymous|oauth) token(?:: (?<detail>[^\n"]+))?/,
    /authorization server did not include a token in the response/,
    /unable to decode token response/,
  ]),

  // Credentials refused by the registry.
  rule(
    'pull-access-denied',
    'unauthorized',
    [
      /pull access denied(?:, repository does not exist or may require authorization)?(?:: server message: (?<server_message>[^\n"]+))?/,
    ],
    'containerd and Docker Hub say this both for missing credentials and for a repository that does not exist.',
  ),
  rule('registry-auth-error', 'unauthorized', [
    /no basic auth credentials/,
    /\b(?:insufficient_scope|authorization failed)\b/,
    /(?:^|[\s:])(?:unauthorized|UNAUTHORIZED|denied|DENIED): (?<server_message>[^\n"]+)/,
  ]),
  rule('http-401-403', 'unauthorized', [/\b(?<status>401 Unauthorized|403 Forbidden)\b/]),

  // Throttling by the registry.
  rule('http-429', 'rate-limited', [
    /\b(?<status>429 Too Many Requests)(?: - Server message: (?<server_message>[^\n"]+))?/,
    /(?:^|[\s:])(?:toomanyrequests|TOOMANYREQUESTS): (?<server_message>[^\n"]+)/,
    /"code":\s*"TOOMANYREQUESTS"/,
    /\bpull rate limit\b/,
  ]),

  // The reference does not exist.
  rule(
    'blob-not-found',
    'not-found',
    [
      /content at (?<url>\S+) not found/,
      /could not fetch content descriptor (?<digest>\S+) .*from remote: not found/,
      /\bBLOB_UNKNOWN\b/,
    ],
    'The tag resolved but a blob it needs is missing from the registry or cache.',
  ),
  rule('reference-not-found', 'not-found', [
    /(?<reference>[^\s"]+): not found\b/,
    /\bmanifest unknown\b/,
    /\b(?:MANIFEST_UNKNOWN|NAME_UNKNOWN)\b/,
    /manifest for (?<reference>\S+) not found/,
    /\b(?<status>404 Not Found)\b/,
    /\bcode = NotFound\b/,
  ]),

  // The server failed.
  rule('http-5xx', 'server-error', [
    /\b(?<status>50[0-4] (?:Internal Server Error|Not[ ]Implemented|Bad Gateway|Service Unavailable|Gateway Timeout))\b/,
    /received unexpected HTTP status: (?<status>5\d\d [A-Z][A-Za-z ]*[a-z])/,
  ]),

  // The network, from name to bytes.
  rule('dns-lookup', 'dns', [
    /lookup (?<host>[^\s:"]+)(?: on (?<resolver>\S+?))?: (?<detail>[^\n"]+)/,
    /no such host|server misbehaving|Temporary failure in name resolution|Name or service not known/,
  ]),
  rule('econnrefused', 'connection-refused', [
    /dial tcp (?<address>\S+): connect: connection refused/,
    // A refused unix socket is kubelet failing to reach the runtime, not the registry.
    /(?<!dial unix \S+: (?:connect: )?)\bconnection refused\b/,
  ]),
  rule('ehostunreach', 'network-unreachable', [
    /dial tcp (?<address>\S+): connect: (?<detail>no route to host|network is unreachable)/,
    /\bno route to host\b|\bnetwork is unreachable\b/,
  ]),
  rule('econnreset', 'connection-reset', [
    /read tcp \S+->(?<address>\S+): read: connection reset by peer/,
    /connection reset by peer|\bbroken pipe\b/,
    /http2: server sent GOAWAY|stream error: stream ID \d+; (?<detail>[A-Z_]+)/,
    // Go's HTTP/1 client when the connection dies inside the response head (containerd 1.6.20, a
    // reset fault cutting at 100 bytes): `… transport connection broken: malformed MIME header …`.
    /net\/http: HTTP\/1\.x transport connection broken: (?<detail>[^\n]+)/,
    /\bunexpected EOF\b/,
    /: EOF(?=$|["\n])/,
  ]),
  rule('dial-timeout', 'timeout', [
    /dial tcp (?<address>\S+): (?<detail>i\/o timeout|connect: connection timed out)/,
    /i\/o timeout|connection timed out/,
    /context deadline exceeded|code = DeadlineExceeded|Client\.Timeout exceeded|request canceled while waiting for connection/,
  ]),
  rule(
    'pull-cancelled',
    'timeout',
    [/\bcontext canceled\b/, /\bcode = Canceled\b/, /net\/http: request canceled/],
    'kubelet puts no deadline on a pull; containerd cancels one that made no progress for image_pull_progress_timeout, so this is a stalled transfer (a black-holed blob host or a throttled link).',
  ),
];
