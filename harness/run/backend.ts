/**
 * Which backend a run uses. `containerd` (the default) is the embedded backend and needs no
 * detection: preflight.ts has already checked the machine. `kind` and `kubeconfig` are found through
 * `detectBackend` (provider.ts), whose final error names every candidate tried and why; a machine
 * without kind, Docker or a reachable cluster is an environment error (exit 3), never a failed run.
 */
import { embeddedBackend } from '../backends/embedded/backend.ts';
import { type KindBackendOptions, kindCandidate } from '../backends/kind/backend.ts';
import { type KubeconfigBackendOptions, kubeconfigCandidate } from '../backends/kubeconfig/backend.ts';
import {
  type Backend,
  type BackendCandidate,
  BackendUnavailableError,
  detectBackend,
} from '../backends/provider.ts';
import type { BackendType } from '../scenario/model.ts';
import { EnvironmentError } from './preflight.ts';

/** The command line's backend settings (`pullstorm run --backend … --context … --stub-image …`). */
export interface BackendOptions {
  /** Runs every scenario on this backend instead of its `backend.type`; default the scenario's. */
  type?: BackendType;
  /** kind: `--node-image`. */
  kind?: KindBackendOptions;
  /** kubeconfig: `--kubeconfig`, `--context`, `--stub-image`, `--i-know-this-is-production`. */
  kubeconfig?: KubeconfigBackendOptions;
  /** Candidates to try instead of the real ones (tests); default kind's or kubeconfig's. */
  candidates?: readonly BackendCandidate[];
}

/** The backend for `type`; throws EnvironmentError (exit 3) naming every candidate tried. */
export async function chooseBackend(
  type: BackendType,
  options: BackendOptions = {},
  log: (line: string) => void = () => undefined,
): Promise<Backend> {
  if (type === 'containerd') return embeddedBackend();
  const candidates =
    options.candidates ??
    (type === 'kind' ? [kindCandidate(options.kind)] : [kubeconfigCandidate(options.kubeconfig)]);
  try {
    return (await detectBackend(type, { candidates, log })).backend;
  } catch (error) {
    if (!(error instanceof BackendUnavailableError)) throw error;
    throw new EnvironmentError(error.message, { cause: error });
  }
}
