/**
 * What `pullstorm serve` serves over TLS, and the certificates its TLS faults serve instead: with
 * `--tls` a CA is generated and every variant issued for the certificate's own names; with
 * `--tls-cert`/`--tls-key` the variants that need the CA's key exist only with `--tls-ca-key`, and
 * `tls-unknown-ca` (a CA nobody trusts) always does. A missing variant makes its fault answer
 * FAULT_NOT_APPLICABLE with `certificatesHint`, which names the flag that would enable it.
 */
import { mkdtemp } from 'node:fs/promises';
import { isIP } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TlsOptions } from '../index.ts';
import {
  type CertificateVariants,
  certificateAuthorityFromPem,
  certificateVariants,
  createCertificateAuthority,
  untrustedVariant,
  writeTlsFiles,
} from '../tls/index.ts';
import { loadTlsFiles, type TlsFileOptions } from './serve-tls.ts';

/** The TLS flags of `pullstorm serve`, as `ServeOptions` has them. */
export interface ServeTlsOptions {
  host: string;
  tls: boolean;
  tlsFiles?: TlsFileOptions | undefined;
  tlsDir?: string | undefined;
  tlsNames?: string[] | undefined;
}

/** TLS for the registry (none: plain HTTP), the CA file for the ready line, the fault certificates. */
export interface ServeCertificates {
  tls?: TlsOptions;
  caFile: string | null;
  certificates?: Partial<CertificateVariants>;
  certificatesHint: string;
}

const PLAIN_HINT =
  'this registry serves plain HTTP: start pullstorm serve with --tls (or --tls-cert, --tls-key, --tls-ca and --tls-ca-key)';
const NO_CA_KEY_HINT =
  "pullstorm serve issues it with the CA's private key: start it with --tls-ca-key FILE (the key of --tls-ca)";

/** Generates or loads the TLS material `options` ask for; plain HTTP when they ask for none. */
export async function serveCertificates(options: ServeTlsOptions): Promise<ServeCertificates> {
  if (options.tlsFiles !== undefined) return fromFiles(options.tlsFiles);
  if (!options.tls) return { caFile: null, certificatesHint: PLAIN_HINT };
  const ca = await createCertificateAuthority();
  const names = [options.host, ...(options.tlsNames ?? [])].filter((n) => n !== '0.0.0.0' && n !== '::');
  const hosts = [...new Set(['localhost', ...names.filter((n) => isIP(n) === 0)])];
  const ips = [...new Set(['127.0.0.1', '::1', ...names.filter((n) => isIP(n) !== 0)])];
  const certificates = await certificateVariants(ca, { hosts, ips });
  const leaf = certificates.valid;
  const dir = options.tlsDir ? resolve(options.tlsDir) : await mkdtemp(join(tmpdir(), 'pullstorm-tls-'));
  const files = await writeTlsFiles(dir, { ca, leaf });
  return {
    tls: { certPem: leaf.certPem, keyPem: leaf.keyPem },
    caFile: files.caFile,
    certificates,
    certificatesHint: PLAIN_HINT,
  };
}

async function fromFiles(files: TlsFileOptions): Promise<ServeCertificates> {
  const loaded = await loadTlsFiles(files);
  const tls = { certPem: loaded.certPem, keyPem: loaded.keyPem };
  const { hosts, ips } = loaded.names;
  if (hosts.length + ips.length === 0) {
    const hint = `--tls-cert has no subjectAltName for the fault certificates to copy`;
    return { tls, caFile: loaded.caFile, certificatesHint: hint };
  }
  if (loaded.ca === undefined) {
    const certificates = await untrustedVariant({ hosts, ips });
    return { tls, caFile: loaded.caFile, certificates, certificatesHint: NO_CA_KEY_HINT };
  }
  const certificates = await certificateVariants(await certificateAuthorityFromPem(loaded.ca), {
    hosts,
    ips,
  });
  return { tls, caFile: loaded.caFile, certificates, certificatesHint: NO_CA_KEY_HINT };
}
