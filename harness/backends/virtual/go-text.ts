/**
 * THE table from Node's error codes to the text Go's net, net/http and crypto/x509 print for the
 * same failure, so a virtual node's messages read like containerd's. Sources: Go's net.OpError
 * (`dial tcp 127.0.0.1:5000: connect: connection refused`), net.DNSError, net/http transport
 * (`net/http: TLS handshake timeout`, `http: server gave HTTP response to HTTPS client`) and
 * crypto/x509 verify.go (CertificateInvalidError, HostnameError, UnknownAuthorityError), wrapped
 * by crypto/tls as `tls: failed to verify certificate: …` (Go ≥ 1.20).
 */

/** What a rendering needs to know about the connection. */
export interface NetContext {
  /** Host name or IP being dialled, as written in the URL (no brackets). */
  host: string;
  /** Peer `ip:port` in Go's spelling (IPv6 bracketed), once known. */
  remote?: string;
  /** Local `ip:port`, once connected. */
  local?: string;
  /** The server's certificate, for x509 texts. */
  cert?: PeerCertificate;
  /** Clock for expiry texts; default now. */
  now?: Date;
}

/** The parts of Node's `getPeerCertificate()` the x509 texts use. */
export interface PeerCertificate {
  subjectaltname?: string;
  valid_from: string;
  valid_to: string;
  subject?: { CN?: string | string[] };
}

/** Codes this module adds for conditions Node has no code for. */
export type SyntheticCode = 'DIAL_TIMEOUT' | 'TLS_HANDSHAKE_TIMEOUT' | 'SOCKET_HANG_UP' | 'CANCELED';

const x509 = (text: string) => `tls: failed to verify certificate: x509: ${text}`;
const unknownAuthority = () => x509('certificate signed by unknown authority');
const dial = (c: NetContext, text: string) => `dial tcp ${c.remote ?? c.host}: ${text}`;
const conn = (c: NetContext, op: 'read' | 'write', text: string) =>
  `${op} tcp ${c.local ?? '?'}->${c.remote ?? c.host}: ${op}: ${text}`;

/** Go's `time.Format(time.RFC3339)` of a UTC time: `2025-01-02T03:04:05Z`. */
export function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Node error code → Go text. Every low-level mapping of the virtual backend lives here. */
export const GO_TEXT: Readonly<Record<string, (c: NetContext) => string>> = {
  ECONNREFUSED: (c) => dial(c, 'connect: connection refused'),
  // Go's dialer gives up after 30 s with i/o timeout, long before the kernel's ETIMEDOUT.
  ETIMEDOUT: (c) => dial(c, 'i/o timeout'),
  DIAL_TIMEOUT: (c) => dial(c, 'i/o timeout'),
  EHOSTUNREACH: (c) => dial(c, 'connect: no route to host'),
  ENETUNREACH: (c) => dial(c, 'connect: network is unreachable'),
  EADDRNOTAVAIL: (c) => dial(c, 'bind: cannot assign requested address'),
  // cgo resolver texts (containerd is built with cgo on Linux): no `on <server>` part.
  ENOTFOUND: (c) => `dial tcp: lookup ${c.host}: no such host`,
  EAI_AGAIN: (c) => `dial tcp: lookup ${c.host}: Temporary failure in name resolution`,
  ECONNRESET: (c) => conn(c, 'read', 'connection reset by peer'),
  EPIPE: (c) => conn(c, 'write', 'broken pipe'),
  // The server closed the connection without answering: Go's persistConn reports plain EOF.
  SOCKET_HANG_UP: () => 'EOF',
  CANCELED: () => 'context canceled',
  TLS_HANDSHAKE_TIMEOUT: () => 'net/http: TLS handshake timeout',
  // OpenSSL reads "HTTP/" as a record header; Go checks for exactly that and says so.
  ERR_SSL_WRONG_VERSION_NUMBER: () => 'http: server gave HTTP response to HTTPS client',
  ERR_SSL_PACKET_LENGTH_TOO_LONG: () => 'http: server gave HTTP response to HTTPS client',
  ERR_SSL_HTTP_REQUEST: () => 'http: server gave HTTP response to HTTPS client',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: unknownAuthority,
  UNABLE_TO_GET_ISSUER_CERT: unknownAuthority,
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: unknownAuthority,
  SELF_SIGNED_CERT_IN_CHAIN: unknownAuthority,
  DEPTH_ZERO_SELF_SIGNED_CERT: unknownAuthority,
  CERT_UNTRUSTED: unknownAuthority,
  CERT_SIGNATURE_FAILURE: unknownAuthority,
  CERT_HAS_EXPIRED: (c) => x509(`certificate has expired or is not yet valid: ${expiryDetail(c)}`),
  CERT_NOT_YET_VALID: (c) => x509(`certificate has expired or is not yet valid: ${expiryDetail(c)}`),
  ERR_TLS_CERT_ALTNAME_INVALID: (c) => x509(hostnameText(c)),
};

/** The Go text for a Node error code, or undefined when the table has no row for it. */
export function goNetText(code: string | undefined, context: NetContext): string | undefined {
  const render = code === undefined ? undefined : GO_TEXT[code];
  return render?.(context);
}

/** CertificateInvalidError{Expired}'s detail: `current time X is after|before Y`. */
function expiryDetail(c: NetContext): string {
  const now = c.now ?? new Date();
  if (c.cert === undefined) return `current time ${rfc3339(now)} is after the certificate's NotAfter`;
  const notBefore = new Date(c.cert.valid_from);
  if (now < notBefore) return `current time ${rfc3339(now)} is before ${rfc3339(notBefore)}`;
  return `current time ${rfc3339(now)} is after ${rfc3339(new Date(c.cert.valid_to))}`;
}

/** Subject alternative names split by kind; IPs in Go's `net.IP.String()` spelling. */
export function sanOf(cert: PeerCertificate | undefined): { dns: string[]; ips: string[]; any: boolean } {
  const entries = (cert?.subjectaltname ?? '').split(/,\s*/).filter((e) => e !== '');
  const dns = entries.filter((e) => e.startsWith('DNS:')).map((e) => e.slice(4));
  const ips = entries
    .filter((e) => e.startsWith('IP Address:'))
    .map((e) => e.slice(11))
    .map((ip) => (ip.includes(':') ? new URL(`http://[${ip}]/`).hostname.slice(1, -1) : ip));
  return { dns, ips, any: entries.length > 0 };
}

/** HostnameError.Error() from crypto/x509 verify.go, branch for branch. */
function hostnameText(c: NetContext): string {
  const san = sanOf(c.cert);
  const cn = c.cert?.subject?.CN;
  const commonName = Array.isArray(cn) ? cn[0] : cn;
  if (!san.any && commonName?.toLowerCase() === c.host.toLowerCase()) {
    return 'certificate relies on legacy Common Name field, use SANs instead';
  }
  const isIp = /^[\d.]+$/.test(c.host) || c.host.includes(':');
  if (isIp && san.ips.length === 0) {
    return `cannot validate certificate for ${c.host} because it doesn't contain any IP SANs`;
  }
  const valid = (isIp ? san.ips : san.dns).join(', ');
  if (valid === '') return `certificate is not valid for any names, but wanted to match ${c.host}`;
  return `certificate is valid for ${valid}, not ${c.host}`;
}

/** `ip:port` the way Go prints a TCPAddr (IPv6 in brackets). */
export function goAddress(ip: string | undefined, port: number | undefined): string | undefined {
  if (ip === undefined || port === undefined) return undefined;
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}
