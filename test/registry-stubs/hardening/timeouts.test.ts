/**
 * Connection timeouts on connections handed in through the front doors (issue 17): Node enforces
 * its header and request deadlines only on a server that listens itself, and the doors' server never
 * does. Real sockets on loopback, short limits so the test takes seconds.
 */
import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startRegistry } from '../../../registry-stubs/index.ts';

/** Resolves with the ms until the server closed `socket` (or 'open' after `waitMs`). */
function closedWithin(socket: Socket, waitMs: number): Promise<number | 'open'> {
  const started = Date.now();
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve('open'), waitMs);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Date.now() - started);
    });
    socket.on('error', () => {});
    socket.resume(); // 'close' comes only once what the server sent was read
  });
}

/** A client that writes one byte of `text` every `everyMs` until closed. */
function trickle(port: number, text: string, everyMs: number): Socket {
  const socket = connect(port, '127.0.0.1');
  let i = 0;
  const timer = setInterval(() => {
    if (i < text.length && !socket.destroyed) socket.write(text[i++]!);
  }, everyMs);
  socket.on('close', () => clearInterval(timer));
  return socket;
}

const endpoints = [{ name: 'node-1' }];

describe('through a front door', () => {
  it('a client sending one header byte at a time is closed once headersTimeoutMs passed', async () => {
    await using registry = await startRegistry({ endpoints, limits: { headersTimeoutMs: 500 } });
    const socket = trickle(registry.port, `GET /v2/ HTTP/1.1\r\nHost: x\r\nX-Slow: ${'a'.repeat(500)}`, 50);
    const closed = await closedWithin(socket, 5_000);
    expect(closed).not.toBe('open');
    expect(closed).toBeGreaterThanOrEqual(400);
  });

  it('a PUT body sent one byte at a time is closed once requestTimeoutMs passed', async () => {
    await using registry = await startRegistry({
      endpoints,
      limits: { headersTimeoutMs: 500, requestTimeoutMs: 1_000 },
    });
    const start = await fetch(`${registry.url}/v2/a/blobs/uploads/`, { method: 'POST' });
    const location = start.headers.get('Location')!;
    const head = `PATCH ${location} HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n`;
    const socket = connect(registry.port, '127.0.0.1', () => socket.write(head));
    const timer = setInterval(() => socket.destroyed || socket.write('x'), 50);
    const closed = await closedWithin(socket, 6_000);
    clearInterval(timer);
    expect(closed).not.toBe('open');
  });

  it('an idle keep-alive connection is closed after keepAliveTimeoutMs', async () => {
    await using registry = await startRegistry({ endpoints, limits: { keepAliveTimeoutMs: 300 } });
    const socket = connect(registry.port, '127.0.0.1', () =>
      socket.write('GET /v2/ HTTP/1.1\r\nHost: x\r\n\r\n'),
    );
    const closed = await closedWithin(socket, 5_000);
    expect(closed).not.toBe('open');
  });
});

describe('limits', () => {
  it('are checked when the registry starts: every bad one named, with what was expected', async () => {
    await expect(
      startRegistry({ limits: { headersTimeoutMs: 0, maxBlobBytes: -1, bogus: 1 } as never }),
    ).rejects.toThrow(
      /headersTimeoutMs: expected an integer of at least 1, got 0; maxBlobBytes: .*; unknown limit 'bogus'/,
    );
  });
});
