/**
 * The certificate set the TLS faults choose from: one good certificate and one for each way a
 * client's verification fails in production (see FACTS.md, "describe pod" texts).
 */
import { type CertificateAuthority, createCertificateAuthority } from './ca.ts';
import { issueCertificate, type LeafCertificate } from './leaf.ts';

/** The DNS name `wrongName` is issued for: reserved `.invalid`, so it can never be the registry's. */
export const WRONG_HOST = 'wrong.pullstorm.invalid';

/** One certificate per TLS outcome a client trusting `ca` should see. */
export interface CertificateVariants {
  /** Verifies. */
  valid: LeafCertificate;
  /** Expired a day ago → Go `x509: certificate has expired or is not yet valid`, Node `CERT_HAS_EXPIRED`. */
  expired: LeafCertificate;
  /** Names only `WRONG_HOST` → `x509: certificate is valid for wrong.pullstorm.invalid, not …`. */
  wrongName: LeafCertificate;
  /** The requested DNS names, no IP SANs → by IP: `cannot validate certificate for <ip> because it doesn't contain any IP SANs`. */
  noIpSan: LeafCertificate;
  /** Right names, signed by `untrustedCa` → `x509: certificate signed by unknown authority`. */
  unknownCa: LeafCertificate;
  /** The second CA `unknownCa` is signed by; never give it to a client. */
  untrustedCa: CertificateAuthority;
}

/** Options of `certificateVariants()`. */
export interface VariantOptions {
  /** DNS SANs of the variants that should match; default `['localhost']`. */
  hosts?: string[];
  /** IP SANs of the variants that should match; default `['127.0.0.1', '::1']`. */
  ips?: string[];
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Issues every variant for the registry at `hosts`/`ips`, all but `unknownCa` signed by `ca`. */
export async function certificateVariants(
  ca: CertificateAuthority,
  options: VariantOptions = {},
): Promise<CertificateVariants> {
  const hosts = options.hosts ?? ['localhost'];
  const ips = options.ips ?? ['127.0.0.1', '::1'];
  const now = Date.now();
  const [valid, expired, wrongName, noIpSan, untrusted] = await Promise.all([
    issueCertificate(ca, { hosts, ips }),
    issueCertificate(ca, {
      hosts,
      ips,
      notBefore: new Date(now - 2 * DAY_MS),
      notAfter: new Date(now - DAY_MS),
    }),
    issueCertificate(ca, { hosts: [WRONG_HOST], ips: [] }),
    // A DNS-only certificate still needs a name; without hosts it falls back to localhost.
    issueCertificate(ca, { hosts: hosts.length > 0 ? hosts : ['localhost'], ips: [] }),
    untrustedVariant({ hosts, ips }),
  ]);
  return { valid, expired, wrongName, noIpSan, ...untrusted };
}

/**
 * The one variant that needs no key of the trusted CA: the right names signed by a new CA nobody
 * trusts. Enough for `tls-unknown-ca` when only a certificate and its key are at hand.
 */
export async function untrustedVariant(
  options: VariantOptions = {},
): Promise<Pick<CertificateVariants, 'unknownCa' | 'untrustedCa'>> {
  const untrustedCa = await createCertificateAuthority({ commonName: 'pullstorm untrusted CA' });
  const unknownCa = await issueCertificate(untrustedCa, {
    hosts: options.hosts ?? ['localhost'],
    ips: options.ips ?? ['127.0.0.1', '::1'],
  });
  return { unknownCa, untrustedCa };
}
