import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CAUSE_IDS, type CauseId, classify, RULES } from '../../harness/classify/index.ts';

const img = 'registry.example.com/team/app:2.0';
const head = 'Head "https://registry.example.com/v2/team/app/manifests/2.0"';
const blob = `https://registry.example.com/v2/team/app/blobs/sha256:${'e'.repeat(64)}`;

/** The same containerd error as each backend shows it. */
const wrappers: { name: string; wrap: (error: string) => string }[] = [
  { name: 'bare containerd error', wrap: (e) => e },
  { name: 'crictl / CRI status', wrap: (e) => `rpc error: code = Unknown desc = ${e}` },
  { name: 'kubelet ≥ 1.28 Failed event', wrap: (e) => `Failed to pull image "${img}": ${e}` },
  {
    name: 'kubelet < 1.28 Failed event',
    wrap: (e) => `Failed to pull image "${img}": rpc error: code = Unknown desc = ${e}`,
  },
  {
    name: 'kubelet ≥ 1.32 back-off status',
    wrap: (e) => `Back-off pulling image "${img}": ErrImagePull: ${e}`,
  },
  {
    name: 'containerd log line',
    wrap: (e) =>
      `level=error msg="PullImage \\"${img}\\" failed" error="rpc error: code = Unknown desc = ${e}"`,
  },
];

const resolve = (e: string) =>
  `failed to pull and unpack image "${img}": failed to resolve reference "${img}": ${e}`;
const fetch = (e: string) =>
  `failed to pull and unpack image "${img}": failed to copy: httpReadSeeker: failed open: ${e}`;

/** One typical containerd error per cause (FACTS.md phrasing), to be put in every wrapper. */
const samples: Record<Exclude<CauseId, 'unclassified'>, string> = {
  'not-found': resolve(`${img}: not found`),
  unauthorized: resolve(
    'pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed',
  ),
  'token-endpoint': resolve(
    'failed to authorize: failed to fetch oauth token: unexpected status from POST request to https://auth.example.com/token: 503 Service Unavailable',
  ),
  'rate-limited': fetch(
    `unexpected status code ${blob}: 429 Too Many Requests - Server message: toomanyrequests: slow down`,
  ),
  'tls-unknown-ca': resolve(
    `failed to do request: ${head}: tls: failed to verify certificate: x509: certificate signed by unknown authority`,
  ),
  'tls-expired': resolve(
    `failed to do request: ${head}: tls: failed to verify certificate: x509: certificate has expired or is not yet valid: current time 2025-03-14T09:00:00Z is after 2025-03-01T00:00:00Z`,
  ),
  'tls-hostname': resolve(
    `failed to do request: ${head}: tls: failed to verify certificate: x509: certificate is valid for other.example.com, not registry.example.com`,
  ),
  'tls-handshake-timeout': resolve(`failed to do request: ${head}: net/http: TLS handshake timeout`),
  'http-to-https': resolve(`failed to do request: ${head}: http: server gave HTTP response to HTTPS client`),
  'connection-refused': resolve(
    `failed to do request: ${head}: dial tcp 10.1.2.3:443: connect: connection refused`,
  ),
  'network-unreachable': resolve(
    `failed to do request: ${head}: dial tcp 10.1.2.3:443: connect: no route to host`,
  ),
  timeout: resolve(`failed to do request: ${head}: dial tcp 10.1.2.3:443: i/o timeout`),
  dns: resolve(
    `failed to do request: ${head}: dial tcp: lookup registry.example.com on 10.96.0.10:53: no such host`,
  ),
  'connection-reset': fetch(
    `failed to do request: Get "${blob}": read tcp 10.0.0.9:51234->10.1.2.3:443: read: connection reset by peer`,
  ),
  'disk-full': `failed to pull and unpack image "${img}": failed to extract layer sha256:${'f'.repeat(64)}: write /var/lib/containerd/tmpmounts/containerd-mount1/usr/bin/app: no space left on device: unknown`,
  'wrong-platform': `failed to pull and unpack image "${img}": no match for platform in manifest: not found`,
  'exec-format':
    'failed to create containerd task: failed to create shim task: OCI runtime create failed: exec /app: exec format error: unknown',
  'digest-mismatch': `failed to pull and unpack image "${img}": failed commit on ref "layer-sha256:${'1'.repeat(64)}": commit failed: unexpected commit digest sha256:${'2'.repeat(64)}, expected sha256:${'1'.repeat(64)}: failed precondition`,
  'blob-truncated': `failed to pull and unpack image "${img}": failed to copy: failed to read expected number of bytes: unexpected EOF`,
  'server-error': resolve(
    'unexpected status from HEAD request to https://registry.example.com/v2/team/app/manifests/2.0: 502 Bad Gateway',
  ),
  'qps-exceeded': 'pull QPS exceeded',
  'never-pull': `Container image "${img}" is not present with pull policy of Never`,
  'invalid-name': `couldn't parse image reference "Team/App:2.0": invalid reference format: repository name must be lowercase`,
  'pod-refused': `Error creating: pods "web-6d9f7c5b8-x2x4q" is forbidden: violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false (container "app" must set securityContext.allowPrivilegeEscalation=false)`,
  forbidden: fetch(`unexpected status code ${blob}: 403 Forbidden`),
  'short-name': `short-name "app:2.0" did not resolve to an alias and no unqualified-search registries are defined in "/etc/containers/registries.conf"`,
  proxy: resolve(
    `failed to do request: ${head}: proxyconnect tcp: dial tcp 10.0.0.1:3128: connect: connection refused`,
  ),
  canceled: `rpc error: code = Canceled desc = failed to pull and unpack image "${img}": context canceled`,
  'image-store': `failed to pull and unpack image "${img}": failed to extract layer sha256:${'f'.repeat(64)}: failed to mount /var/lib/containerd/tmpmounts/containerd-mount1: input/output error: unknown`,
};

