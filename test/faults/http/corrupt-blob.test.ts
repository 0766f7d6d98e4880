import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { stub, tiny } from './helpers.ts';

const sha256 = (bytes: Uint8Array) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

describe('corrupt-blob', () => {
  it('serves the right length with wrong bytes: the digest no longer matches', async () => {
    await using s = await stub();
    await s.registry.faults.apply({ fault: 'corrupt-blob' });
    const layer = tiny.blobs[1]!;
    const { res, body } = await s.call(`/v2/${tiny.repository}/blobs/${layer.digest}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe(String(layer.bytes.byteLength));
    expect(res.headers.get('docker-content-digest')).toBe(layer.digest);
    expect(body.byteLength).toBe(layer.bytes.byteLength);
    expect(sha256(body)).not.toBe(layer.digest);
    // One byte differs: the first.
    expect(body[0]).toBe(layer.bytes[0]! ^ 0xff);
    expect(body.subarray(1)).toEqual(layer.bytes.subarray(1));
    expect(s.requests.at(-1)).toMatchObject({
      status: 200,
      bytes: layer.bytes.byteLength,
      faults: ['corrupt-blob'],
    });
  });

  it('corrupts the first byte of a Range too, and leaves HEAD and manifests alone', async () => {
    await using s = await stub();
    await s.registry.faults.apply({ fault: 'corrupt-blob' });
    const layer = tiny.blobs[1]!;
    const ranged = await s.call(`/v2/${tiny.repository}/blobs/${layer.digest}`, {
      headers: { Range: 'bytes=10-19' },
    });
    expect(ranged.res.status).toBe(206);
    expect(ranged.body[0]).toBe(layer.bytes[10]! ^ 0xff);
    expect(
      (await s.call(`/v2/${tiny.repository}/blobs/${layer.digest}`, { method: 'HEAD' })).res.status,
    ).toBe(200);
    const manifest = await s.call(`/v2/${tiny.repository}/manifests/1.0`);
    expect(sha256(manifest.body)).toBe(tiny.root.digest);
    expect(s.requests.map((r) => r.faults)).toEqual([['corrupt-blob'], undefined, undefined]);
  });
});
