/**
 * Server certificate checks in Go's order, so a certificate that is wrong in two ways reports the
 * same one containerd would: crypto/x509 `Certificate.Verify` checks the leaf's validity period
 * first, then `opts.DNSName` (VerifyHostname), and only then builds chains to a root. OpenSSL
 * (Node) reports chain problems first, which is why the socket is opened with
 * `rejectUnauthorized: false` and judged here instead.
 */
import { checkServerIdentity, type TLSSocket } from 'node:tls';
import type { PeerCertificate } from './go-text.ts';

/** Chain codes that OpenSSL reports for expiry; Go reports those from the dates instead. */
const expiryCodes = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);

/** The failing check as a code of the GO_TEXT table, or undefined when Go would accept the peer. */
export function verifyPeer(
  socket: TLSSocket,
  host: string,
  now: Date = new Date(),
): { code: string; cert: PeerCertificate } | undefined {
  const cert = socket.getPeerCertificate() as PeerCertificate & Parameters<typeof checkServerIdentity>[1];
  if (cert === null || typeof cert !== 'object' || cert.valid_to === undefined) {
    return { code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', cert: { valid_from: '', valid_to: '' } };
  }
  if (now < new Date(cert.valid_from)) return { code: 'CERT_NOT_YET_VALID', cert };
  if (now > new Date(cert.valid_to)) return { code: 'CERT_HAS_EXPIRED', cert };
  // Go ≥ 1.15 never falls back to the Common Name; Node does when there are no SANs.
  const identity = cert.subjectaltname ? checkServerIdentity(host, cert) : new Error('no SANs');
  if (identity !== undefined) return { code: 'ERR_TLS_CERT_ALTNAME_INVALID', cert };
  const chain = socket.authorizationError as unknown as string | null;
  if (chain && !expiryCodes.has(chain)) return { code: chain, cert };
  return undefined;
}
