import { describe, expect, test } from 'vitest';
import { createRegistryApp } from '../../registry-stubs/app.ts';
import { parseRange } from '../../registry-stubs/routes/blobs.ts';
import { blob, errorCode, pushBlob } from './helpers.ts';

const content = blob('0123456789');

async function appWithBlob() {
  const app = createRegistryApp();
  expect((await pushBlob(app, 'team/app', content)).status).toBe(201);
  return app;
}

describe('blob GET and HEAD', () => {
  test('GET returns the bytes with digest, length and type', async () => {
    const app = await appWithBlob();
    const res = await app.request(`/v2/team/app/blobs/${content.digest}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('Docker-Content-Digest')).toBe(content.digest);
    expect(res.headers.get('Content-Length')).toBe('10');
    expect(res.headers.get('Content-Type')).toBe('application/octet-stream');
    expect(res.headers.get('Accept-Ranges')).toBe('bytes');
    expect(await res.text()).toBe('0123456789');
  });

  test('HEAD has the length and no body', async () => {
    const app = await appWithBlob();
    const res = await app.request(`/v2/team/app/blobs/${content.digest}`, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Length')).toBe('10');
    expect(await res.text()).toBe('');
  });

  const ranges: [string, number, string | null, string][] = [
    ['bytes=0-3', 206, 'bytes 0-3/10', '0123'],
    ['bytes=4-', 206, 'bytes 4-9/10', '456789'],
    ['bytes=-3', 206, 'bytes 7-9/10', '789'],
    ['bytes=8-100', 206, 'bytes 8-9/10', '89'],
    ['bytes=9-9', 206, 'bytes 9-9/10', '9'],
    ['bytes=0-1,3-4', 200, null, '0123456789'],
    ['items=0-1', 200, null, '0123456789'],
    ['bytes=5-2', 200, null, '0123456789'],
  ];
  test.each(ranges)('Range %s → %i', async (range, status, contentRange, body) => {
    const app = await appWithBlob();
    const res = await app.request(`/v2/team/app/blobs/${content.digest}`, { headers: { Range: range } });
    expect(res.status).toBe(status);
    expect(res.headers.get('Content-Range')).toBe(contentRange);
    expect(res.headers.get('Content-Length')).toBe(String(body.length));
    expect(await res.text()).toBe(body);
  });

  test.each(['bytes=10-', 'bytes=50-60', 'bytes=-0'])(
    'unsatisfiable %s → 416 with Content-Range */size',
    async (range) => {
      const app = await appWithBlob();
      const res = await app.request(`/v2/team/app/blobs/${content.digest}`, { headers: { Range: range } });
      expect(res.status).toBe(416);
      expect(res.headers.get('Content-Range')).toBe('bytes */10');
      expect(await errorCode(res)).toBe('RANGE_INVALID');
    },
  );

  test('a range of an empty blob is unsatisfiable', () => {
    expect(parseRange('bytes=-5', 0)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=0-', 0)).toEqual({ kind: 'unsatisfiable' });
  });

  test('a blob is visible only in repositories it was pushed or mounted into', async () => {
    const app = await appWithBlob();
    const res = await app.request(`/v2/other/blobs/${content.digest}`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      errors: [
        {
          code: 'BLOB_UNKNOWN',
          message: `blob ${content.digest} not found in repository 'other'`,
          detail: { repository: 'other', digest: content.digest },
        },
      ],
    });
  });

  test('a malformed digest is DIGEST_INVALID', async () => {
    const app = await appWithBlob();
    const res = await app.request('/v2/team/app/blobs/sha256:1234');
    expect(res.status).toBe(400);
    expect(await errorCode(res)).toBe('DIGEST_INVALID');
  });

  test('an empty blob is served with length 0', async () => {
    const app = createRegistryApp();
    const empty = blob('');
    expect((await pushBlob(app, 'a', empty)).status).toBe(201);
    const res = await app.request(`/v2/a/blobs/${empty.digest}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Length')).toBe('0');
    expect(await res.text()).toBe('');
  });
});

describe('blob DELETE', () => {
  test('202, then the blob is unknown; deleting again is BLOB_UNKNOWN', async () => {
    const app = await appWithBlob();
    const url = `/v2/team/app/blobs/${content.digest}`;
    expect((await app.request(url, { method: 'DELETE' })).status).toBe(202);
    expect((await app.request(url, { method: 'HEAD' })).status).toBe(404);
    const again = await app.request(url, { method: 'DELETE' });
    expect(again.status).toBe(404);
    expect(await errorCode(again)).toBe('BLOB_UNKNOWN');
  });
});
