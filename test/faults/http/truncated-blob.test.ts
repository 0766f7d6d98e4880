import { describe, expect, it } from 'vitest';
import { fixtureImages } from '../../../registry-stubs/fixtures/catalogue.ts';
import { stub, tiny } from './helpers.ts';

describe('truncated-blob', () => {
  it('stops the body at half the blob by default, Content-Length still whole, and closes the connection', async () => {
    await using s = await stub();
    await s.registry.faults.apply({ fault: 'truncated-blob' });
    const layer = tiny.blobs[1]!;
    const { res, body } = await s.call(`/v2/${tiny.repository}/blobs/${layer.digest}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe(String(layer.bytes.byteLength));
    expect(res.headers.get('connection')).toBe('close');
    expect(body).toEqual(layer.bytes.subarray(0, Math.floor(layer.bytes.byteLength / 2)));
    expect(s.requests.at(-1)).toMatchObject({ bytes: body.byteLength, faults: ['truncated-blob'] });
  });

  it('cuts at a blob offset, so a Range from there on gets nothing new (containerd cannot resume)', async () => {
    await using s = await stub();
    await s.registry.faults.apply({ fault: 'truncated-blob', options: { afterBytes: 100 } });
    const layer = tiny.blobs[1]!;
    const url = `/v2/${tiny.repository}/blobs/${layer.digest}`;
    expect((await s.call(url)).body.byteLength).toBe(100);
    const resumed = await s.call(url, { headers: { Range: 'bytes=60-' } });
    expect([resumed.res.status, resumed.body.byteLength]).toEqual([206, 40]);
    const after = await s.call(url, { headers: { Range: 'bytes=100-' } });
    expect([after.res.status, after.body.byteLength]).toEqual([206, 0]);
    // A range that ends before the cut is whole, and not touched.
    const before = await s.call(url, { headers: { Range: 'bytes=0-49' } });
    expect(before.body.byteLength).toBe(50);
    expect(s.requests.map((r) => r.faults)).toEqual([
      ['truncated-blob'],
      ['truncated-blob'],
      ['truncated-blob'],
      undefined,
    ]);
  });

  it('over a socket, the client sees the connection end before Content-Length', async () => {
    const large = fixtureImages({ include: ['large'], largeSizeBytes: 1 << 20, largeLayers: 1 })[0]!;
    await using s = await stub({ images: [large] });
    await s.registry.faults.apply({ fault: 'truncated-blob' });
    const layer = large.blobs.reduce((a, b) => (a.bytes.byteLength > b.bytes.byteLength ? a : b));
    const res = await fetch(`${s.registry.url}/v2/${large.repository}/blobs/${layer.digest}`);
    expect(res.headers.get('content-length')).toBe(String(layer.bytes.byteLength));
    await expect(res.arrayBuffer()).rejects.toThrow();
  });
});
