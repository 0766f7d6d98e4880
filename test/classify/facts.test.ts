import { describe, expect, it } from 'vitest';
import { type CauseId, classify, classifyEvent } from '../../harness/classify/index.ts';

// Every error-bearing row of /work/shared/FACTS.md ("kubelet image manager", "containerd pull
// path", "Kubernetes describe pod texts") written out as the full message kubelet ≥ 1.28 puts in
// a Failed event: `Failed to pull image "<img>": failed to pull and unpack image "<fq>": …`.
const img = 'registry.example.com:5000/shop/web:1.4.2';
const digestA = `sha256:${'a'.repeat(64)}`;
const digestB = `sha256:${'b'.repeat(64)}`;
const head = `Head "https://registry.example.com:5000/v2/shop/web/manifests/1.4.2"`;
const blobUrl = `https://registry.example.com:5000/v2/shop/web/blobs/${digestB}`;
/** kubelet's Failed event around containerd's pull error; `resolve` adds the resolve wrapper. */
const failed = (rest: string, resolve = true) =>
  `Failed to pull image "${img}": failed to pull and unpack image "${img}": ${resolve ? `failed to resolve reference "${img}": ` : ''}${rest}`;

const rows: { fact: string; text: string; cause: CauseId }[] = [
  // containerd pull path
  {
    fact: 'transport: 30 s dial timeout',
    text: failed(`failed to do request: ${head}: dial tcp 10.0.0.5:5000: i/o timeout`),
    cause: 'timeout',
  },
  {
    fact: 'transport: 10 s TLS handshake timeout',
    text: failed(`failed to do request: ${head}: net/http: TLS handshake timeout`),
    cause: 'tls-handshake-timeout',
  },
  {
    fact: 'resolve loop: every host 404 → <ref>: not found',
    text: failed(`${img}: not found`),
    cause: 'not-found',
  },
  {
    fact: 'resolve: non-2xx other than 404 (429)',
    text: failed(
      `unexpected status from HEAD request to https://registry.example.com:5000/v2/shop/web/manifests/1.4.2: 429 Too Many Requests`,
    ),
    cause: 'rate-limited',
  },
  {
    fact: 'resolve: non-2xx other than 404 (503)',
    text: failed(
      `unexpected status from HEAD request to https://registry.example.com:5000/v2/shop/web/manifests/1.4.2: 503 Service Unavailable`,
    ),
    cause: 'server-error',
  },
  {
    fact: 'retries: 401 after the challenge was answered',
    text: failed(
      `unexpected status from HEAD request to https://registry.example.com:5000/v2/shop/web/manifests/1.4.2: 401 Unauthorized`,
    ),
    cause: 'unauthorized',
  },
  {
    fact: 'fetch: non-2xx on GET',
    text: failed(
      `failed to copy: httpReadSeeker: failed open: unexpected status code ${blobUrl}: 429 Too Many Requests - Server message: toomanyrequests: You have reached your pull rate limit`,
      false,
    ),
    cause: 'rate-limited',
  },
  {
    fact: 'fetch: 500 on GET',
    text: failed(
      `failed to copy: httpReadSeeker: failed open: unexpected status code ${blobUrl}: 500 Internal Server Error`,
      false,
    ),
    cause: 'server-error',
  },
  {
    fact: 'auth: repeated challenge with error=',
    text: failed(
      'pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed',
    ),
    cause: 'unauthorized',
  },
  {
    fact: 'digest check: wrong bytes',
    text: failed(
      `failed commit on ref "layer-${digestB}": unexpected commit digest ${digestA}, expected ${digestB}: failed precondition`,
      false,
    ),
    cause: 'digest-mismatch',
  },
  {
    fact: 'digest check: short body',
    text: failed(`failed to copy: failed to read expected number of bytes: unexpected EOF`, false),
    cause: 'blob-truncated',
  },
  {
    fact: 'wrong platform: index without the node platform',
    text: `Failed to pull image "${img}": rpc error: code = NotFound desc = failed to pull and unpack image "${img}": no match for platform in manifest: not found`,
    cause: 'wrong-platform',
  },
  {
    fact: 'CRI wrapping: unknown tag → gRPC NotFound',
    text: `Failed to pull image "${img}": rpc error: code = NotFound desc = failed to pull and unpack image "${img}": failed to resolve reference "${img}": ${img}: not found`,
    cause: 'not-found',
  },
  {
    fact: 'disk full during download',
    text: failed(
      `failed to copy: write /var/lib/containerd/io.containerd.content.v1.content/ingest/${'c'.repeat(64)}/data: no space left on device`,
      false,
    ),
    cause: 'disk-full',
  },
  {
    fact: 'disk full during unpack',
    text: failed(
      `failed to extract layer ${digestA}: write /var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots/12/fs/usr/lib/libc.so.6: no space left on device: unknown`,
      false,
    ),
    cause: 'disk-full',
  },
  {
    fact: 'localhost is plain http only on a non-443 port; another plain-HTTP host fails',
    text: failed(`failed to do request: ${head}: http: server gave HTTP response to HTTPS client`),
    cause: 'http-to-https',
  },
  // Kubernetes describe pod texts
  {
    fact: 'describe: connection refused',
    text: failed(`failed to do request: ${head}: dial tcp 10.0.0.5:5000: connect: connection refused`),
    cause: 'connection-refused',
  },
  {
    fact: 'describe: timeout',
    text: failed(`failed to do request: ${head}: dial tcp 10.0.0.5:5000: i/o timeout`),
    cause: 'timeout',
  },
  {
    fact: 'describe: unknown CA (Go ≥ 1.20)',
    text: failed(
      `failed to do request: ${head}: tls: failed to verify certificate: x509: certificate signed by unknown authority`,
    ),
    cause: 'tls-unknown-ca',
  },
  {
    fact: 'describe: unknown CA (Go < 1.20)',
    text: failed(`failed to do request: ${head}: x509: certificate signed by unknown authority`),
    cause: 'tls-unknown-ca',
  },
  {
    fact: 'describe: expired certificate',
    text: failed(
      `failed to do request: ${head}: tls: failed to verify certificate: x509: certificate has expired or is not yet valid: current time 2025-03-14T09:00:00Z is after 2025-03-01T00:00:00Z`,
    ),
    cause: 'tls-expired',
  },
  {
    fact: 'describe: wrong host name',
    text: failed(
      `failed to do request: ${head}: tls: failed to verify certificate: x509: certificate is valid for a.example, not registry.example.com`,
    ),
    cause: 'tls-hostname',
  },
  {
    fact: 'describe: IP without IP SANs',
    text: failed(
      `failed to do request: Head "https://10.0.0.5:5000/v2/shop/web/manifests/1.4.2": tls: failed to verify certificate: x509: cannot validate certificate for 10.0.0.5 because it doesn't contain any IP SANs`,
    ),
    cause: 'tls-hostname',
  },
  {
    fact: 'describe: unauthorized (insufficient_scope)',
    text: failed(
      'pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed',
    ),
    cause: 'unauthorized',
  },
  // kubelet image manager
  {
    fact: 'QPS limit: a pull without a token fails at once',
    text: `Failed to pull image "${img}": pull QPS exceeded`,
    cause: 'qps-exceeded',
  },
  {
    fact: 'no pull timeout: containerd no-progress cancel',
    text: `Failed to pull image "${img}": rpc error: code = Canceled desc = failed to pull and unpack image "${img}": context canceled`,
    cause: 'canceled',
  },
  {
    fact: 'gRPC prefix: code Unknown shown bare (≥ 1.28)',
    text: failed(`failed to do request: ${head}: dial tcp 10.0.0.5:5000: connect: connection refused`),
    cause: 'connection-refused',
  },
  {
    fact: 'gRPC prefix: code Unknown with prefix (< 1.28)',
    text: `Failed to pull image "${img}": rpc error: code = Unknown desc = failed to pull and unpack image "${img}": failed to resolve reference "${img}": failed to do request: ${head}: dial tcp 10.0.0.5:5000: connect: connection refused`,
    cause: 'connection-refused',
  },
  {
    fact: 'waiting reason ErrImageNeverPull',
    text: `Container image "${img}" is not present with pull policy of Never`,
    cause: 'never-pull',
  },
  {
    fact: 'waiting reason InvalidImageName',
    text: `Failed to apply default image tag "Shop/Web:1.4": couldn't parse image reference "Shop/Web:1.4": invalid reference format: repository name must be lowercase`,
    cause: 'invalid-name',
  },
  {
    fact: 'exec format error: not a pull error, fails at start',
    text: 'exec /usr/local/bin/web: exec format error',
    cause: 'exec-format',
  },
];

