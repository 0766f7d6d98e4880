/**
 * Server (leaf) certificates signed by a pullstorm CA, with the SANs and validity a scenario
 * asks for — including wrong ones on purpose, which is what the TLS faults are made of.
 */
import { isIP } from 'node:net';
import {
  type CertificateAuthority,
  CLOCK_SKEW_MS,
  newKeyPair,
  privateKeyPem,
  randomSerial,
  SIGNING_ALGORITHM,
  webCrypto,
} from './ca.ts';
import * as x509 from './x509.ts';

/** A server certificate and its key, both PEM; what a TLS server is started with. */
export interface LeafCertificate {
  certPem: string;
  /** PKCS#8 PEM, usable as node:tls `key`. */
  keyPem: string;
  hosts: string[];
  ips: string[];
  notBefore: Date;
  notAfter: Date;
}

/** Options of `issueCertificate()`. */
export interface IssueOptions {
  /** DNS SANs; default `['localhost']`. */
  hosts?: string[];
  /** IP SANs; default `['127.0.0.1', '::1']`. */
  ips?: string[];
  /** Default an hour ago (clock-skew tolerance). */
  notBefore?: Date;
  /** Default the CA's notAfter. */
  notAfter?: Date;
  /** Subject CN; default the first host, else the first IP. Clients ignore it in favour of SANs. */
  commonName?: string;
}

/**
 * A leaf signed by `ca`: serverAuth EKU, keyUsage digitalSignature (ECDSA keys sign, they do not
 * encipher), basicConstraints CA false, SANs from `hosts` and `ips`.
 */
export async function issueCertificate(
  ca: CertificateAuthority,
  options: IssueOptions = {},
): Promise<LeafCertificate> {
  const hosts = options.hosts ?? ['localhost'];
  const ips = options.ips ?? ['127.0.0.1', '::1'];
  const notBefore = options.notBefore ?? new Date(Date.now() - CLOCK_SKEW_MS);
  const notAfter = options.notAfter ?? ca.notAfter;
  const problems: string[] = [];
  const badIps = ips.filter((ip) => isIP(ip) === 0);
  if (badIps.length > 0) problems.push(`ips must be IPv4 or IPv6 addresses, got ${badIps.join(', ')}`);
  const ipHosts = hosts.filter((h) => isIP(h) !== 0);
  if (ipHosts.length > 0) problems.push(`hosts are DNS names; put ${ipHosts.join(', ')} in ips`);
  // Go and Node ignore the CN when matching names, so a certificate without SANs matches nothing.
  if (hosts.length + ips.length === 0) problems.push('a certificate needs at least one host or IP');
  if (notAfter.getTime() <= notBefore.getTime()) {
    problems.push(
      `notAfter (${notAfter.toISOString()}) must be after notBefore (${notBefore.toISOString()})`,
    );
  }
  if (problems.length > 0) throw new RangeError(`issueCertificate: ${problems.join('; ')}`);

  const keys = await newKeyPair();
  const names: x509.JsonGeneralName[] = [
    ...hosts.map((value) => ({ type: 'dns' as const, value })),
    ...ips.map((value) => ({ type: 'ip' as const, value })),
  ];
  const certificate = await x509.X509CertificateGenerator.create(
    {
      serialNumber: randomSerial(),
      subject: [{ CN: [options.commonName ?? hosts[0] ?? ips[0]!] }, { O: ['pullstorm'] }],
      issuer: ca.certificate.subject,
      notBefore,
      notAfter,
      publicKey: keys.publicKey,
      signingKey: ca.keys.privateKey,
      signingAlgorithm: SIGNING_ALGORITHM,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
        new x509.SubjectAlternativeNameExtension(names),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, webCrypto),
        await x509.AuthorityKeyIdentifierExtension.create(ca.keys.publicKey, false, webCrypto),
      ],
    },
    webCrypto,
  );
  return {
    certPem: certificate.toString('pem'),
    keyPem: await privateKeyPem(keys.privateKey),
    hosts: [...hosts],
    ips: [...ips],
    notBefore,
    notAfter,
  };
}