describe('every cause in every wrapper', () => {
  const cases = wrappers.flatMap(({ name, wrap }) =>
    Object.entries(samples).map(([cause, error]) => ({ name, cause, text: wrap(error) })),
  );
  it.each(cases)('$cause in $name', ({ cause, text }) => {
    expect(classify(text).cause).toBe(cause);
  });

  it('has a sample for every cause but unclassified', () => {
    expect(Object.keys(samples).sort()).toEqual(CAUSE_IDS.filter((c) => c !== 'unclassified').sort());
  });
});

describe('precedence', () => {
  it('reads TLS inside a resolve wrapper as TLS, with the registry host as evidence', () => {
    const verdict = classify(samples['tls-unknown-ca']);
    expect(verdict).toMatchObject({ cause: 'tls-unknown-ca', matchedRule: 'x509-unknown-authority' });
    expect(verdict.evidence).toEqual([
      'request: HEAD https://registry.example.com/v2/team/app/manifests/2.0',
      'host: registry.example.com',
      `image: ${img}`,
      'registry: registry.example.com',
    ]);
  });

  it('reads TLS from the token realm as TLS, not as the token endpoint failing', () => {
    const text = resolve(
      'failed to authorize: failed to fetch oauth token: Post "https://auth.example.com/token": tls: failed to verify certificate: x509: certificate signed by unknown authority',
    );
    expect(classify(text)).toMatchObject({
      cause: 'tls-unknown-ca',
      evidence: expect.arrayContaining(['host: auth.example.com']),
    });
  });

  it('tells a 429 on the manifest HEAD from a 429 on a GET by the request in the evidence', () => {
    const onHead = classify(
      resolve(
        'unexpected status from HEAD request to https://registry.example.com/v2/team/app/manifests/2.0: 429 Too Many Requests',
      ),
    );
    const onGet = classify(samples['rate-limited']);
    expect(onHead.cause).toBe('rate-limited');
    expect(onGet.cause).toBe('rate-limited');
    expect(onHead.evidence).toContain('request: HEAD https://registry.example.com/v2/team/app/manifests/2.0');
    expect(onGet.evidence).toContain(`request: GET ${blob}`);
    expect(onGet.evidence).toContain('server message: toomanyrequests: slow down');
  });

  it('reads the token realm by its status: 401 refused, 429 throttled, 5xx and dial errors failing', () => {
    const token = (tail: string) => resolve(`failed to authorize: failed to fetch anonymous token: ${tail}`);
    const url =
      'https://auth.example.com/token?scope=repository%3Ateam%2Fapp%3Apull&service=registry.example.com';
    expect(classify(token(`unexpected status from GET request to ${url}: 401 Unauthorized`)).cause).toBe(
      'unauthorized',
    );
    expect(classify(token(`unexpected status from GET request to ${url}: 429 Too Many Requests`)).cause).toBe(
      'rate-limited',
    );
    expect(
      classify(token(`unexpected status from GET request to ${url}: 500 Internal Server Error`)).cause,
    ).toBe('token-endpoint');
    expect(classify(token(`Get "${url}": dial tcp 10.9.9.9:443: connect: connection refused`)).cause).toBe(
      'token-endpoint',
    );
    expect(classify(token(`Get "${url}": dial tcp: lookup auth.example.com: no such host`)).cause).toBe(
      'token-endpoint',
    );
  });

  it('reads unexpected EOF in a blob body as truncation, elsewhere as a dropped connection', () => {
    expect(classify(samples['blob-truncated']).cause).toBe('blob-truncated');
    expect(classify(fetch(`short read: expected 1024 bytes but got 512: unexpected EOF`)).cause).toBe(
      'blob-truncated',
    );
    expect(classify(resolve(`failed to do request: ${head}: EOF`)).cause).toBe('connection-reset');
    expect(classify(fetch(`failed to do request: Get "${blob}": unexpected EOF`)).cause).toBe(
      'connection-reset',
    );
  });

  it('reads a DNS lookup that timed out or was refused as DNS', () => {
    const lookup = (tail: string) =>
      resolve(
        `failed to do request: ${head}: dial tcp: lookup registry.example.com on 10.96.0.10:53: ${tail}`,
      );
    expect(classify(lookup('read udp 10.0.0.9:40000->10.96.0.10:53: i/o timeout')).cause).toBe('dns');
    expect(classify(lookup('read udp 10.0.0.9:40000->10.96.0.10:53: read: connection refused')).cause).toBe(
      'dns',
    );
  });

  it('reads a TLS handshake timeout as TLS, not as a plain timeout', () => {
    expect(classify(samples['tls-handshake-timeout']).cause).toBe('tls-handshake-timeout');
  });

  it('reads no-platform-match as wrong platform although it ends in not found', () => {
    expect(classify(`rpc error: code = NotFound desc = ${samples['wrong-platform']}`).cause).toBe(
      'wrong-platform',
    );
  });

  it('reads a missing blob as not found with a note that the tag itself exists', () => {
    const verdict = classify(fetch(`content at ${blob} not found: not found`));
    expect(verdict).toMatchObject({
      cause: 'not-found',
      matchedRule: 'blob-not-found',
      note: expect.stringContaining('blob'),
    });
  });

  it('reads a refused runtime socket as unclassified, not as the registry refusing', () => {
    const text =
      'rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing: dial unix /run/containerd/containerd.sock: connect: connection refused"';
    expect(classify(text).cause).toBe('unclassified');
  });

  it('does not read marker words inside an image reference or URL path', () => {
    const ref = 'registry.example.com/denied/toomanyrequests-unauthorized:v429';
    const text = `Failed to pull image "${ref}": failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": failed to do request: Head "https://registry.example.com/v2/denied/toomanyrequests-unauthorized/manifests/v429": dial tcp 10.1.2.3:443: i/o timeout`;
    expect(classify(text).cause).toBe('timeout');
  });
});

