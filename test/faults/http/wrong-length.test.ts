import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { stub, tiny } from './helpers.ts';

/** A GET over a raw socket, read until the server closes: the declared length and the body bytes on the wire. */
function onTheWire(url: string): Promise<{ declared: number; sent: number }> {
  const { hostname, port, pathname } = new URL(url);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect(Number(port), hostname, () => {
      socket.write(`GET ${pathname} HTTP/1.1\r\nHost: ${hostname}\r\n\r\n`);
    });
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      const all = Buffer.concat(chunks);
      const split = all.indexOf('\r\n\r\n');
      const declared = Number(/content-length: (\d+)/i.exec(all.subarray(0, split).toString())?.[1]);
      resolve({ declared, sent: all.length - split - 4 });
    });
  });
}

describe('wrong-length', () => {
  it('declares one byte less than it sends by default, and asks to close the connection', async () => {
    await using s = await stub();
    await s.registry.faults.apply({ fault: 'wrong-length' });
    const layer = tiny.blobs[1]!;
    const { res } = await s.call(`/v2/${tiny.repository}/blobs/${layer.digest}`);
    expect(res.headers.get('content-length')).toBe(String(layer.bytes.byteLength - 1));
    expect(res.headers.get('connection')).toBe('close');
  });

  it('over a socket: the whole body goes out under the wrong header, then the server closes', async () => {
    await using s = await stub();
    const layer = tiny.blobs[1]!;
    const size = layer.bytes.byteLength;
    const url = `${s.registry.url}/v2/${tiny.repository}/blobs/${layer.digest}`;
    const short = await s.registry.faults.apply({ fault: 'wrong-length' });
    expect(await onTheWire(url)).toEqual({ declared: size - 1, sent: size });
    await short.clear();
    await s.registry.faults.apply({ fault: 'wrong-length', options: { delta: 10 } });
    expect(await onTheWire(url)).toEqual({ declared: size + 10, sent: size });
  });

  it('rejects a delta of 0', async () => {
    await using s = await stub();
    await expect(s.registry.faults.apply({ fault: 'wrong-length', options: { delta: 0 } })).rejects.toThrow(
      'options.delta: expected a non-zero integer, got 0',
    );
  });
});
