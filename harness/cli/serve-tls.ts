/**
 * `pullstorm serve --tls-cert FILE --tls-key FILE [--tls-ca FILE]`: a certificate made elsewhere (a
 * Kubernetes TLS Secret mounted into the stub's pod, a company CA) instead of a generated one. The
 * files are checked before the server starts, so a wrong pair fails at once with what was expected
 * and what was given, not at the first handshake.
 */
import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UsageError } from './exit.ts';

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
}

/** What the server is started with, and the CA file the ready line names (null without `--tls-ca`). */
export interface LoadedTls {
  certPem: string;
  keyPem: string;
  caFile: string | null;
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

function privateKey(path: string, pem: string): KeyObject {
  try {
    return createPrivateKey(pem);
  } catch (error) {
    throw new UsageError(
      `--tls-key: expected a PEM private key (-----BEGIN PRIVATE KEY----- or an RSA/EC one), got ${path}, which is not one (${(error as Error).message})`,
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
  if (options.ca === undefined) return { certPem, keyPem, caFile: null };
  const caPath = resolve(options.ca);
  const ca = certificate('--tls-ca', caPath, await text('--tls-ca', caPath, 'a PEM CA certificate'));
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
  return { certPem, keyPem, caFile: caPath };
}
