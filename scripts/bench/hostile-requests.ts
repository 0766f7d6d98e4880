/**
 * Hostile and careless requests for the stub, generated with fast-check, and a sender that fires
 * them over keep-alive connections and counts what came back. Shared by the fuzz test (a few
 * thousand requests) and the soak benchmark (100,000). Paths mix valid routes with long,
 * non-Latin-1, percent-broken names; bodies are random JSON, deeply nested arrays, manifest-shaped
 * objects and plain bytes; headers lie about lengths, ranges and credentials.
 */
import { Agent, request } from 'node:http';
import fc from 'fast-check';

/** One generated request. */
export interface HostileRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Uint8Array;
}

const hex64 = fc.stringMatching(/^[a-f0-9]{64}$/);
const name = fc.oneof(
  fc.constantFrom('pullstorm/tiny', 'a', 'team/app', 'A', '-x', 'a//b', '..', '%2e%2e', '%zz'),
  fc.stringMatching(/^[a-z0-9][a-z0-9._/-]{0,40}$/),
  fc.string({ maxLength: 60 }).map(encodeURIComponent),
  fc.integer({ min: 1, max: 20_000 }).map((n) => `${'a'.repeat(n)}%E4%B8%80`),
);
const reference = fc.oneof(
  fc.constantFrom('1.0', 'latest', '%zz', '-bad', 'sha256:', 'sha512:00'),
  hex64.map((h) => `sha256:${h}`),
  fc.string({ maxLength: 300 }).map(encodeURIComponent),
);
const query = fc.oneof(
  fc.constant(''),
  fc.constantFrom(
    '?n=',
    '?n=-1',
    '?n=99999999999999999999',
    '?digest=%zz',
    '?mount=x&from=y',
    '?after=1&waitMs=5',
  ),
  hex64.map((h) => `?digest=sha256:${h}`),
);
const path = fc.oneof(
  fc.constantFrom('/v2/', '/v2', '/v2/_catalog', '/token', '/_pullstorm/faults', '/_pullstorm/events', '/'),
  fc.tuple(name, reference).map(([n, r]) => `/v2/${n}/manifests/${r}`),
  fc.tuple(name, reference).map(([n, r]) => `/v2/${n}/blobs/${r}`),
  name.map((n) => `/v2/${n}/blobs/uploads/`),
  fc.tuple(name, fc.oneof(fc.uuid(), reference)).map(([n, id]) => `/v2/${n}/blobs/uploads/${id}`),
  name.map((n) => `/v2/${n}/tags/list`),
  fc.tuple(name, reference).map(([n, r]) => `/v2/${n}/referrers/${r}`),
  reference.map((r) => `/_pullstorm/faults/${r}`),
);
const deepArray = fc.integer({ min: 100, max: 20_000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`);
const manifestLike = fc
  .record(
    {
      schemaVersion: fc.oneof(fc.constant(2), fc.jsonValue()),
      mediaType: fc.constantFrom(
        'application/vnd.oci.image.manifest.v1+json',
        'application/vnd.oci.image.index.v1+json',
        'x',
      ),
      config: fc.jsonValue(),
      layers: fc.jsonValue(),
      manifests: fc.jsonValue(),
      subject: fc.jsonValue(),
      annotations: fc.jsonValue(),
    },
    { requiredKeys: ['schemaVersion'] },
  )
  .map((m) => JSON.stringify(m));
const body = fc.oneof(
  fc.constant(undefined),
  fc.jsonValue({ maxDepth: 6 }).map((v) => JSON.stringify(v)),
  deepArray,
  manifestLike,
  fc.constantFrom('grant_type=password&username=u&password=p&scope=repository:a:pull', '{"fault":"nope"}'),
  fc.uint8Array({ maxLength: 4096 }),
);
const headers = fc.record(
  {
    'Content-Type': fc.constantFrom(
      'application/vnd.oci.image.manifest.v1+json',
      'application/json',
      'application/octet-stream',
      'application/x-www-form-urlencoded',
      'a/b;c',
    ),
    'Content-Range': fc.constantFrom('0-0', '5-1', '0-99999999999', 'bytes=0-1', 'x'),
    Range: fc.constantFrom('bytes=0-0', 'bytes=-1', 'bytes=5-1', 'bytes=0-1,2-3', 'bytes=99999999999-'),
    Authorization: fc.constantFrom('Basic Og==', 'Basic !!!', 'Bearer x.y.z', 'Bearer ', 'Digest a'),
    'X-Pullstorm-Control-Token': fc.constantFrom('t', 'wrong', ''),
    Accept: fc.constantFrom('*/*', 'application/vnd.oci.image.index.v1+json;q=0', ''),
  },
  { requiredKeys: [] },
);

/** The request generator. */
export const hostileRequest: fc.Arbitrary<HostileRequest> = fc
  .record({
    method: fc.constantFrom('GET', 'HEAD', 'PUT', 'POST', 'PATCH', 'DELETE', 'OPTIONS'),
    path: fc.tuple(path, query).map(([p, q]) => p + q),
    headers,
    body,
  })
  .map(({ method, path, headers, body }) => ({
    method,
    path,
    headers,
    ...(body !== undefined &&
      method !== 'GET' &&
      method !== 'HEAD' && {
        body: typeof body === 'string' ? new TextEncoder().encode(body) : body,
      }),
  }));

/** `count` requests from `seed` (the same seed gives the same requests). */
export function hostileRequests(count: number, seed: number): HostileRequest[] {
  return fc.sample(hostileRequest, { numRuns: count, seed });
}

/** What a batch of requests came to. */
export interface FuzzTally {
  requests: number;
  /** By status class: 2xx, 3xx, 4xx, 5xx; `error` for requests the connection failed (reset, closed). */
  byClass: Record<string, number>;
  /** Up to 10 requests that got a 5xx, for the report. */
  serverErrors: { method: string; path: string; status: number; body: string }[];
}

/** Sends `requests` to `base` (`http://host:port`) over `concurrency` keep-alive connections. */
export async function sendAll(
  base: string,
  requests: HostileRequest[],
  concurrency: number,
  tally: FuzzTally,
): Promise<void> {
  const { hostname, port } = new URL(base);
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  let next = 0;
  const worker = async () => {
    while (next < requests.length) {
      const r = requests[next++]!;
      const outcome = await send(hostname, Number(port), agent, r);
      tally.requests++;
      const key = typeof outcome === 'string' ? outcome : `${Math.floor(outcome.status / 100)}xx`;
      tally.byClass[key] = (tally.byClass[key] ?? 0) + 1;
      if (typeof outcome !== 'string' && outcome.status >= 500 && tally.serverErrors.length < 10) {
        tally.serverErrors.push({
          method: r.method,
          path: r.path.slice(0, 120),
          status: outcome.status,
          body: outcome.body.slice(0, 200),
        });
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    agent.destroy();
  }
}

function send(
  host: string,
  port: number,
  agent: Agent,
  r: HostileRequest,
): Promise<{ status: number; body: string } | 'error' | 'unsendable'> {
  return new Promise((resolve) => {
    let req: ReturnType<typeof request>;
    try {
      req = request({
        host,
        port,
        agent,
        method: r.method,
        path: r.path,
        headers: r.headers,
        timeout: 30_000,
      });
    } catch {
      return resolve('unsendable'); // a path or header Node itself refuses to send
    }
    req.on('response', (res) => {
      const parts: Buffer[] = [];
      let size = 0;
      res.on('data', (d: Buffer) => {
        if (size < 4096) parts.push(d);
        size += d.length;
      });
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts).toString('utf8') }),
      );
      res.on('error', () => resolve('error'));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve('error'));
    req.end(r.body);
  });
}
