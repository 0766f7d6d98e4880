/**
 * TLS certificate faults: new connections get a different certificate through a per-connection
 * secure context (no restart; open connections keep theirs). Take the matching variant from
 * `certificateVariants()` (registry-stubs/tls/). What clients see:
 * - `tls-unknown-ca` (variants.unknownCa): Go `x509: certificate signed by unknown authority`,
 *   Node UNABLE_TO_VERIFY_LEAF_SIGNATURE.
 * - `tls-expired` (variants.expired): Go `x509: certificate has expired or is not yet valid`,
 *   Node CERT_HAS_EXPIRED.
 * - `tls-wrong-host` (variants.wrongName): Go `x509: certificate is valid for …, not …`, Node
 *   ERR_TLS_CERT_ALTNAME_INVALID.
 * - `tls-no-ip-san` (variants.noIpSan), by IP: Go `cannot validate certificate for <ip> because
 *   it doesn't contain any IP SANs`, Node ERR_TLS_CERT_ALTNAME_INVALID.
 */
import { X509Certificate } from 'node:crypto';
import { createSecureContext } from 'node:tls';
import { resolveScope, SCOPE_KEYS, type ScopeOptions } from './scope.ts';
import type { ConnectionMiddleware, NetFault, TlsPems } from './types.ts';
import { checkKeys, problemsOf, shown, throwIfAny } from './validate.ts';

/** Options of the certificate faults. */
export interface TlsCertificateOptions extends ScopeOptions {
  /** Certificate and key to serve instead of the door's, e.g. `variants.expired`; required. */
  certificate: TlsPems;
}

/** Names of the certificate faults. */
export type TlsCertificateFault = 'tls-unknown-ca' | 'tls-expired' | 'tls-wrong-host' | 'tls-no-ip-san';

/** Serves a certificate the client will not accept (signed by an unknown CA). */
export const tlsUnknownCa = (options: TlsCertificateOptions): NetFault =>
  serveCertificate('tls-unknown-ca', options);
/** Serves an expired certificate. */
export const tlsExpired = (options: TlsCertificateOptions): NetFault =>
  serveCertificate('tls-expired', options);
/** Serves a certificate for another host name. */
export const tlsWrongHost = (options: TlsCertificateOptions): NetFault =>
  serveCertificate('tls-wrong-host', options);
/** Serves a certificate with DNS names only, for clients that connect by IP. */
export const tlsNoIpSan = (options: TlsCertificateOptions): NetFault =>
  serveCertificate('tls-no-ip-san', options);

/** The shared factory: `name` is what events report; the certificate is the fault. */
export function serveCertificate(name: TlsCertificateFault, options: TlsCertificateOptions): NetFault {
  const problems = problemsOf(name);
  checkKeys(problems, options ?? {}, [...SCOPE_KEYS, 'certificate']);
  const scope = resolveScope(problems, options ?? {});
  const { certificate } = options ?? {};
  let described: Record<string, unknown> = {};
  let secureContext: ReturnType<typeof createSecureContext> | undefined;
  if (typeof certificate?.certPem !== 'string' || typeof certificate?.keyPem !== 'string') {
    problems.messages.push(`certificate must be { certPem, keyPem } strings, got ${shown(certificate)}`);
    problems.wrongType = true;
  } else {
    try {
      const x509 = new X509Certificate(certificate.certPem);
      // Reported in fault.applied: enough to tell the variants apart, never the key.
      described = {
        subjectAltName: x509.subjectAltName,
        issuer: x509.issuer,
        validTo: x509.validTo,
        fingerprint256: x509.fingerprint256,
      };
      secureContext = createSecureContext({ cert: certificate.certPem, key: certificate.keyPem });
    } catch (err) {
      problems.messages.push(`certificate must be a PEM certificate and its key: ${(err as Error).message}`);
    }
  }
  throwIfAny(problems);
  const serve: ConnectionMiddleware = async (conn, next) => {
    conn.secureContext = secureContext;
    await next();
  };
  Object.defineProperty(serve, 'name', { value: camel(name) });
  return { name, options: described, scope, needsTls: true, start: () => ({ connection: serve }) };
}

/** `tls-expired` → `tlsExpired`, the middleware's name in stack traces. */
function camel(name: string): string {
  return name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}
