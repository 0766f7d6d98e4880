import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, test } from 'vitest';
import { createRegistryApp } from '../../registry-stubs/app.ts';
import { digestOf } from '../../registry-stubs/digest.ts';
import { DiskStore } from '../../registry-stubs/storage/disk.ts';
import { type App, blob, errorCode, pushBlob } from './helpers.ts';

const content = blob('hello, registry');

async function start(app: App, repository = 'a'): Promise<string> {
  const res = await app.request(`/v2/${repository}/blobs/uploads/`, { method: 'POST' });
  expect(res.status).toBe(202);
  return res.headers.get('Location')!;
}

function patch(app: App, location: string, bytes: Uint8Array, range?: string) {
  return app.request(location, {
    method: 'PATCH',
    body: bytes as Uint8Array<ArrayBuffer>,
    headers: {
      'Content-Type': 'application/octet-stream',
      ...(range === undefined ? {} : { 'Content-Range': range }),
    },
  });
}

describe('monolithic and two-step uploads', () => {
  test('POST ?digest= stores the blob: 201, Location, Docker-Content-Digest', async () => {
    const app = createRegistryApp();
    const res = await pushBlob(app, 'team/app', content);
    expect(res.status).toBe(201);
    expect(res.headers.get('Location')).toBe(`/v2/team/app/blobs/${content.digest}`);
    expect(res.headers.get('Docker-Content-Digest')).toBe(content.digest);
    expect(res.headers.get('Content-Length')).toBe('0');
  });

  test('POST starts a session (202, Location, Range 0-0, Docker-Upload-UUID); PUT with the body completes it', async () => {
    const app = createRegistryApp();
    const res = await app.request('/v2/a/blobs/uploads/', { method: 'POST' });
    expect(res.status).toBe(202);
    const id = res.headers.get('Docker-Upload-UUID')!;
    expect(res.headers.get('Location')).toBe(`/v2/a/blobs/uploads/${id}`);
    expect(res.headers.get('Range')).toBe('0-0');
    const put = await app.request(`${res.headers.get('Location')}?digest=${content.digest}`, {
      method: 'PUT',
      body: content.bytes as Uint8Array<ArrayBuffer>,
    });
    expect(put.status).toBe(201);
    expect(await (await app.request(`/v2/a/blobs/${content.digest}`)).text()).toBe('hello, registry');
  });

  test('a wrong digest is DIGEST_INVALID and ends the session', async () => {
    const app = createRegistryApp();
    const location = await start(app);
    const wrong = `sha256:${'f'.repeat(64)}`;
    const put = await app.request(`${location}?digest=${wrong}`, {
      method: 'PUT',
      body: content.bytes as Uint8Array<ArrayBuffer>,
    });
    expect(put.status).toBe(400);
    expect(await put.json()).toMatchObject({
      errors: [
        { code: 'DIGEST_INVALID', message: `content has digest ${content.digest}; the client said ${wrong}` },
      ],
    });
    expect((await app.request(location)).status).toBe(404);
    expect((await app.request(`/v2/a/blobs/${wrong}`, { method: 'HEAD' })).status).toBe(404);
  });

  test.each([
    ['missing', ''],
    ['malformed', '?digest=sha256:nothex'],
    ['unsupported', `?digest=md5:${'a'.repeat(32)}`],
  ])('a %s digest on PUT is DIGEST_INVALID and the session survives', async (_, query) => {
    const app = createRegistryApp();
    const location = await start(app);
    const put = await app.request(`${location}${query}`, { method: 'PUT' });
    expect(put.status).toBe(400);
    expect(await errorCode(put)).toBe('DIGEST_INVALID');
    expect((await app.request(location)).status).toBe(204);
  });

  test('a monolithic POST with a wrong digest stores nothing', async () => {
    const app = createRegistryApp();
    const res = await pushBlob(app, 'a', { ...content, digest: `sha256:${'e'.repeat(64)}` });
    expect(res.status).toBe(400);
    expect(await errorCode(res)).toBe('DIGEST_INVALID');
    expect((await app.request(`/v2/a/blobs/${content.digest}`, { method: 'HEAD' })).status).toBe(404);
  });
});

