/**
 * The TLS faults against containerd over HTTPS: the doors serve a certificate for `localhost` and
 * 127.0.0.1 signed by a CA the node trusts (hosts.toml `ca`), and each fault swaps the certificate
 * or the handshake for new connections. The node reaches its door both by IP and as `localhost`,
 * since a wrong DNS name only shows as such for a client that asked for a name. Observed with
 * containerd 1.6.20 built with Go 1.19 — every text after `failed to do request: Head "<url>": `:
 *
 * - unknown CA: `x509: certificate signed by unknown authority`, without the `tls: failed to
 *   verify certificate: ` that Go ≥ 1.20 puts in front (FACTS.md says so).
 * - expired: `x509: certificate has expired or is not yet valid: current time <now> is after
 *   <notAfter>` (FACTS.md: inferred; confirmed).
 * - wrong host, by name: `x509: certificate is valid for wrong.pullstorm.invalid, not localhost`;
 *   by IP the same certificate reads as the IP-SAN case (Go checks only IP SANs for an IP).
 * - no IP SAN: `x509: cannot validate certificate for 127.0.0.1 because it doesn't contain any IP
 *   SANs` (FACTS.md: inferred; confirmed).
 * - plain HTTP: `http: server gave HTTP response to HTTPS client`; containerd 1.6.20 does not fall
 *   back to http for a loopback host named in hosts.toml with `https://`.
 * - stalled handshake: `net/http: TLS handshake timeout` after 10 s.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FaultName } from '../../../registry-stubs/faults/catalogue.ts';
import { fixtureImages } from '../../../registry-stubs/fixtures/catalogue.ts';
import {
  type CertificateVariants,
  certificateVariants,
  createCertificateAuthority,
} from '../../../registry-stubs/tls/index.ts';
import { containerdStatus, skipNote } from '../../helpers/containerd-status.ts';
import {
  type Bench,
  expectClassified,
  pullAndRemove,
  pullFailure,
  startBench,
  withFault,
} from './helpers.ts';

const containerd = await containerdStatus();

let bench: Bench;
let variants: CertificateVariants;

beforeAll(async () => {
  const ca = await createCertificateAuthority();
  variants = await certificateVariants(ca, { hosts: ['localhost'], ips: ['127.0.0.1'] });
  bench = await startBench({
    registry: { images: fixtureImages({ include: ['tiny'] }), tls: variants.valid, certificates: variants },
    nodes: [{ name: 'tls-a', aliases: ['localhost'] }],
    caPem: ca.certPem,
  });
});
afterAll(() => bench?.close());

/** The text before the TLS error: the resolving HEAD of `ref` failed. */
const headFailed = (ref: string) => {
  const [host, rest] = [ref.slice(0, ref.indexOf('/')), ref.slice(ref.indexOf('/') + 1)];
  const [repo, tag] = rest.split(':') as [string, string];
  return (
    `failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": ` +
    `failed to do request: Head "https://${host}/v2/${repo}/manifests/${tag}": `
  );
};

/** Pulls under `fault`, checks code, text (exact or pattern) and cause, then that clearing heals. */
async function proves(fault: FaultName, ref: string, expected: string | RegExp, timeoutMs?: number) {
  const a = bench.node('tls-a');
  const { code, text } = await withFault(bench.registry, { fault }, () =>
    pullFailure(a, ref, timeoutMs === undefined ? {} : { timeoutMs }),
  );
  expect(code).toBe('Unknown');
  if (typeof expected === 'string') expect(text).toBe(headFailed(ref) + expected);
  else {
    expect(text.startsWith(headFailed(ref))).toBe(true);
    expect(text.slice(headFailed(ref).length)).toMatch(expected);
  }
  expectClassified(fault, ref, text);
  await pullAndRemove(a, ref);
}

describe.skipIf(!containerd.available)(`TLS faults through containerd${skipNote(containerd)}`, () => {
  it('the node trusts the valid certificate by IP and by name', async () => {
    const a = bench.node('tls-a');
    await pullAndRemove(a, a.ref());
    await pullAndRemove(a, a.ref('tiny', { via: 'localhost' }));
  });

  it('tls-unknown-ca: "x509: certificate signed by unknown authority"', async () => {
    await proves(
      'tls-unknown-ca',
      bench.node('tls-a').ref(),
      'x509: certificate signed by unknown authority',
    );
  });

  it('tls-expired: "x509: certificate has expired or is not yet valid: current time … is after …"', async () => {
    // Go prints the certificate's notAfter, which has whole seconds.
    const notAfter = variants.expired.notAfter.toISOString().replace(/\.\d+Z$/, 'Z');
    await proves(
      'tls-expired',
      bench.node('tls-a').ref(),
      new RegExp(
        `^x509: certificate has expired or is not yet valid: current time \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ is after ${notAfter}$`,
      ),
    );
  });

  it('tls-wrong-host (by name): "x509: certificate is valid for wrong.pullstorm.invalid, not localhost"', async () => {
    await proves(
      'tls-wrong-host',
      bench.node('tls-a').ref('tiny', { via: 'localhost' }),
      'x509: certificate is valid for wrong.pullstorm.invalid, not localhost',
    );
  });

  it('tls-wrong-host (by IP): the IP-SAN text, as Go checks only IP SANs for an IP', async () => {
    await proves(
      'tls-wrong-host',
      bench.node('tls-a').ref(),
      "x509: cannot validate certificate for 127.0.0.1 because it doesn't contain any IP SANs",
    );
  });

  it('tls-no-ip-san: "x509: cannot validate certificate for 127.0.0.1 because it doesn\'t contain any IP SANs"', async () => {
    await proves(
      'tls-no-ip-san',
      bench.node('tls-a').ref(),
      "x509: cannot validate certificate for 127.0.0.1 because it doesn't contain any IP SANs",
    );
  });

  it('tls-plain-http: "http: server gave HTTP response to HTTPS client"', async () => {
    await proves(
      'tls-plain-http',
      bench.node('tls-a').ref(),
      'http: server gave HTTP response to HTTPS client',
    );
  });

  it('tls-stall: "net/http: TLS handshake timeout" after containerd\'s 10 s', {
    timeout: 40_000,
  }, async () => {
    const started = performance.now();
    await proves('tls-stall', bench.node('tls-a').ref(), 'net/http: TLS handshake timeout', 25_000);
    const seconds = (performance.now() - started) / 1000;
    expect(seconds).toBeGreaterThanOrEqual(10);
    expect(seconds).toBeLessThan(15);
  });
});
