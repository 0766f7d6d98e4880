/**
 * The real caches, no fakes: Debian's distribution 2.8 (`docker-registry`, proxy mode) and nginx
 * (`proxy_cache`) in front of an origin stub, through a node door. Each expectation below is what
 * these processes were seen to do on this machine (December 2026); where the two differ, the test
 * says so, because that difference is what a team choosing a mirror needs to know.
 */
import { describe, expect, it } from 'vitest';
import {
  getBlob,
  getManifest,
  hasDistribution,
  hasNginx,
  layersOf,
  type MirrorRig,
  mirrorRig,
} from './helpers.ts';

const REPO = 'pullstorm/large';

/**
 * Caps each origin connection at 2 MiB/s, so a 2 MiB layer takes about a second and eight
 * requests sent together are all misses in flight at once, even on a busy machine.
 */
async function slowOrigin(rig: MirrorRig): Promise<void> {
  await rig.origin.faults.apply({
    id: 'slow',
    fault: 'bandwidth',
    options: { bytesPerSecond: 2 * 1024 * 1024 },
    scope: {},
  });
}

describe.skipIf(!hasDistribution)('distribution 2.8 as a pull-through cache (docker-registry)', () => {
  it('a miss fetches each blob from the origin twice (once to stream, once to store), a hit not at all', async () => {
    await using rig = await mirrorRig('distribution');
    const [layer] = await layersOf(rig.url, REPO, '1.0');
    const miss = await getBlob(rig.url, REPO, layer!);
    expect(miss.status).toBe(200);
    // proxyblobstore: copyContent streams to the client, storeLocal fetches again to store.
    await expect.poll(() => rig.originBlobGets().get(layer!), { timeout: 5_000 }).toBe(2);
    const hit = await getBlob(rig.url, REPO, layer!);
    expect(hit).toMatchObject({ status: 200, bytes: miss.bytes });
    expect(rig.originBlobGets().get(layer!)).toBe(2);
  });

  it('does not coalesce concurrent misses: 8 at once cost at least one origin fetch each', async () => {
    await using rig = await mirrorRig('distribution');
    const [layer] = await layersOf(rig.url, REPO, '1.0');
    await slowOrigin(rig);
    const all = await Promise.all(Array.from({ length: 8 }, () => getBlob(rig.url, REPO, layer!)));
    expect(all.every((r) => r.status === 200)).toBe(true);
    // Seen: 9 (8 streams + 1 store) and 11 (a late request found no store in flight and stored again).
    await expect
      .poll(() => rig.originBlobGets().get(layer!) ?? 0, { timeout: 5_000 })
      .toBeGreaterThanOrEqual(9);
  });

  it('revalidates a tag with the origin (HEAD) on every manifest request, and serves digests locally', async () => {
    await using rig = await mirrorRig('distribution');
    await getManifest(rig.url, REPO, '1.0');
    const before = rig.requests.length;
    expect((await getManifest(rig.url, REPO, '1.0')).status).toBe(200);
    const manifestRequests = rig.requests.slice(before).filter((r) => r.route === 'manifest');
    expect(manifestRequests.map((r) => r.method)).toEqual(['HEAD']);
  });

  it('with the origin refusing connections after warm-up: cached tags and blobs are served, misses fail (404 tag, 500 blob)', async () => {
    await using rig = await mirrorRig('distribution');
    const [warm, cold] = await layersOf(rig.url, REPO, '1.0');
    await getBlob(rig.url, REPO, warm!);
    // The blob is cached only once the second (storing) fetch has finished, after the client has
    // its copy: an origin dying in between leaves it uncached (seen once here as a 500).
    await expect.poll(() => rig.originBlobGets().get(warm!), { timeout: 5_000 }).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await rig.origin.faults.apply({ id: 'down', fault: 'refused', options: {}, scope: {} });
    expect((await getManifest(rig.url, REPO, '1.0')).status).toBe(200);
    expect((await getBlob(rig.url, REPO, warm!)).status).toBe(200);
    expect((await getBlob(rig.url, REPO, cold!)).status).toBe(500);
    const tag = await getManifest(rig.url, 'pullstorm/tiny', '1.0');
    expect(tag.status).toBe(404);
    expect(tag.body).toContain('MANIFEST_UNKNOWN');
  });

  it("turns the origin's 429 into a 500 whose detail carries TOOMANYREQUESTS (no pass-through)", async () => {
    await using rig = await mirrorRig('distribution');
    await rig.origin.faults.apply({
      id: 'rl',
      fault: 'rate-limit',
      options: { limit: 1, windowSeconds: 3600 },
      scope: {},
    });
    expect((await getManifest(rig.url, 'pullstorm/multiarch', '1.0')).status).toBe(200);
    const limited = await getManifest(rig.url, 'pullstorm/no-amd64', '1.0');
    expect(rig.requests.some((r) => r.status === 429)).toBe(true);
    expect(limited.status).toBe(500);
    expect(limited.body).toContain('TOOMANYREQUESTS');
  });

  it("turns the origin's 503 into 404 MANIFEST_UNKNOWN for a manifest and 500 for a blob", async () => {
    await using rig = await mirrorRig('distribution');
    const [layer] = await layersOf(rig.url, REPO, '1.0');
    await rig.origin.faults.apply({ id: 'se', fault: 'server-error', options: { status: 503 }, scope: {} });
    const tag = await getManifest(rig.url, 'pullstorm/tiny', '1.0');
    expect(tag.status).toBe(404);
    expect(tag.body).toContain('MANIFEST_UNKNOWN');
    expect((await getBlob(rig.url, REPO, layer!)).status).toBe(500);
  });

  it('pulls from a token-auth origin with the credentials it is given', async () => {
    await using rig = await mirrorRig('distribution', {
      auth: 'token',
      credentials: { username: 'ci', password: 's3cret' },
    });
    const [layer] = await layersOf(rig.url, REPO, '1.0');
    expect((await getBlob(rig.url, REPO, layer!)).status).toBe(200);
    expect(rig.requests.some((r) => r.user === 'ci' && r.route === 'blob' && r.status === 200)).toBe(true);
  });

  it("turns the origin's 401 into 404 MANIFEST_UNKNOWN without credentials (no pass-through)", async () => {
    await using rig = await mirrorRig('distribution', { auth: 'token' });
    const denied = await getManifest(rig.url, REPO, '1.0');
    expect(rig.requests.some((r) => r.status === 401)).toBe(true);
    expect(denied.status).toBe(404);
    expect(denied.body).toContain('MANIFEST_UNKNOWN');
  });

  it('never sends its credentials to a Basic-auth origin (it keys them by Bearer realm), so it answers 404', async () => {
    await using rig = await mirrorRig('distribution', {
      auth: 'basic',
      credentials: { username: 'ci', password: 's3cret' },
    });
    const denied = await getManifest(rig.url, REPO, '1.0');
    expect(denied.status).toBe(404);
    expect(
      rig.requests
        .filter((r) => r.route === 'manifest')
        .every((r) => r.status === 401 && r.user === undefined),
    ).toBe(true);
  });

  it('a connection fault on the mirror refuses the node until it is cleared', async () => {
    await using rig = await mirrorRig('distribution');
    const clear = await rig.mirror.apply({ id: 'mirror-down', fault: 'refused', options: {}, scope: {} });
    await expect(fetch(`${rig.url}/v2/`)).rejects.toThrow();
    await clear();
    expect((await fetch(`${rig.url}/v2/`)).status).toBe(200);
  });

  it('refuses an HTTP fault on the mirror, saying why', async () => {
    await using rig = await mirrorRig('distribution');
    await expect(
      rig.mirror.apply({ id: 'x', fault: 'server-error', options: {}, scope: {} }),
    ).rejects.toThrow(/server-error acts on HTTP requests, which mirror cache .* answers itself/);
  });
});

