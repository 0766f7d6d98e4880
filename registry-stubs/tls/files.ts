/**
 * Writes TLS material where servers and clients read it.
 *
 * The client trust directory (`certDir`) holds only `ca.crt`, apart from the server's files:
 * containers/image (skopeo `--cert-dir`, podman certs.d) and Docker treat every `*.crt` in the
 * directory as a trusted root and every `*.key` as half of a client pair, failing with
 * `missing client certificate tls.cert for key tls.key`; a `tls.crt` there would also make the
 * leaf itself a trust anchor and hide the unknown-CA fault.
 */
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Paths `writeTlsFiles()` wrote. */
export interface TlsFiles {
  /** The CA certificate: containerd hosts.toml `ca = …`, curl `--cacert`, node:tls `ca`. */
  caFile: string;
  /** The server certificate (leaf only; the root is not sent, as registries do not send it). */
  certFile: string;
  /** The server's PKCS#8 key, mode 0600. */
  keyFile: string;
  /** A directory holding only `ca.crt`, for skopeo `--cert-dir` and `certs.d/<host:port>/`. */
  certDir: string;
}

/**
 * Writes `<dir>/ca.crt`, `<dir>/tls.crt`, `<dir>/tls.key` (0600) and `<dir>/client/ca.crt`,
 * creating directories as needed and overwriting earlier files.
 */
export async function writeTlsFiles(
  dir: string,
  material: { ca: { certPem: string }; leaf: { certPem: string; keyPem: string } },
): Promise<TlsFiles> {
  const certDir = join(dir, 'client');
  await mkdir(certDir, { recursive: true });
  const files: TlsFiles = {
    caFile: join(dir, 'ca.crt'),
    certFile: join(dir, 'tls.crt'),
    keyFile: join(dir, 'tls.key'),
    certDir,
  };
  await writeFile(files.caFile, withNewline(material.ca.certPem), { mode: 0o644 });
  await writeFile(join(certDir, 'ca.crt'), withNewline(material.ca.certPem), { mode: 0o644 });
  await writeFile(files.certFile, withNewline(material.leaf.certPem), { mode: 0o644 });
  await writeFile(files.keyFile, withNewline(material.leaf.keyPem), { mode: 0o600 });
  // `mode` applies only when a file is created; an older key file keeps its mode otherwise.
  await chmod(files.keyFile, 0o600);
  return files;
}

function withNewline(pem: string): string {
  return pem.endsWith('\n') ? pem : `${pem}\n`;
}
