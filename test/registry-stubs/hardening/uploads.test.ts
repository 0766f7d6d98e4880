/**
 * Upload limits (issue 17): a blob over the limit is refused before its body is buffered, a
 * chunked manifest is cut off at 4 MiB, a client may hold only so many sessions, and sessions
 * idle past their age are purged, on disk too. The clock is the registry's `now`.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRegistryApp } from '../../../registry-stubs/app.ts';
import { MediaType } from '../../../registry-stubs/oci/types.ts';
import { DiskStore } from '../../../registry-stubs/storage/disk.ts';
import { errorCode } from '../helpers.ts';

/** A body of `total` bytes in 64 KiB chunks, made only when pulled; `pulled()` says how many were. */
function lazyBody(total: number) {
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= total) return controller.close();
      const size = Math.min(65_536, total - sent);
      sent += size;
      controller.enqueue(new Uint8Array(size));
    },
  });
  return { stream, pulled: () => sent };
}

const chunked = (body: ReadableStream<Uint8Array>, headers: Record<string, string> = {}): RequestInit =>
  ({ method: 'PUT', body, headers, duplex: 'half' }) as RequestInit;

describe('blob size', () => {
  it('a 2 GiB monolithic upload to the memory store is 413 from Content-Length, before the body is read', async () => {
    const app = createRegistryApp();
    const body = lazyBody(2 * 1024 ** 3);
    const res = await app.request(`/v2/a/blobs/uploads/?digest=sha256:${'0'.repeat(64)}`, {
      ...chunked(body.stream, { 'Content-Length': String(2 * 1024 ** 3) }),
      method: 'POST',
    });
    expect(res.status).toBe(413);
    expect(await errorCode(res)).toBe('BLOB_UPLOAD_INVALID');
    expect(body.pulled()).toBeLessThan(1024 ** 2);
  });

  it('a chunked upload without Content-Length is cut off at maxBlobBytes while it streams', async () => {
    const app = createRegistryApp({ limits: { maxBlobBytes: 1024 ** 2 } });
    const start = await app.request('/v2/a/blobs/uploads/', { method: 'POST' });
    const body = lazyBody(64 * 1024 ** 2);
    const res = await app.request(start.headers.get('Location')!, {
      ...chunked(body.stream),
      method: 'PATCH',
    });
    expect(res.status).toBe(413);
    expect(await res.text()).toContain('at most 1048576 accepted');
    expect(body.pulled()).toBeLessThan(4 * 1024 ** 2);
  });

  it('the memory store holds at most uploadMemoryBytes of unfinished uploads over all sessions', async () => {
    const app = createRegistryApp({ limits: { uploadMemoryBytes: 1024 ** 2 } });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const start = await app.request('/v2/a/blobs/uploads/', { method: 'POST' });
      const res = await app.request(start.headers.get('Location')!, {
        method: 'PATCH',
        body: new Uint8Array(400 * 1024),
      });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([202, 202, 413]);
  });
});

describe('manifest size', () => {
  it('a chunked manifest PUT without Content-Length is 413 after about 4 MiB, not after the whole body', async () => {
    const app = createRegistryApp();
    const body = lazyBody(64 * 1024 ** 2);
    const res = await app.request(
      '/v2/a/manifests/big',
      chunked(body.stream, { 'Content-Type': MediaType.ociManifest }),
    );
    expect(res.status).toBe(413);
    expect(await errorCode(res)).toBe('SIZE_INVALID');
    expect(body.pulled()).toBeLessThan(8 * 1024 ** 2);
  });
});

describe('upload sessions', () => {
  it('a client may have 100 sessions open by default; the 101st start is 429 TOOMANYREQUESTS', async () => {
    const app = createRegistryApp();
    for (let i = 0; i < 100; i++) {
      expect((await app.request('/v2/a/blobs/uploads/', { method: 'POST' })).status).toBe(202);
    }
    const refused = await app.request('/v2/a/blobs/uploads/', { method: 'POST' });
    expect(refused.status).toBe(429);
    expect(await refused.text()).toContain('at most 100 per client');
  });

  it('cancelling a session frees its place', async () => {
    const app = createRegistryApp({ limits: { maxUploadsPerClient: 1 } });
    const first = await app.request('/v2/a/blobs/uploads/', { method: 'POST' });
    expect((await app.request('/v2/a/blobs/uploads/', { method: 'POST' })).status).toBe(429);
    await app.request(first.headers.get('Location')!, { method: 'DELETE' });
    expect((await app.request('/v2/a/blobs/uploads/', { method: 'POST' })).status).toBe(202);
  });

  it('a session idle for an hour (the default) is purged by the registry clock', async () => {
    let clock = Date.parse('2026-01-01T00:00:00Z');
    const app = createRegistryApp({ now: () => clock });
    const stale = (await app.request('/v2/a/blobs/uploads/', { method: 'POST' })).headers.get('Location')!;
    expect((await app.request(stale)).status).toBe(204);
    clock += 3_600_001;
    await app.request('/v2/a/blobs/uploads/', { method: 'POST' }); // starting one sweeps when due
    const gone = await app.request(stale);
    expect(gone.status).toBe(404);
    expect(await errorCode(gone)).toBe('BLOB_UPLOAD_UNKNOWN');
  });

  it('the disk store purges expired sessions with their directories', async () => {
    const root = await mkdtemp(join(tmpdir(), 'pullstorm-purge-'));
    try {
      let clock = Date.parse('2026-01-01T00:00:00Z');
      const now = () => clock;
      const app = createRegistryApp({ now, store: new DiskStore(root, { now }) });
      for (let i = 0; i < 3; i++) await app.request('/v2/a/blobs/uploads/', { method: 'POST' });
      expect(await readdir(join(root, 'uploads'))).toHaveLength(3);
      clock += 3_600_001;
      const fresh = await app.request('/v2/a/blobs/uploads/', { method: 'POST' });
      expect(await readdir(join(root, 'uploads'))).toEqual([fresh.headers.get('Docker-Upload-UUID')]);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