describe('unclassified', () => {
  it.each([
    ['empty text', ''],
    ['a kubelet status word only', 'ErrImagePull'],
    ['a back-off event alone', `Back-off pulling image "${img}"`],
    ['an unknown registry answer', `Failed to pull image "${img}": the registry is having a bad day`],
    [
      'mTLS client certificate missing (containerd/containerd#13203): no cause in the table yet',
      `failed to pull and unpack image "my-registry:2524/admin/image/test:v2": failed to resolve reference "my-registry:2524/admin/image/test:v2": failed to do request: Head "https://my-registry:2524/v2/admin/image/test/manifests/v2": remote error: tls: certificate required`,
    ],
  ])('%s', (_name, text) => {
    const verdict = classify(text);
    expect(verdict).toMatchObject({ cause: 'unclassified', matchedRule: null, title: 'Not recognised' });
  });

  it('still reports the request it saw', () => {
    const text = resolve(`failed to do request: ${head}: remote error: tls: certificate required`);
    expect(classify(text).evidence).toContain('host: registry.example.com');
  });
});

describe('the table', () => {
  it('has unique rule ids and only known causes', () => {
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of RULES) expect(CAUSE_IDS).toContain(rule.cause);
  });

  it('maps any text to a known cause without throwing', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (text) => {
        expect(CAUSE_IDS).toContain(classify(text).cause);
      }),
    );
  });

  it('keeps the verdict whatever image reference the wrapper names', () => {
    // Repository components and tags as the distribution grammar allows them.
    const component = fc.stringMatching(/^[a-z0-9]+(?:[._-][a-z0-9]+)*$/, { maxLength: 20 });
    const tag = fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,20}$/);
    const reference = fc
      .tuple(fc.array(component, { minLength: 1, maxLength: 3 }), tag)
      .map(([path, t]) => `registry.example.com/${path.join('/')}:${t}`);
    const cause = fc.constantFrom(...(Object.keys(samples) as (keyof typeof samples)[]));
    fc.assert(
      fc.property(reference, cause, (ref, c) => {
        expect(classify(`Failed to pull image "${ref}": ${samples[c]}`).cause).toBe(c);
      }),
    );
  });
});
