/**
 * THE table: every mapping from error text (kubelet, containerd, Go's net/http, crypto/x509 and
 * syscalls, registries) to a cause lives here, in one ordered list. The first rule with a
 * matching pattern wins, so rules run most specific first:
 *
 * - kubelet's own refusals (policy, name, QPS), containers/image's short-name policy and
 *   node-local faults (disk, image store, exec) first: their texts can carry wrappers that mention
 *   the network;
 * - texts that fit two causes equally are named by a rule whose cause is `unclassified` (a wrong
 *   cause is worse than none), or by a rule with `also` when both causes are worth checking;
 * - content checks (platform, truncation, digest) before network rules, because a short blob
 *   ends in `unexpected EOF`, which on its own means a dropped connection;
 * - a failing proxy before TLS and the network: `proxyconnect tcp: dial tcp …: connection refused`
 *   is the proxy refusing, not the registry;
 * - TLS before everything network or auth: an x509 error sits inside `Head "https://…"` and may
 *   come from the token realm;
 * - the token endpoint before auth and status rules, so a 401 from the realm reads as refused
 *   credentials but a 5xx or dial error from it reads as the realm failing;
 * - DNS before refused/timeout, since a lookup can itself time out or be refused;
 * - a network timeout (dial, response headers) before `canceled`: a pull that its caller stopped
 *   (`context canceled`, a CRI call past its deadline, a progress deadline) is not a dropped packet.
 *
 * Texts come from containerd (1.6, 1.7, 2.x), kubelet (dockershim era included), the Docker daemon
 * and CLI, containers/image (podman, skopeo, buildah, CRI-O), BuildKit and ECS; the public corpus
 * in test/classify/corpus measures the table against them.
 *
 * Patterns only use phrases with spaces, `: ` or HTTP reason phrases, which an image reference
 * or URL path cannot contain, so a repository named `denied` or a tag `v429` cannot match.
 * Named groups become evidence (`valid_for` is shown as `valid for`).
 */
import type { CauseId } from '../../vocab/causes.ts';

/** One row of the decision tree. */
export interface Rule {
  /** Stable id, reported as `matchedRule`. */
  id: string;
  /** The cause; `unclassified` for texts the table recognises as fitting more than one cause. */
  cause: CauseId;
  /** Tried in order; the first match decides and its named groups become evidence. */
  patterns: readonly RegExp[];
  /** What this variant means beyond the cause's remediation. */
  note?: string;
  /** Other causes the same text fits, to check as well. */
  also?: readonly CauseId[];
}

const rule = (id: string, cause: CauseId, patterns: RegExp[], note?: string, also?: CauseId[]): Rule => ({
  id,
  cause,
  patterns,
  ...(note !== undefined && { note }),
  ...(also !== undefined && { also }),
});

