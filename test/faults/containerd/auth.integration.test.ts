/**
 * The auth faults against containerd's docker authorizer, on a token-auth registry (user ci/pw,
 * anonymous pulls allowed). Observed with containerd 1.6.20:
 *
 * - a token service failing reads `failed to authorize: failed to fetch anonymous token:
 *   unexpected status: 503 Service Unavailable` (oauth: `failed to fetch oauth token: …`); 1.6.20
 *   names neither the method nor the URL that the catalogue's 1.7 wording (`… from GET request to
 *   …/token?…`) has.
 * - with credentials containerd POSTs (OAuth) first and falls back to GET on a 401 from it.
 * - tokens: the resolver and the fetcher of one pull each get their own authorizer, so a pull
 *   fetches two tokens; within the fetch a token is reused past a 1 s `expires_in` (2 s later, by
 *   containerd's own clock too), and the repeated `invalid_token` challenge fails the pull. So the
 *   catalogue's "nothing when the client honours expires_in" does not hold for containerd 1.6.20
 *   with short-lived tokens (the token spec's 60 s floor is the likely reason).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureImages } from '../../../registry-stubs/fixtures/catalogue.ts';
import { containerdStatus, skipNote } from '../../helpers/containerd-status.ts';
import { tokenAuth } from '../http/helpers.ts';
import {
  type Bench,
  expectClassified,
  pullAndRemove,
  pullFailure,
  startBench,
  withFault,
} from './helpers.ts';

const containerd = await containerdStatus();

let bench: Bench;
const ci = { username: 'ci', password: 'pw' };

beforeAll(async () => {
  bench = await startBench({
    registry: {
      auth: tokenAuth,
      images: fixtureImages({ include: ['tiny', 'large'], largeSizeBytes: 2 * 1024 * 1024, largeLayers: 4 }),
    },
    nodes: [{ name: 'auth-a' }],
  });
});
afterAll(() => bench?.close());

const resolveFailed = (ref: string) =>
  `failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": `;
const denied = (error: string) =>
  `pull access denied, repository does not exist or may require authorization: server message: ${error}: authorization failed`;
/** `METHOD path status`, the query left out (it carries the scope, not credentials). */
const seen = () => bench.requests.map((r) => `${r.method} ${r.path} ${r.status}`);
const manifest = '/v2/pullstorm/tiny/manifests/1.0';

