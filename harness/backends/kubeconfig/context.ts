/**
 * Loading a kubeconfig context: the current one, or `--context <name>`, from `$KUBECONFIG` or
 * `~/.kube/config` (client-node's `loadFromDefault`), or from an explicit file (kind writes one per run).
 * The user's kubeconfig is never written.
 */

import { KubeConfig } from '@kubernetes/client-node';
import { PullstormError } from '../../../vocab/errors.ts';
import type { ContextIdentity } from './safety.ts';

/** Options of `loadContext`. */
export interface LoadContextOptions {
  /** Context to use; default the kubeconfig's current context. */
  context?: string;
  /** A kubeconfig file; default `$KUBECONFIG` or `~/.kube/config` (in-cluster config when run in a pod). */
  kubeconfigPath?: string;
}

/** Thrown when there is no usable context; stable `code`: `NO_KUBE_CONTEXT`. */
export class NoContextError extends PullstormError {
  readonly code = 'NO_KUBE_CONTEXT';
  override name = 'NoContextError';
}

/** A KubeConfig set to the chosen context, and that context's identity. */
export function loadContext(options: LoadContextOptions = {}): { kc: KubeConfig; id: ContextIdentity } {
  const kc = new KubeConfig();
  if (options.kubeconfigPath) kc.loadFromFile(options.kubeconfigPath);
  else kc.loadFromDefault();
  if (options.context !== undefined) {
    if (!kc.getContextObject(options.context)) {
      const known = kc.getContexts().map((c) => c.name);
      throw new NoContextError(
        `--context: no context '${options.context}' in the kubeconfig; expected one of: ${known.join(', ') || '(none)'}`,
      );
    }
    kc.setCurrentContext(options.context);
  }
  const context = kc.getCurrentContext();
  const cluster = kc.getCurrentCluster();
  // loadFromDefault falls back to a `loaded-context` pointing at localhost:8080 when nothing is configured.
  if (!context || !cluster || (context === 'loaded-context' && cluster.server === 'http://localhost:8080')) {
    throw new NoContextError('no kubeconfig context: set KUBECONFIG or ~/.kube/config, or pass --context');
  }
  return { kc, id: { context, cluster: cluster.name, server: cluster.server } };
}
