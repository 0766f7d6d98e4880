/** The NXDOMAIN responder process nodes resolve through: its answers, and what it records. */
import { createSocket } from 'node:dgram';
import { Resolver } from 'node:dns/promises';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import {
  acquireNxdomainResolver,
  nxdomainResponse,
  questionName,
} from '../../../harness/backends/containerd/nxdomain.ts';

/**
 * Whether this process may bind port 53: as root, or where the kernel lets anyone bind it
 * (`ip_unprivileged_port_start` ≤ 53, as in Docker 20.10+ containers and rootless CI).
 */
const mayBind53 =
  process.getuid?.() === 0 ||
  Number(await readFile('/proc/sys/net/ipv4/ip_unprivileged_port_start', 'utf8').catch(() => '1024')) <= 53;

// id 0x1234, RD, one question: a.test IN A
const QUERY = Uint8Array.from([
  0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 1, 97, 4, 116, 101, 115, 116, 0, 0, 1, 0, 1,
]);

describe('NXDOMAIN responder', () => {
  it('answers a query with its id and question, RCODE 3, no records', () => {
    const answer = nxdomainResponse(QUERY)!;
    expect([...answer.subarray(0, 4)]).toEqual([0x12, 0x34, 0x81, 0x83]);
    expect([...answer.subarray(4, 12)]).toEqual([0, 1, 0, 0, 0, 0, 0, 0]);
    expect([...answer.subarray(12)]).toEqual([...QUERY.subarray(12)]);
    expect(nxdomainResponse(answer)).toBeUndefined(); // never answers an answer
  });

  it('reads the name a query asks about, and nothing from a truncated or non-query packet', () => {
    expect(questionName(QUERY)).toBe('a.test');
    expect(questionName(QUERY.subarray(0, 20))).toBeUndefined();
    expect(questionName(nxdomainResponse(QUERY)!)).toBeUndefined();
  });

  it.skipIf(!mayBind53)(
    'a real resolver gets NXDOMAIN (ENOTFOUND), and each share records the names asked after it was taken',
    async () => {
      const first = await acquireNxdomainResolver('127.53.0.9');
      const resolver = new Resolver({ timeout: 2_000, tries: 1 });
      resolver.setServers(['127.53.0.9']);
      try {
        await expect(resolver.resolve4('one.pullstorm')).rejects.toMatchObject({ code: 'ENOTFOUND' });
        const second = await acquireNxdomainResolver('127.53.0.9');
        await expect(resolver.resolve4('two.pullstorm')).rejects.toMatchObject({ code: 'ENOTFOUND' });
        expect(first.asked).toEqual(['one.pullstorm', 'two.pullstorm']);
        expect(second.asked).toEqual(['two.pullstorm']);
        await second.release();
        await second.release(); // idempotent
        await expect(resolver.resolve4('three.pullstorm')).rejects.toMatchObject({ code: 'ENOTFOUND' });
        expect(second.asked).toEqual(['two.pullstorm']);
      } finally {
        await first.release();
      }
    },
  );

  it.skipIf(!mayBind53)('says another program holds the port when one does', async () => {
    const squatter = createSocket('udp4'); // no reuseAddr: the way a foreign DNS server binds
    await new Promise<void>((resolve) => squatter.bind(53, '127.53.0.8', resolve));
    try {
      await expect(acquireNxdomainResolver('127.53.0.8')).rejects.toThrow(
        /cannot serve DNS on 127\.53\.0\.8:53 \(.*EADDRINUSE.*\): another program serves port 53 there/,
      );
    } finally {
      await new Promise<void>((resolve) => squatter.close(() => resolve()));
    }
  });

  it.skipIf(mayBind53)('says that port 53 needs root when it cannot bind', async () => {
    await expect(acquireNxdomainResolver('127.53.0.9')).rejects.toThrow(
      /cannot serve DNS on 127\.53\.0\.9:53 .*: binding port 53 needs root/,
    );
  });
});
