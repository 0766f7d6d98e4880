import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bandwidth } from '../../../registry-stubs/faults/net/index.ts';
import {
  type CertificateAuthority,
  type CertificateVariants,
  certificateVariants,
  createCertificateAuthority,
} from '../../../registry-stubs/tls/index.ts';
import { blobServer, doorFor, request } from './helpers.ts';

const server = blobServer();
afterAll(() => server.close());
let ca: CertificateAuthority;
let variants: CertificateVariants;
beforeAll(async () => {
  ca = await createCertificateAuthority();
  variants = await certificateVariants(ca, { hosts: ['localhost'], ips: ['127.0.0.1'] });
});

// Speed targets live in benchmarks; these bounds (±30 %) only catch a broken cap on a busy 2-core CI.
const TOLERANCE = 0.3;

describe('bandwidth', () => {
  it('caps one connection at bytesPerSecond over a multi-MB transfer', async () => {
    await using door = await doorFor(server);
    await door.faults.apply(bandwidth({ bytesPerSecond: 2_000_000 }));
    const outcome = await request(`${door.url}/blob?size=4000000`, { timeoutMs: 20_000 });
    expect(outcome.bytes).toBe(4_000_000);
    const rate = outcome.bytes / (outcome.ms / 1000);
    console.log(
      `bandwidth per connection asked 2,000,000 B/s, measured ${Math.round(rate)} B/s (${((rate / 2e6 - 1) * 100).toFixed(2)} %)`,
    );
    expect(Math.abs(rate / 2_000_000 - 1)).toBeLessThan(TOLERANCE);
  });

  it('shares totalBytesPerSecond among concurrent connections (over TLS)', async () => {
    await using door = await doorFor(server, { tls: variants.valid });
    await door.faults.apply(bandwidth({ totalBytesPerSecond: 4_000_000 }));
    const started = performance.now();
    const outcomes = await Promise.all(
      [1, 2, 3].map(() => request(`${door.url}/blob?size=2000000`, { ca: ca.certPem, timeoutMs: 20_000 })),
    );
    const seconds = (performance.now() - started) / 1000;
    expect(outcomes.map((o) => o.bytes)).toEqual([2_000_000, 2_000_000, 2_000_000]);
    const rate = 6_000_000 / seconds;
    console.log(
      `bandwidth total asked 4,000,000 B/s over 3 connections, measured ${Math.round(rate)} B/s (${((rate / 4e6 - 1) * 100).toFixed(2)} %)`,
    );
    expect(Math.abs(rate / 4_000_000 - 1)).toBeLessThan(TOLERANCE);
    // FIFO sharing: no connection finishes far ahead of the others.
    const times = outcomes.map((o) => o.ms);
    expect(Math.min(...times) / Math.max(...times)).toBeGreaterThan(0.7);
  });

  it('takes the lower of a per-connection and a total cap', async () => {
    await using door = await doorFor(server);
    await door.faults.apply(bandwidth({ bytesPerSecond: 1_000_000, totalBytesPerSecond: 50_000_000 }));
    const outcome = await request(`${door.url}/blob?size=1500000`, { timeoutMs: 20_000 });
    const rate = outcome.bytes / (outcome.ms / 1000);
    expect(Math.abs(rate / 1_000_000 - 1)).toBeLessThan(TOLERANCE);
  });

  it('needs a cap', () => {
    expect(() => bandwidth({})).toThrow(
      'bandwidth: bytesPerSecond or totalBytesPerSecond must be given, got neither',
    );
    expect(() => bandwidth({ bytesPerSecond: 0 })).toThrow(
      'bytesPerSecond must be a number in [1, 10737418240], got 0',
    );
  });
});
