/**
 * Certificate authorities for the stub registries, generated per run with @peculiar/x509 on
 * WebCrypto (ECDSA P-256, SHA-256). Nothing is written to disk or to a trust store here: clients
 * are pointed at the CA explicitly (see files.ts), so a run never changes the host's trust.
 */
import * as x509 from './x509.ts';

/** Key and signature algorithms of every certificate pullstorm makes: ECDSA P-256 with SHA-256. */
export const KEY_ALGORITHM: EcKeyGenParams = { name: 'ECDSA', namedCurve: 'P-256' };
/** Signature algorithm: ECDSA with SHA-256. */
export const SIGNING_ALGORITHM: EcdsaParams = { name: 'ECDSA', hash: 'SHA-256' };

/** WebCrypto, passed to x509 explicitly so no library-global provider has to be set. */
export const webCrypto: Crypto = globalThis.crypto;

/** A CA: PEM for files and clients, the key pair and certificate for signing leaves. */
export interface CertificateAuthority {
  certPem: string;
  /** PKCS#8 PEM. */
  keyPem: string;
  keys: CryptoKeyPair;
  certificate: x509.X509Certificate;
  commonName: string;
  notBefore: Date;
  notAfter: Date;
}

/** Options of `createCertificateAuthority()`. */
export interface CertificateAuthorityOptions {
  /** Subject CN; default `pullstorm CA`. */
  commonName?: string;
  /** Days of validity from now; default 365. */
  validDays?: number;
}

/** Tolerance for clocks a little behind ours (containers, VMs): certificates start an hour ago. */
export const CLOCK_SKEW_MS = 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** A self-signed root CA (basicConstraints CA, keyCertSign + cRLSign), valid from an hour ago. */
export async function createCertificateAuthority(
  options: CertificateAuthorityOptions = {},
): Promise<CertificateAuthority> {
  const commonName = options.commonName ?? 'pullstorm CA';
  const validDays = options.validDays ?? 365;
  if (!(validDays > 0)) throw new RangeError(`validDays must be positive, got ${validDays}`);
  const keys = await newKeyPair();
  const notBefore = new Date(Date.now() - CLOCK_SKEW_MS);
  const notAfter = new Date(Date.now() + validDays * DAY_MS);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: randomSerial(),
      name: [{ CN: [commonName] }, { O: ['pullstorm'] }],
      notBefore,
      notAfter,
      keys,
      signingAlgorithm: SIGNING_ALGORITHM,
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, webCrypto),
      ],
    },
    webCrypto,
  );
  return {
    certPem: certificate.toString('pem'),
    keyPem: await privateKeyPem(keys.privateKey),
    keys,
    certificate,
    commonName,
    notBefore,
    notAfter,
  };
}

/**
 * A CA made elsewhere (or by an earlier run), from its certificate and PKCS#8 private key, so more
 * leaves can be signed: e.g. `pullstorm serve --tls-ca-key`. The key must be ECDSA P-256, the kind
 * every certificate here is signed with (SIGNING_ALGORITHM); WebCrypto rejects another one.
 */
export async function certificateAuthorityFromPem(pems: {
  certPem: string;
  keyPem: string;
}): Promise<CertificateAuthority> {
  const certificate = new x509.X509Certificate(pems.certPem);
  const der = x509.PemConverter.decodeFirst(pems.keyPem);
  const privateKey = await webCrypto.subtle.importKey('pkcs8', der, KEY_ALGORITHM, true, ['sign']);
  const publicKey = await certificate.publicKey.export(KEY_ALGORITHM, ['verify'], webCrypto);
  return {
    certPem: pems.certPem,
    keyPem: pems.keyPem,
    keys: { privateKey, publicKey },
    certificate,
    commonName: certificate.subjectName.getField('CN')[0] ?? certificate.subject,
    notBefore: certificate.notBefore,
    notAfter: certificate.notAfter,
  };
}

/** A fresh extractable P-256 key pair (extractable so the private key can be written as PEM). */
export async function newKeyPair(): Promise<CryptoKeyPair> {
  return (await webCrypto.subtle.generateKey(KEY_ALGORITHM, true, ['sign', 'verify'])) as CryptoKeyPair;
}

/** `key` as a PKCS#8 `PRIVATE KEY` PEM, the form node:tls, Go and OpenSSL all read. */
export async function privateKeyPem(key: CryptoKey): Promise<string> {
  const der = await webCrypto.subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

/** 16 random bytes as hex with the top bit clear: serials must be positive and unique (RFC 5280). */
export function randomSerial(): string {
  const bytes = webCrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0]! & 0x7f) | 0x01;
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
