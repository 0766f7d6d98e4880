/**
 * KEP-2535 "ensure secret pulled images" as kubelet ≥ 1.33 implements it
 * (pkg/kubelet/images/pullmanager/image_pull_manager.go, image_pull_policies.go): kubelet records which
 * credentials pulled each image (by image ref, then by repository), and with IfNotPresent/Never an image
 * already on the node counts as usable only when the pod presents a matching secret or service account,
 * or when the image was pulled with node-level or no credentials. Records live in memory here (kubelet
 * keeps them on disk; restarts are not modelled).
 */

import type { AuthConfig } from './image-service.ts';
import { parseImageName } from './reference.ts';

/** A Kubernetes object's identity. */
export interface ObjectCoordinates {
  uid: string;
  namespace: string;
  name: string;
}

/** One credential kubelet may pull with (`credentialprovider.TrackedAuthConfig`). */
export interface PullCredential {
  auth: AuthConfig;
  /** Hash of `auth`; only compared. See {@link credentialHash}. */
  hash: string;
  /** The secret or service account it came from; absent for node-level credentials. */
  source?: { secret?: ObjectCoordinates; serviceAccount?: ObjectCoordinates };
}

/** imagePullCredentialsVerificationPolicy values. */
export type CredentialVerificationPolicy =
  | 'NeverVerify'
  | 'NeverVerifyPreloadedImages'
  | 'NeverVerifyAllowlistedImages'
  | 'AlwaysVerify';

interface SecretRecord extends ObjectCoordinates {
  credentialHash: string;
}

interface CredentialRecord {
  nodePodsAccessible: boolean;
  secrets: SecretRecord[];
  serviceAccounts: ObjectCoordinates[];
}

const sameObject = (a: ObjectCoordinates, b: ObjectCoordinates): boolean =>
  a.uid === b.uid && a.namespace === b.namespace && a.name === b.name;

/** SHA-256 (hex) of an auth config, a stable stand-in for kubelet's AuthConfigHash. */
export async function credentialHash(auth: AuthConfig): Promise<string> {
  const fields = [
    auth.username,
    auth.password,
    auth.auth,
    auth.serverAddress,
    auth.identityToken,
    auth.registryToken,
  ];
  const bytes = new TextEncoder().encode(JSON.stringify(fields));
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Parses the allowlist like `getAllowlistImagePattern`: exact repositories or `host/path/*` prefixes. */
function allowlistMatcher(patterns: string[]): (image: string) => boolean {
  const exact = new Set<string>();
  const prefixes: string[] = [];
  for (const p of patterns) {
    if (p !== p.trim()) throw new RangeError(`leading/trailing spaces are not allowed: ${p}`);
    const wildcard = p.endsWith('/*');
    const trimmed = wildcard ? p.slice(0, -1) : p;
    if (trimmed.includes('*')) {
      throw new RangeError(`not a valid wildcard pattern, only patterns ending with '/*' are allowed: ${p}`);
    }
    if (wildcard) prefixes.push(trimmed);
    else exact.add(trimmed);
  }
  return (image) => exact.has(image) || prefixes.some((prefix) => image.startsWith(prefix));
}

/** What kubelet knows about kubelet-pulled images and which credentials pulled them. */
export class PullRecords {
  readonly #pulled = new Map<string, Map<string, CredentialRecord>>();
  readonly #intents = new Map<string, number>();
  readonly #requireVerification: (image: string, pulledByKubelet: boolean) => boolean;

  /** `policy` defaults to `NeverVerifyPreloadedImages`, kubelet's default when the gate is on. */
  constructor(policy: CredentialVerificationPolicy = 'NeverVerifyPreloadedImages', allowlist: string[] = []) {
    const allowed = allowlistMatcher(allowlist);
    this.#requireVerification = {
      NeverVerify: () => false,
      NeverVerifyPreloadedImages: (_: string, pulledByKubelet: boolean) => pulledByKubelet,
      NeverVerifyAllowlistedImages: (image: string) => !allowed(image),
      AlwaysVerify: () => true,
    }[policy];
  }

  /** Called before a pull attempt (`RecordPullIntent`). */
  recordPullIntent(image: string): void {
    this.#intents.set(image, (this.#intents.get(image) ?? 0) + 1);
  }

  /** Called when the attempt did not pull (`RecordImagePullFailed`). */
  recordPullFailed(image: string): void {
    const n = (this.#intents.get(image) ?? 0) - 1;
    if (n <= 0) this.#intents.delete(image);
    else this.#intents.set(image, n);
  }

  /** Called after a successful pull with the credential that worked, if any (`RecordImagePulled`). */
  recordImagePulled(image: string, imageRef: string, used: PullCredential | undefined): void {
    this.#merge(image, imageRef, used);
    this.recordPullFailed(image); // the intent is fulfilled either way
  }

  /** Adds credentials to the record for `imageRef` (`writePulledRecordIfChanged` + merge). */
  #merge(image: string, imageRef: string, used: PullCredential | undefined): void {
    const parsed = parseImageName(image);
    if ('error' in parsed) return;
    const mapping = this.#pulled.get(imageRef) ?? new Map<string, CredentialRecord>();
    this.#pulled.set(imageRef, mapping);
    const record = mapping.get(parsed.repository) ?? {
      nodePodsAccessible: false,
      secrets: [],
      serviceAccounts: [],
    };
    mapping.set(parsed.repository, record);
    if (record.nodePodsAccessible) return;
    const secret = used?.source?.secret;
    const account = used?.source?.serviceAccount;
    if (!secret && !account) {
      // Anonymous or node-level credentials: every pod on the node may use the image.
      Object.assign(record, { nodePodsAccessible: true, secrets: [], serviceAccounts: [] });
    } else if (secret && used) {
      const at = record.secrets.findIndex((s) => sameObject(s, secret));
      const entry = { ...secret, credentialHash: used.hash };
      if (at === -1) record.secrets.push(entry);
      else record.secrets[at] = entry;
    } else if (account && !record.serviceAccounts.some((a) => sameObject(a, account))) {
      record.serviceAccounts.push(account);
    }
  }

  /** Whether a present image must be pulled again for a pod with `podCredentials` (`MustAttemptImagePull`). */
  mustAttemptImagePull(image: string, imageRef: string, podCredentials: PullCredential[]): boolean {
    if (imageRef === '') return true;
    const mapping = this.#pulled.get(imageRef);
    const pulledByKubelet = mapping !== undefined || (this.#intents.get(image) ?? 0) > 0;
    if (!this.#requireVerification(image, pulledByKubelet)) return false;
    const parsed = parseImageName(image);
    const cached = mapping && !('error' in parsed) ? mapping.get(parsed.repository) : undefined;
    if (!cached) return true;
    if (cached.nodePodsAccessible) return false;
    for (const cred of podCredentials) {
      const secret = cred.source?.secret;
      if (!secret) continue;
      for (const known of cached.secrets) {
        const hashesMatch = known.credentialHash.length > 0 && known.credentialHash === cred.hash;
        // Either match lets the pod in; kubelet then records the pod's secret for next time.
        if (hashesMatch || sameObject(known, secret)) {
          this.#merge(image, imageRef, cred);
          return false;
        }
      }
    }
    // Only the first service-account credential counts (kubelet ignores audiences here).
    const account = podCredentials.find((c) => c.source?.serviceAccount)?.source?.serviceAccount;
    return !(account && cached.serviceAccounts.some((a) => sameObject(a, account)));
  }
}