describe('FACTS.md rows', () => {
  it.each(rows)('$fact → $cause', ({ text, cause }) => {
    expect(classify(text).cause).toBe(cause);
  });
});

describe('FACTS.md kubelet event messages', () => {
  it('reads each event message in its role', () => {
    expect(classifyEvent({ reason: 'Pulling', type: 'Normal', message: `Pulling image "${img}"` })).toEqual({
      role: 'pulling',
      image: img,
    });
    const pulled = `Successfully pulled image "${img}" in 1.204s (3.918s including waiting). Image size: 7340032 bytes.`;
    expect(classifyEvent({ reason: 'Pulled', type: 'Normal', message: pulled })).toEqual({
      role: 'pulled',
      image: img,
    });
    const present = `Container image "${img}" already present on machine`;
    expect(classifyEvent({ reason: 'Pulled', type: 'Normal', message: present })).toEqual({
      role: 'pulled',
      image: img,
    });
    const never = classifyEvent({
      reason: 'ErrImageNeverPull',
      type: 'Warning',
      message: `Container image "${img}" is not present with pull policy of Never`,
    });
    expect(never).toMatchObject({ role: 'failed', image: img, classification: { cause: 'never-pull' } });
  });

  it('treats Back-off and Error: ErrImagePull/ImagePullBackOff as carrying no cause of their own', () => {
    expect(
      classifyEvent({ reason: 'BackOff', type: 'Normal', message: `Back-off pulling image "${img}"` }),
    ).toEqual({ role: 'backoff', image: img });
    expect(classifyEvent({ reason: 'Failed', type: 'Warning', message: 'Error: ErrImagePull' })).toEqual({
      role: 'status',
    });
    expect(classifyEvent({ reason: 'Failed', type: 'Warning', message: 'Error: ImagePullBackOff' })).toEqual({
      role: 'status',
    });
  });

  it('reads the ≥ 1.32 back-off status message, which carries the last error', () => {
    const message = `Back-off pulling image "${img}": ErrImagePull: ${failed(`failed to do request: ${head}: dial tcp 10.0.0.5:5000: i/o timeout`).replace(/^Failed to pull image "[^"]+": /, '')}`;
    expect(classifyEvent({ reason: 'BackOff', type: 'Normal', message })).toMatchObject({
      role: 'backoff',
      image: img,
      classification: { cause: 'timeout' },
    });
  });
});
