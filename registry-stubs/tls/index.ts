/** TLS material for the stub registries: CAs, leaf certificates, the fault variants, files on disk. */
export {
  type CertificateAuthority,
  type CertificateAuthorityOptions,
  certificateAuthorityFromPem,
  createCertificateAuthority,
  privateKeyPem,
} from './ca.ts';
export { type TlsFiles, writeTlsFiles } from './files.ts';
export { type IssueOptions, issueCertificate, type LeafCertificate } from './leaf.ts';
export {
  type CertificateVariants,
  certificateVariants,
  untrustedVariant,
  type VariantOptions,
  WRONG_HOST,
} from './variants.ts';
