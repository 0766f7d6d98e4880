/**
 * `pullstorm serve --tls-cert FILE --tls-key FILE [--tls-ca FILE [--tls-ca-key FILE]]`: a certificate
 * made elsewhere (a Kubernetes TLS Secret mounted into the stub's pod, a company CA) instead of a
 * generated one. The files are checked before the server starts, so a wrong pair fails at once with
 * what was expected and what was given, not at the first handshake. The CA's key, when given, lets
 * serve issue the certificates the TLS faults serve (expired, wrong host, no IP SAN).
 */
import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UsageError } from '../../vocab/errors.ts';

/** The files of `--tls-cert`, `--tls-key` and `--tls-ca`. */
export interface TlsFileOptions {
  /** PEM certificate (the leaf first; intermediates may follow and are sent along). */
  cert: string;
  /** PEM private key of the certificate (PKCS#8, PKCS#1 or SEC1). */
  key: string;
  /**
   * PEM certificate of the CA that issued `cert` (or its last intermediate); checked, then only
   * reported as the ready line's `caFile` for clients to trust. Default none (`caFile` null).
   */
  ca?: string | undefined;
  /**
   * PEM private key of `ca` (ECDSA P-256, as pullstorm's CAs have), to sign the TLS faults'
   * certificates with; needs `ca`. Default none (only `tls-unknown-ca` of those faults applies).
   */
  caKey?: string | undefined;
}

/** What the server is started with, and the CA file the ready line names (null without `--tls-ca`). */
export interface LoadedTls {
  certPem: string;
  keyPem: string;
  caFile: string | null;
  /** The certificate's subjectAltNames, which the fault certificates copy. */
  names: { hosts: string[]; ips: string[] };
  /** The CA and its key as PKCS#8 PEM, with `caKey`. */
  ca?: { certPem: string; keyPem: string };
}

async function text(flag: string, path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    const why = e.code === 'ENOENT' ? 'no such file' : e.code === 'EACCES' ? 'permission denied' : e.message;
    throw new UsageError(`${flag}: expected a readable file with ${what}, got ${path} (${why})`);
  }
}

function certificate(flag: string, path: string, pem: string): X509Certificate {
  try {
    return new X509Certificate(pem);
  } catch (error) {
    throw new UsageError(
      `${flag}: expected a PEM certificate (-----BEGIN CERTIFICATE-----), got ${path}, which is not one (${(error as Error).message})`,
    );
  }
}

function privateKey(path: string, pem: string, flag = '--tls-key'): KeyObject {
  try {
    return createPrivateKey(pem);
  } catch (error) {
    throw new UsageError(
      `${flag}: expected a PEM private key (-----BEGIN PRIVATE KEY----- or an RSA/EC one), got ${path}, which is not one (${(error as Error).message})`,
    );
  }
}

/** Reads and checks the files; throws UsageError (exit 2) saying what was expected and given. */
export async function loadTlsFiles(options: TlsFileOptions): Promise<LoadedTls> {
  const certPath = resolve(options.cert);
  const keyPath = resolve(options.key);
  const certPem = await text('--tls-cert', certPath, 'a PEM certificate');
  const keyPem = await text('--tls-key', keyPath, 'a PEM private key');
  const leaf = certificate('--tls-cert', certPath, certPem);
  if (!leaf.checkPrivateKey(privateKey(keyPath, keyPem))) {
    throw new UsageError(
      `--tls-key: expected the private key of the certificate in ${certPath} (${leaf.subject.replace(/\n/g, ', ')}), got ${keyPath}, a key that does not match it`,
    );
  }
  const names = sanNames(leaf);
  if (options.ca === undefined) {
    if (options.caKey !== undefined)
      throw new UsageError('--tls-ca-key: expected --tls-ca with the CA certificate too, got none');
    return { certPem, keyPem, caFile: null, names };
  }
  const caPath = resolve(options.ca);
  const caPem = await text('--tls-ca', caPath, 'a PEM CA certificate');
  const ca = certificate('--tls-ca', caPath, caPem);
  // The CA may have signed the leaf, or the last intermediate the certificate file carries.
  const chain = (certPem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []).map(
    (block) => certificate('--tls-cert', certPath, block),
  );
  const top = chain.at(-1) ?? leaf;
  if (!top.checkIssued(ca) || !top.verify(ca.publicKey)) {
    throw new UsageError(
      `--tls-ca: expected the CA that issued ${certPath} (issuer ${top.issuer.replace(/\n/g, ', ')}), got ${caPath} (subject ${ca.subject.replace(/\n/g, ', ')}), which did not sign it`,
    );
  }
  if (options.caKey === undefined) return { certPem, keyPem, caFile: caPath, names };
  return {
    certPem,
    keyPem,
    caFile: caPath,
    names,
    ca: { certPem: caPem, keyPem: await caKey(options.caKey, ca) },
  };
}

/** The CA's key from `--tls-ca-key` as PKCS#8 PEM, checked to be ECDSA P-256 and to belong to `ca`. */
async function caKey(file: string, ca: X509Certificate): Promise<string> {
  const path = resolve(file);
  const key = privateKey(path, await text('--tls-ca-key', path, 'a PEM private key'), '--tls-ca-key');
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (key.asymmetricKeyType !== 'ec' || curve !== 'prime256v1') {
    throw new UsageError(
      `--tls-ca-key: expected an ECDSA P-256 key (the fault certificates are signed with ECDSA SHA-256), got ${path}, ${key.asymmetricKeyType === 'ec' ? `an EC key on ${curve}` : `an ${key.asymmetricKeyType?.toUpperCase()} key`}`,
    );
  }
  if (!ca.checkPrivateKey(key)) {
    throw new UsageError(
      `--tls-ca-key: expected the private key of the --tls-ca certificate (${ca.subject.replace(/\n/g, ', ')}), got ${path}, a key that does not match it`,
    );
  }
  return key.export({ type: 'pkcs8', format: 'pem' }) as string;
}

/** DNS names and IPs of the certificate's subjectAltName (Node writes `DNS:a, IP Address:1.2.3.4`). */
function sanNames(leaf: X509Certificate): { hosts: string[]; ips: string[] } {
  const entries = (leaf.subjectAltName ?? '').split(/,\s*/);
  const after = (prefix: string) =>
    entries.filter((e) => e.startsWith(prefix)).map((e) => e.slice(prefix.length).replace(/^"|"$/g, ''));
  return { hosts: after('DNS:'), ips: after('IP Address:') };
}
