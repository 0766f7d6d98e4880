/**
 * The kubelet settings the image manager reads, with kubelet's defaults
 * (pkg/kubelet/apis/config/v1beta1/defaults.go, pkg/kubelet/kubelet.go) computed once, every problem
 * reported at once, and the version switches in one place.
 */

import type { CredentialVerificationPolicy } from './credentials.ts';

/** Options of the image manager; every field is optional. */
export interface KubeletImageOptions {
  /** Kubernetes minor version whose behaviour to reproduce, `1.28` or later; default `1.32`. */
  kubernetesVersion?: string;
  /** registryPullQPS; 0 means unlimited; default 5. */
  registryPullQPS?: number;
  /** registryBurst; default 10. */
  registryBurst?: number;
  /** serializeImagePulls; default true unless maxParallelImagePulls ≥ 2. */
  serializeImagePulls?: boolean;
  /** maxParallelImagePulls; default undefined (no limit when pulls are parallel). */
  maxParallelImagePulls?: number;
  /** KEP-2535 KubeletEnsureSecretPulledImages gate (modelled as 1.33+ implements it); default on from 1.35. */
  ensureSecretPulledImages?: boolean;
  /** imagePullCredentialsVerificationPolicy; default `NeverVerifyPreloadedImages`. */
  credentialVerificationPolicy?: CredentialVerificationPolicy;
  /** preloadedImagesVerificationAllowlist for `NeverVerifyAllowlistedImages`; default empty. */
  credentialVerificationAllowlist?: string[];
  /** Apply client-go's event spam filter (25 events per object, then 1 per 5 min); default true. */
  eventSpamFilter?: boolean;
}

/** Options after defaulting. */
export interface KubeletImageConfig extends Required<Omit<KubeletImageOptions, 'maxParallelImagePulls'>> {
  maxParallelImagePulls: number | undefined;
  /** Parsed `kubernetesVersion` minor (1.x). */
  minor: number;
}

/** kubelet's imageBackOffPeriod: 10 s (pkg/kubelet/kubelet.go). */
export const imageBackOffInitialMs = 10_000;
/** kubelet's MaxImageBackOff: 300 s (pkg/kubelet/kubelet.go). */
export const imageBackOffMaxMs = 300_000;

/** Minor version of a `1.x` or `1.x.y` / `v1.x` string; throws RangeError for anything else. */
export function parseMinor(version: string): number {
  const m = /^v?1\.(\d+)(?:\.\d+)?$/.exec(version);
  if (!m) throw new RangeError(`kubernetesVersion must look like 1.32 or v1.32.1, got "${version}"`);
  return Number(m[1]);
}

/** Fills defaults and checks every option; throws one RangeError naming all problems. */
export function resolveKubeletImageConfig(options: KubeletImageOptions = {}): KubeletImageConfig {
  const problems: string[] = [];
  const version = options.kubernetesVersion ?? '1.32';
  let minor = 32;
  try {
    minor = parseMinor(version);
    if (minor < 28) problems.push(`kubernetesVersion ${version} is older than 1.28, the oldest modelled`);
  } catch (e) {
    problems.push((e as Error).message);
  }
  // Texts of kubelet's config validation (pkg/kubelet/apis/config/validation/validation.go).
  const qps = options.registryPullQPS ?? 5;
  if (!(qps >= 0)) {
    problems.push(
      `invalid configuration: registryPullQPS (--registry-qps) ${qps} must not be a negative number`,
    );
  }
  const burst = options.registryBurst ?? 10;
  if (!(burst >= 0) || !Number.isInteger(burst)) {
    problems.push(
      `invalid configuration: registryBurst (--registry-burst) ${burst} must not be a negative number`,
    );
  }
  const maxParallel = options.maxParallelImagePulls;
  if (maxParallel !== undefined && (!Number.isInteger(maxParallel) || maxParallel < 1)) {
    problems.push(`invalid configuration: maxParallelImagePulls ${maxParallel} must be a positive number`);
  }
  // kubelet's own defaulting: serial unless parallel pulls are asked for (v1beta1/defaults.go).
  const serialize = options.serializeImagePulls ?? (maxParallel === undefined || maxParallel < 2);
  if (serialize && maxParallel !== undefined && maxParallel > 1) {
    problems.push(
      'invalid configuration: maxParallelImagePulls cannot be larger than 1 unless SerializeImagePulls (--serialize-image-pulls) is set to false',
    );
  }
  if (problems.length > 0) throw new RangeError(`invalid kubelet image options:\n- ${problems.join('\n- ')}`);
  return {
    kubernetesVersion: version,
    minor,
    registryPullQPS: qps,
    registryBurst: burst,
    serializeImagePulls: serialize,
    maxParallelImagePulls: maxParallel,
    ensureSecretPulledImages: options.ensureSecretPulledImages ?? minor >= 35,
    credentialVerificationPolicy: options.credentialVerificationPolicy ?? 'NeverVerifyPreloadedImages',
    credentialVerificationAllowlist: options.credentialVerificationAllowlist ?? [],
    eventSpamFilter: options.eventSpamFilter ?? true,
  };
}