// A token request: containerd's wrapper, or containers/image's (`Requesting bearer token: …`).
const tokenStatus = (status: string) =>
  new RegExp(
    `(?:failed to fetch (?:anonymous|oauth) token: unexpected status[^\\n]*?: (?<status>${status}(?: [A-Z][A-Za-z ]*[a-z])?)\\b|Requesting bearer token: invalid status code from registry (?<status2>${status}) \\()`,
  );

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

  // containers/image (podman, buildah, CRI-O) will not guess a registry for `nginx`.
  rule('short-name-policy', 'short-name', [
    /short-name resolution enforced but cannot prompt without a TTY/,
    /short-name "(?<image>[^"]+)" did not resolve to an alias and no (?:unqualified-search|containers-registries\.conf\(5\)) registries are defined/,
    /no registries configured while trying to pull an unqualified image/,
    /"(?<image>[^"]+)" did not resolve to an alias and no unqualified-search registries are defined/,
    /short-name "(?<image>[^"]+)" did not resolve to an alias/,
    /image "(?<image>[^"]+)" not found in (?<file>\S*registries\.conf) registries/,
  ]),
  // Node-local failures, whatever wraps them.
  rule('enospc', 'disk-full', [
    /(?:write|open|mkdir|create|copy) (?<path>\/[^\s:"]+): no space left on device/,
    /no space left on device/,
  ]),
  rule(
    'evicted-disk-pressure',
    'disk-full',
    [
      /The node was low on resource: (?<resource>ephemeral-storage)/,
      /The node had condition: \[(?<condition>DiskPressure)\]/,
    ],
    "kubelet evicted the pod because the node's filesystem (nodefs or imagefs, where images live) crossed an eviction threshold; images pulled for new pods compete for the same disk.",
  ),
  rule('image-store-io', 'image-store', [
    /(?:write|open|mkdir|read|mount|create) (?<path>\/[^\s:"]*): input\/output error/,
    /\binput\/output error\b/,
    /(?:processing tar file|register layer|extract layer|applying layer|adding layer)[^\n]*?: (?<detail>(?:[Pp]ermission denied|read-only file system))/,
    /failed to unpack image on snapshotter (?<snapshotter>\S+): content digest (?<digest>sha256:[0-9a-f]{64}): not found/,
    /error creating temporary lease: (?<detail>[^\n"]+)/,
    // containers/storage (CRI-O, podman) lost track of a layer or image it recorded.
    /error creating overlay mount to (?<path>\S+): (?<detail>[^\n"]+)/,
    /locating image with ID "(?<image_id>[^"]+)": image not known/,
    // image-rs (Kata, confidential containers) unpacking into its own store.
    /Failed to unpack layer(?:: (?<detail>[^\n"]+))?/,
    /unpack destination "(?<path>[^"]+)" already exists/,
  ]),
  rule('enoexec', 'exec-format', [/exec (?<path>\S+): exec format error/, /exec format error/]),

  // Content: what arrived was wrong for this node or this digest.
  rule('no-platform-match', 'wrong-platform', [
    /no match for (?:current )?platform(?: (?<platform>[^\s"]+))? in manifest(?: (?<digest>sha256:[0-9a-f]{64}))?/,
    /could not find platform (?<platform>\S+) for image/,
    /no matching manifest for (?<platform>\S+) in the manifest list entries/,
    /no image found in (?:image index|manifest list) for architecture (?<architecture>[^,\s]+), variant "(?<variant>[^"]*)", OS (?<os>[^\s"]+)/,
    /[Ii]mage operating system "(?<os>[^"]+)" cannot be used on this platform/,
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
    /filesystem layer verification failed for digest(?: (?<expected>sha256:[0-9a-f]+))?/,
    /Digest did not match, expected (?<expected>sha256:[0-9a-f]+), got (?<received>sha256:[0-9a-f]+)/,
    /digest (?<received>sha256:[0-9a-f]+) does not match expected (?<expected>sha256:[0-9a-f]+)/,
    /\bdigest mismatch\b/,
    /: failed precondition\b/,
  ]),

  // The proxy in front of everything failed, not the registry behind it.
  rule('proxy-connect', 'proxy', [
    /proxyconnect tcp: (?<detail>[^\n"]+)/,
    /error connecting to proxy (?<proxy>\S+?):? (?<detail>[^\n"]+)/,
    /\b(?<status>407 Proxy Authentication Required)\b/,
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
    [tokenStatus('429')],
    'The token service itself throttled the client.',
  ),
  rule('token-denied', 'unauthorized', [tokenStatus('401|403')]),
  rule(
    'token-repository-unknown',
    'not-found',
    [tokenStatus('404')],
    'Artifact Registry answers the token request with 404 when the repository does not exist; elsewhere a 404 here means the realm URL is wrong.',
  ),
  rule('token-endpoint', 'token-endpoint', [
    tokenStatus('\\d{3}'),
    /failed to fetch (?:anonymous|oauth) token: (?:Get|Post) "[^"]+": (?<detail>[^\n"]+)/,
    /failed to fetch (?:anonymous|oauth) token(?:: (?<detail>[^\n"]+))?/,
    /authorization server did not include a token in the response/,
    /unable to decode token response/,
    // A request to the realm itself (it carries service= and scope=) that did not get an answer.
    /(?:Get|Post) "?(?<realm>https?:\/\/[^"\s]+[?&](?:scope|service)=[^"\s]*)"?: (?<detail>[^\n"]+)/,
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
  rule(
    'http-403',
    'forbidden',
    [
      /denied: Permission "(?<permission>[^"]+)" denied/,
      // Container Registry (gcr.io): the project or identity may not read the storage behind it.
      /Token exchange failed for project '(?<project>[^']+)'/,
      /<Code>(?<code>AccessDenied|AllAccessDisabled)<\/Code>/,
      /\b(?<status>403 Forbidden)\b/,
      /\b(?<status>403) \(Forbidden\)/,
      /error parsing HTTP (?<status>403) response body/,
      /API error \((?<status>403)\)/,
      // AWS APIs (ECS pulling registry auth or secrets): the role may not do this.
      /\bAccessDeniedException\b/,
    ],
    'Some registries (ghcr.io, Harbor) answer 403 rather than 401 to a request without credentials for a private image, so check that the pull has credentials at all.',
    ['unauthorized'],
  ),
  rule('registry-auth-error', 'unauthorized', [
    /no basic auth credentials/,
    /no user\/password was provided for basic authentication/,
    /requested access to the resource is denied/,
    /invalid username\/password/,
    /\b(?:insufficient_scope|authorization failed)\b/,
    // Also after a literal `\n`: skopeo's logrus line keeps the registry's error list escaped.
    /(?:^|[\s:]|\\n)(?:unauthorized|UNAUTHORIZED|denied|DENIED): (?<server_message>[^\n"\\]+)/,
    // containers/image with nothing more to say: `reading manifest 1.0 in <repo>: unauthorized`.
    /: (?:unauthorized|UNAUTHORIZED)(?=$|["\n])/,
  ]),
  rule('http-401', 'unauthorized', [/\b(?<status>401 Unauthorized)\b/, /\b(?<status>401) \(Unauthorized\)/]),

  // Throttling by the registry.
  rule('http-429', 'rate-limited', [
    /\b(?<status>429 Too Many Requests)(?: - Server message: (?<server_message>[^\n"]+))?/,
    /(?:^|[\s:])(?:toomanyrequests|TOOMANYREQUESTS): (?<server_message>[^\n"]+)/,
    /"code":\s*"TOOMANYREQUESTS"/,
    /\bpull rate limit\b/,
    /\bToo Many Requests\b/,
    /\bStatus (?<status>429) trying to pull\b/,
    /invalid status code from registry (?<status>429) \(/,
  ]),

  // An HTML page where a registry answer belongs: a portal, captive proxy or misrouted mirror.
  // After the status rules (a 403 with S3's XML is a 403), before not-found (`text/html …: not found`).
  rule(
    'html-instead-of-registry',
    'unclassified',
    [/unexpected media type text\/html/, /invalid character '<' looking for beginning of value/],
    'An HTML page came back where a registry answer belongs: a login portal, a captive or corporate proxy, or a mirror URL that is not a registry. Open the URL with curl from the node to see which.',
  ),

  // The reference does not exist.
  rule(
    'blob-not-found',
    'not-found',
    [
      /content at (?<url>\S+) not found/,
      /could not fetch content descriptor (?<digest>\S+) .*from remote: not found/,
      /\bBLOB_UNKNOWN\b/,
      /Error fetching blob: invalid status code from registry (?<status>404) \(/,
    ],
    'The tag resolved but a blob it needs is missing from the registry or cache.',
  ),
  rule('reference-not-found', 'not-found', [
    /(?<reference>[^\s"]+): not found\b/,
    /\bmanifest unknown\b/,
    /\b(?:MANIFEST_UNKNOWN|NAME_UNKNOWN)\b/,
    /\bname unknown\b/,
    /manifest for (?<reference>\S+) not found/,
    /Tag (?<tag>\S+) not found in repository (?<repository>\S+)/,
    /\bimage (?<reference>\S+) not found\b/,
    /repository (?<repository>\S+) not found/,
    /API error \((?<status>404)\)/,
    /(?:unsupported|unexpected) status code (?<status>404)\b/,
    /\b(?<status>404 Not Found)\b/,
    /\bcode = NotFound\b/,
  ]),

  // The server failed.
  rule('http-5xx', 'server-error', [
    /\b(?<status>50[0-4] (?:Internal Server Error|Not[ ]Implemented|Bad Gateway|Service Unavailable|Gateway Timeout))\b/,
    /received unexpected HTTP status: (?<status>5\d\d(?: [A-Z][A-Za-z -]*[a-z])?)/,
    /invalid status code from registry (?<status>5\d\d) \((?<reason>[^)]+)\)/,
    /\b(?<status>50[0-4]) \((?<reason>Internal Server Error|Bad Gateway|Service Unavailable|Gateway Timeout)\)/,
  ]),

  // The network, from name to bytes.
  rule('dns-lookup', 'dns', [
    /lookup (?<host>[^\s:"]+)(?: on (?<resolver>[^\n"]*?))?: (?<detail>[^\n"]+)/,
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
    /: EOF\.?(?=$|["\n])/,
  ]),
  rule(
    'unexpected-eof',
    'connection-reset',
    [/\bunexpected EOF\b/],
    'A body ended early: the connection dropped mid-transfer, or the stored blob itself is short. A retry that stops at the same size every time points at the blob.',
    ['blob-truncated'],
  ),
  rule('dial-timeout', 'timeout', [
    /dial tcp (?<address>\S+): (?<detail>i\/o timeout|connect: connection timed out)/,
    /i\/o timeout|connection timed out/,
    /Client\.Timeout exceeded|request canceled while waiting for connection/,
    // The AWS SDK's per-request deadline (ECS fetching registry auth or secrets).
    /request context canceled caused by: context deadline exceeded/,
    // One HTTP request past its own deadline (a client timeout), not the whole pull.
    /(?:Get|Head|Post) "?https?:\/\/[^"\s]+"?: context deadline exceeded/,
  ]),
  rule(
    'pull-canceled',
    'canceled',
    [
      /\bcontext deadline exceeded\b/,
      /\bcode = (?:DeadlineExceeded|4 desc)\b/,
      /\bcontext canceled\b/,
      /\bcode = Canceled\b/,
      /net\/http: request canceled/,
      // dockershim's --image-pull-progress-deadline, and containerd's log when its own one fires.
      /[Cc]ancel pulling image "?(?<image>[^"\s]+)"? because of no progress/,
    ],
    'kubelet puts no deadline on a pull itself; containerd cancels one that made no progress for image_pull_progress_timeout, and a CRI call that outlives the runtime request timeout ends in DeadlineExceeded. Look for what stalled the transfer, or whether the runtime restarted.',
  ),
];
