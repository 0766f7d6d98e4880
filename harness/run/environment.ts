/**
 * The environment a run records in `run.started`: pullstorm's version, the JavaScript runtime, the
 * Kubernetes version whose kubelet is modelled (embedded backend only), the host. The backend adds
 * what it learns while provisioning (`Backend.versions()`: containerd's CRI answer, a real cluster's
 * Kubernetes version).
 */
import { type as osType, release } from 'node:os';
import { PULLSTORM_VERSION } from '../../reports/version.ts';
import { hostPlatform } from '../backends/containerd/options.ts';
import { runtimeVersion } from '../runtime.ts';
import type { Scenario } from '../scenario/resolved.ts';

/** `name → value` of what the run ran on. */
export function environmentOf(scenario: Scenario): Record<string, string> {
  const modelled = scenario.backend.type === 'containerd';
  return {
    pullstorm: PULLSTORM_VERSION,
    runtime: runtimeVersion(),
    ...(modelled ? { kubernetes: `${scenario.backend.kubernetesVersion} (kubelet modelled)` } : {}),
    backend: scenario.backend.type,
    os: `${osType()} ${release()}`,
    platform: hostPlatform(),
  };
}