describe.skipIf(!hasNginx)('nginx proxy_cache as a caching reverse proxy', () => {
  it('a miss fetches the blob once, a hit not at all, and a cached tag is not revalidated', async () => {
    await using rig = await mirrorRig('nginx');
    const [layer] = await layersOf(rig.url, REPO, '1.0');
    const miss = await getBlob(rig.url, REPO, layer!);
    expect(miss.headers.get('x-cache-status')).toBe('MISS');
    const hit = await getBlob(rig.url, REPO, layer!);
    expect(hit.headers.get('x-cache-status')).toBe('HIT');
    expect(rig.originBlobGets().get(layer!)).toBe(1);
    const before = rig.requests.length;
    await getManifest(rig.url, REPO, '1.0');
    expect(rig.requests.length).toBe(before);
  });

  it('with proxy_cache_lock, 8 concurrent misses cost one origin fetch', async () => {
    await using rig = await mirrorRig('nginx');
    const [layer] = await layersOf(rig.url, REPO, '1.0');
    await slowOrigin(rig);
    const all = await Promise.all(Array.from({ length: 8 }, () => getBlob(rig.url, REPO, layer!)));
    expect(all.map((r) => r.bytes)).toEqual(Array(8).fill(all[0]!.bytes));
    expect(rig.originBlobGets().get(layer!)).toBe(1);
  });

  it('without the lock, concurrent misses each go to the origin', async () => {
    await using rig = await mirrorRig('nginx', { lock: false });
    const [layer] = await layersOf(rig.url, REPO, '1.0');
    await slowOrigin(rig);
    await Promise.all(Array.from({ length: 8 }, () => getBlob(rig.url, REPO, layer!)));
    expect(rig.originBlobGets().get(layer!)).toBeGreaterThan(1);
  });

  it('with the origin refusing connections after warm-up: cached tags and blobs are served, misses get 502', async () => {
    await using rig = await mirrorRig('nginx');
    const [warm, cold] = await layersOf(rig.url, REPO, '1.0');
    await getBlob(rig.url, REPO, warm!);
    await rig.origin.faults.apply({ id: 'down', fault: 'refused', options: {}, scope: {} });
    expect((await getManifest(rig.url, REPO, '1.0')).status).toBe(200);
    expect((await getBlob(rig.url, REPO, warm!)).status).toBe(200);
    expect((await getBlob(rig.url, REPO, cold!)).status).toBe(502);
    expect((await getManifest(rig.url, 'pullstorm/tiny', '1.0')).status).toBe(502);
  });

  it("passes the origin's 429 through unchanged", async () => {
    await using rig = await mirrorRig('nginx');
    await rig.origin.faults.apply({
      id: 'rl',
      fault: 'rate-limit',
      options: { limit: 1, windowSeconds: 3600 },
      scope: {},
    });
    expect((await getManifest(rig.url, 'pullstorm/multiarch', '1.0')).status).toBe(200);
    const limited = await getManifest(rig.url, 'pullstorm/no-amd64', '1.0');
    expect(limited.status).toBe(429);
    expect(limited.body).toContain('TOOMANYREQUESTS');
  });

  it("passes the origin's 503 through unchanged and does not cache it", async () => {
    await using rig = await mirrorRig('nginx');
    await rig.origin.faults.apply({
      id: 'se',
      fault: 'server-error',
      options: { status: 503 },
      scope: { repository: 'pullstorm/arm64-only' },
    });
    expect((await getManifest(rig.url, 'pullstorm/arm64-only', '1.0')).status).toBe(503);
    expect((await getManifest(rig.url, 'pullstorm/arm64-only', '1.0')).status).toBe(503);
    expect(
      rig.requests.filter((r) => r.repository === 'pullstorm/arm64-only' && r.status === 503),
    ).toHaveLength(2);
  });

  it('a reset on the mirror cuts the node off mid-blob until cleared', async () => {
    await using rig = await mirrorRig('nginx');
    const [layer] = await layersOf(rig.url, REPO, '1.0');
    const clear = await rig.mirror.apply({
      id: 'reset',
      fault: 'reset',
      options: { afterBytes: 4096 },
      scope: {},
    });
    await expect(getBlob(rig.url, REPO, layer!)).rejects.toThrow();
    await clear();
    expect((await getBlob(rig.url, REPO, layer!)).status).toBe(200);
  });
});