describe('chunked uploads', () => {
  test('status GET: 204 with Range, Docker-Upload-UUID and Location', async () => {
    const app = createRegistryApp();
    const location = await start(app);
    await patch(app, location, content.bytes.subarray(0, 5), '0-4');
    const res = await app.request(location);
    expect(res.status).toBe(204);
    expect(res.headers.get('Range')).toBe('0-4');
    expect(res.headers.get('Location')).toBe(location);
    expect(res.headers.get('Docker-Upload-UUID')).toBe(location.split('/').at(-1));
  });

  test('PATCH without Content-Range streams the whole body', async () => {
    const app = createRegistryApp();
    const location = await start(app);
    const res = await patch(app, location, content.bytes);
    expect(res.status).toBe(202);
    expect(res.headers.get('Range')).toBe(`0-${content.bytes.byteLength - 1}`);
    expect((await app.request(`${location}?digest=${content.digest}`, { method: 'PUT' })).status).toBe(201);
  });

  test('a PUT may carry the last chunk with its Content-Range', async () => {
    const app = createRegistryApp();
    const location = await start(app);
    await patch(app, location, content.bytes.subarray(0, 5), '0-4');
    const put = await app.request(`${location}?digest=${content.digest}`, {
      method: 'PUT',
      body: content.bytes.subarray(5) as Uint8Array<ArrayBuffer>,
      headers: { 'Content-Range': `5-${content.bytes.byteLength - 1}` },
    });
    expect(put.status).toBe(201);
  });

  test.each([
    ['out of order', '3-5', 'RANGE_INVALID', 416],
    ['overlapping', '0-2', 'RANGE_INVALID', 416],
    ['malformed', 'bytes=5-7', 'RANGE_INVALID', 416],
    ['reversed', '7-5', 'RANGE_INVALID', 416],
    ['length disagreeing with the body', '5-9', 'SIZE_INVALID', 400],
  ])('a chunk %s (%s) is refused; Range tells where to resume', async (_, range, code, status) => {
    const app = createRegistryApp();
    const location = await start(app);
    await patch(app, location, content.bytes.subarray(0, 5), '0-4');
    const res = await patch(app, location, content.bytes.subarray(5, 8), range);
    expect(res.status).toBe(status);
    expect(await errorCode(res)).toBe(code);
    if (status === 416) {
      expect(res.headers.get('Range')).toBe('0-4');
      expect(res.headers.get('Location')).toBe(location);
    }
    // Nothing of the refused chunk was kept.
    expect((await app.request(location)).headers.get('Range')).toBe('0-4');
  });

  test('DELETE cancels (204); the session is then BLOB_UPLOAD_UNKNOWN', async () => {
    const app = createRegistryApp();
    const location = await start(app);
    expect((await app.request(location, { method: 'DELETE' })).status).toBe(204);
    for (const method of ['GET', 'PATCH', 'DELETE']) {
      const res = await app.request(location, { method });
      expect(res.status).toBe(404);
      expect(await errorCode(res)).toBe('BLOB_UPLOAD_UNKNOWN');
    }
  });

  test('a session belongs to its repository', async () => {
    const app = createRegistryApp();
    const location = await start(app, 'a');
    const res = await app.request(location.replace('/v2/a/', '/v2/b/'));
    expect(res.status).toBe(404);
    expect(await errorCode(res)).toBe('BLOB_UPLOAD_UNKNOWN');
  });
});

/** Splits `bytes` at sorted cut points. */
function split(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let from = 0;
  for (const p of [...points, bytes.length]) {
    if (p > from) chunks.push(bytes.subarray(from, p));
    from = Math.max(from, p);
  }
  return chunks;
}

const roots: string[] = [];
afterAll(async () => {
  for (const root of roots) await rm(root, { recursive: true, force: true });
});

describe.each(['memory', 'disk'])('random chunkings (%s store)', (kind) => {
  async function makeApp(): Promise<App> {
    if (kind === 'memory') return createRegistryApp();
    const root = await mkdtemp(join(tmpdir(), 'pullstorm-chunks-'));
    roots.push(root);
    return createRegistryApp({ store: new DiskStore(root) });
  }

  test('any split into ordered PATCH chunks yields the same blob and digest', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 1, maxLength: 3000 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        async (bytes, cuts) => {
          const app = await makeApp();
          const location = await start(app);
          let offset = 0;
          for (const chunk of split(bytes, cuts)) {
            const res = await patch(app, location, chunk, `${offset}-${offset + chunk.length - 1}`);
            expect(res.status).toBe(202);
            offset += chunk.length;
            expect(res.headers.get('Range')).toBe(`0-${offset - 1}`);
          }
          const digest = digestOf(bytes);
          const put = await app.request(`${location}?digest=${digest}`, { method: 'PUT' });
          expect(put.status).toBe(201);
          const got = new Uint8Array(await (await app.request(`/v2/a/blobs/${digest}`)).arrayBuffer());
          expect(got).toEqual(bytes);
        },
      ),
      { numRuns: kind === 'memory' ? 60 : 15 },
    );
  });

  test('sending any later chunk first is 416 with the current Range', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 2, maxLength: 2000 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 6 }),
        fc.nat(),
        async (bytes, cuts, pick) => {
          const chunks = split(bytes, cuts);
          fc.pre(chunks.length >= 2);
          const app = await makeApp();
          const location = await start(app);
          const first = chunks[0]!;
          await patch(app, location, first, `0-${first.length - 1}`);
          const skip = 2 + (pick % Math.max(1, chunks.length - 2));
          const index = Math.min(skip, chunks.length - 1);
          const start2 = chunks.slice(0, index).reduce((n, c) => n + c.length, 0);
          fc.pre(start2 !== first.length);
          const res = await patch(
            app,
            location,
            chunks[index]!,
            `${start2}-${start2 + chunks[index]!.length - 1}`,
          );
          expect(res.status).toBe(416);
          expect(res.headers.get('Range')).toBe(`0-${first.length - 1}`);
        },
      ),
      { numRuns: kind === 'memory' ? 40 : 10 },
    );
  });
});