describe.skipIf(!containerd.available)(`auth faults through containerd${skipNote(containerd)}`, () => {
  it('auth-no-credentials: anonymous pulls are denied after one token round; ci/pw still pulls', async () => {
    const a = bench.node('auth-a');
    const ref = a.ref();
    bench.requests.length = 0;
    await withFault(bench.registry, { fault: 'auth-no-credentials' }, async () => {
      const { code, text } = await pullFailure(a, ref);
      expect(code).toBe('Unknown');
      expect(text).toBe(`${resolveFailed(ref)}${denied('insufficient_scope')}`);
      // The second challenge carries error=, so containerd gives up instead of fetching again.
      expect(seen()).toEqual([`HEAD ${manifest} 401`, 'GET /token 200', `HEAD ${manifest} 401`]);
      expectClassified('auth-no-credentials', ref, text);
      await pullAndRemove(a, ref, { auth: ci });
    });
    await pullAndRemove(a, ref);
  });

  it('auth-bad-credentials: the OAuth POST and the GET fallback both get 401', async () => {
    const a = bench.node('auth-a');
    const ref = a.ref();
    bench.requests.length = 0;
    const { text } = await withFault(bench.registry, { fault: 'auth-bad-credentials' }, () =>
      pullFailure(a, ref, { auth: ci }),
    );
    expect(text).toBe(
      `${resolveFailed(ref)}failed to authorize: failed to fetch oauth token: unexpected status: 401 Unauthorized`,
    );
    expect(seen()).toEqual([`HEAD ${manifest} 401`, 'POST /token 401', 'GET /token 401']);
    expectClassified('auth-bad-credentials', ref, text);
    await pullAndRemove(a, ref, { auth: ci });
  });

  it('auth-token-endpoint: 503 from the token service, anonymous and with credentials', async () => {
    const a = bench.node('auth-a');
    const ref = a.ref();
    await withFault(bench.registry, { fault: 'auth-token-endpoint' }, async () => {
      const anonymous = await pullFailure(a, ref);
      expect(anonymous.text).toBe(
        `${resolveFailed(ref)}failed to authorize: failed to fetch anonymous token: unexpected status: 503 Service Unavailable`,
      );
      expectClassified('auth-token-endpoint', ref, anonymous.text);
      const oauth = await pullFailure(a, ref, { auth: ci });
      expect(oauth.text).toBe(
        `${resolveFailed(ref)}failed to authorize: failed to fetch oauth token: unexpected status: 503 Service Unavailable`,
      );
      expectClassified('auth-token-endpoint', ref, oauth.text);
    });
    await pullAndRemove(a, ref);
  });

  it('auth-token-endpoint (refused): the realm on port 2 refuses the connection', async () => {
    const a = bench.node('auth-a');
    const ref = a.ref();
    const { text } = await withFault(
      bench.registry,
      { fault: 'auth-token-endpoint', options: { status: 'refused' } },
      () => pullFailure(a, ref),
    );
    const host = a.door.host;
    expect(text).toBe(
      `${resolveFailed(ref)}failed to authorize: failed to fetch anonymous token: Get ` +
        `"http://${host}:2/token?scope=repository%3Apullstorm%2Ftiny%3Apull&service=pullstorm": ` +
        `dial tcp ${host}:2: connect: connection refused`,
    );
    expectClassified('auth-token-endpoint', ref, text);
    await pullAndRemove(a, ref);
  });

  it('auth-insufficient-scope: a token that grants nothing, anonymous or ci/pw', async () => {
    const a = bench.node('auth-a');
    const ref = a.ref();
    await withFault(bench.registry, { fault: 'auth-insufficient-scope' }, async () => {
      for (const auth of [undefined, ci]) {
        const { text } = await pullFailure(a, ref, auth ? { auth } : {});
        expect(text).toBe(`${resolveFailed(ref)}${denied('insufficient_scope')}`);
        expectClassified('auth-insufficient-scope', ref, text);
      }
    });
    await pullAndRemove(a, ref, { auth: ci });
  });

  it('auth-challenge-error: invalid_token on every tokened request', async () => {
    const a = bench.node('auth-a');
    const ref = a.ref();
    bench.requests.length = 0;
    const { text } = await withFault(bench.registry, { fault: 'auth-challenge-error' }, () =>
      pullFailure(a, ref),
    );
    expect(text).toBe(`${resolveFailed(ref)}${denied('invalid_token')}`);
    expect(seen()).toEqual([`HEAD ${manifest} 401`, 'GET /token 200', `HEAD ${manifest} 401`]);
    expectClassified('auth-challenge-error', ref, text);
    await pullAndRemove(a, ref);
  });

  // pullstorm/large (4 layers of 512 KiB) under a 500 kB/s cap: containerd downloads 3 layers at
  // once, so the 4th blob GET comes ~3 s after the fetcher's token, which said expires_in 1.
  it('auth-token-expiry: containerd reuses a token past expires_in and fails on the repeated 401', {
    timeout: 30_000,
  }, async () => {
    const a = bench.node('auth-a');
    const ref = a.ref('large');
    bench.requests.length = 0;
    const cap = await bench.registry.faults.apply({
      fault: 'bandwidth',
      options: { totalBytesPerSecond: 500_000 },
    });
    try {
      const { code, text } = await withFault(
        bench.registry,
        { fault: 'auth-token-expiry', options: { expiresInSeconds: 1 } },
        () => pullFailure(a, ref),
      );
      expect(code).toBe('Unknown');
      expect(text).toBe(
        `failed to pull and unpack image "${ref}": failed to copy: httpReadSeeker: failed open: server message: invalid_token: authorization failed`,
      );
      expectClassified('auth-token-expiry', ref, text);
    } finally {
      await cap.clear();
    }
    const tokens = bench.requests.filter((r) => r.path === '/token');
    const rejected = bench.requests.filter((r) => r.route === 'blob' && r.status === 401);
    // Two tokens (resolver, fetcher); the same blob GET refused twice with the fetcher's token.
    expect(tokens.map((r) => r.status)).toEqual([200, 200]);
    expect(rejected).toHaveLength(2);
    expect(rejected[0]!.path).toBe(rejected[1]!.path);
    // On loopback the token reaches containerd within milliseconds of its request, so an age well
    // past 1 s means containerd's own expiry had passed too.
    const age = Date.parse(rejected[0]!.time) - Date.parse(tokens[1]!.time);
    expect(age).toBeGreaterThan(1_500);
    await pullAndRemove(a, ref);
  });
});
