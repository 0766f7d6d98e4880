import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reset } from '../../../registry-stubs/faults/net/index.ts';
import {
  type CertificateAuthority,
  type CertificateVariants,
  certificateVariants,
  createCertificateAuthority,
} from '../../../registry-stubs/tls/index.ts';
import { blobServer, curl, doorFor, request } from './helpers.ts';

const server = blobServer();
afterAll(() => server.close());
let ca: CertificateAuthority;
let variants: CertificateVariants;
beforeAll(async () => {
  ca = await createCertificateAuthority();
  variants = await certificateVariants(ca, { hosts: ['localhost'], ips: ['127.0.0.1'] });
});

describe('reset', () => {
  it('sends RST mid-body after afterBytes: ECONNRESET with a short body', async () => {
    await using door = await doorFor(server);
    await door.faults.apply(reset({ afterBytes: 100_000 }));
    const outcome = await request(`${door.url}/blob?size=5000000`);
    expect(outcome).toMatchObject({ ok: false, code: 'ECONNRESET' });
    expect(outcome.bytes).toBeGreaterThan(0);
    expect(outcome.bytes).toBeLessThanOrEqual(100_000);
  });

  it('defaults to 1 MiB, mid-blob; waits for the client to take what was written before the RST', async () => {
    await using door = await doorFor(server);
    await door.faults.apply(reset());
    const outcome = await request(`${door.url}/blob?size=4000000`);
    expect(outcome.code).toBe('ECONNRESET');
    // 1 MiB minus the response headers: nothing the server wrote was dropped with the RST.
    expect(outcome.bytes).toBeGreaterThan(1024 * 1024 - 200);
    expect(outcome.bytes).toBeLessThanOrEqual(1024 * 1024);
  });

  it('resets over TLS too (the RST is on the TCP socket under TLS)', async () => {
    await using door = await doorFor(server, { tls: variants.valid });
    await door.faults.apply(reset({ afterBytes: 200_000 }));
    const outcome = await request(`${door.url}/blob?size=3000000`, { ca: ca.certPem });
    expect(outcome.code).toBe('ECONNRESET');
    expect(outcome.bytes).toBeLessThanOrEqual(200_000);
  });

  it('draws probability from the seed: the same seed repeats the same pattern', async () => {
    const pattern = async () => {
      await using door = await doorFor(server);
      await door.faults.apply(reset({ afterBytes: 0, probability: 0.5, seed: 42 }));
      let marks = '';
      for (let i = 0; i < 16; i++) marks += (await request(`${door.url}/`)).ok ? '.' : 'R';
      return marks;
    };
    const first = await pattern();
    expect(await pattern()).toBe(first);
    const resets = [...first].filter((m) => m === 'R').length;
    expect(resets).toBeGreaterThan(2);
    expect(resets).toBeLessThan(14);
  });

  it('stops after maxCount connections; clearing restores every connection', async () => {
    await using door = await doorFor(server);
    const id = await door.faults.apply(reset({ afterBytes: 0, maxCount: 2 }));
    const codes = [];
    for (let i = 0; i < 4; i++) codes.push((await request(`${door.url}/`)).code ?? 'ok');
    expect(codes).toEqual(['ECONNRESET', 'ECONNRESET', 'ok', 'ok']);
    await door.faults.clear(id);
    expect((await request(`${door.url}/blob?size=3000000`)).bytes).toBe(3_000_000);
  });

  it('is a reset for curl too (exit 56, connection reset by peer)', async () => {
    await using door = await doorFor(server);
    await door.faults.apply(reset({ afterBytes: 50_000 }));
    const result = await curl(`${door.url}/blob?size=3000000`, ['-o', '/dev/null']);
    expect(result.exitCode).toBe(56);
    expect(result.stderr).toMatch(/reset by peer/i);
  });

  it('rejects bad options with every problem named', () => {
    expect(() => reset({ afterBytes: -1, probability: 2, maxcount: 1 } as never)).toThrow(
      'reset: unknown option maxcount (known: endpoints, probability, maxCount, seed, afterBytes, drainMs); afterBytes must be an integer ≥ 0, got -1; probability must be a number in [0, 1], got 2',
    );
    expect(() => reset({ afterBytes: '1MiB' } as never)).toThrow(TypeError);
  });
});
