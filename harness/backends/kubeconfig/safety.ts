/**
 * The guard in front of an existing cluster. pullstorm creates pull storms and broken registries on
 * purpose, so it refuses a context that looks like production unless told otherwise
 * (`--i-know-this-is-production`). The heuristic, deliberately cautious:
 *
 * 1. **Names**: the context name, the cluster name or the API server URL matches
 *    `/prod|production|live/i` anywhere (so `gke_acme_europe-west1_prod-eu` and `api.live.acme.io`
 *    match). It is a substring match: `reproduce` and `delivery` match too. A false alarm costs a
 *    flag; a miss costs an outage, so it errs that way.
 * 2. **Size**: more than 25 namespaces (kind, minikube and k3d start with 4–6; a shared cluster with
 *    teams in it has dozens). The threshold is an option.
 *
 * Either one is enough to refuse. Nothing here reads the cluster beyond the namespace list.
 */
import { EXIT, type ExitCode, PullstormError } from '../../../vocab/errors.ts';

/** The identity of a kubeconfig context, as the heuristic sees it. */
export interface ContextIdentity {
  context: string;
  cluster: string;
  server: string;
}

/** Options of `productionSignals`. */
export interface ProductionHeuristic {
  /** Namespaces above which a cluster counts as shared/production; default 25. */
  namespaceThreshold?: number;
  /** Matched against context, cluster and server; default `/prod|production|live/i`. */
  pattern?: RegExp;
}

/** Default namespace threshold: 25. */
export const DEFAULT_NAMESPACE_THRESHOLD = 25;
/** Default name pattern: `/prod|production|live/i`. */
export const PRODUCTION_PATTERN = /prod|production|live/i;

/** Why a context looks like production (empty: it does not). */
export function productionSignals(
  id: ContextIdentity,
  namespaceCount: number | undefined,
  options: ProductionHeuristic = {},
): string[] {
  const pattern = options.pattern ?? PRODUCTION_PATTERN;
  const threshold = options.namespaceThreshold ?? DEFAULT_NAMESPACE_THRESHOLD;
  const signals: string[] = [];
  for (const [what, value] of [
    ['context name', id.context],
    ['cluster name', id.cluster],
    ['API server', id.server],
  ] as const) {
    const m = pattern.exec(value);
    if (m) signals.push(`${what} '${value}' contains '${m[0]}'`);
  }
  if (namespaceCount !== undefined && namespaceCount > threshold) {
    signals.push(`${namespaceCount} namespaces (more than ${threshold}: a shared cluster)`);
  }
  return signals;
}

/** Thrown when a context looks like production and no override was given. Stable `code`: `PRODUCTION_CONTEXT`. */
export class ProductionContextError extends PullstormError {
  readonly code = 'PRODUCTION_CONTEXT';
  /** Exit code the CLI uses: 2 (the input — the chosen context — was wrong). */
  override readonly exitCode: ExitCode = EXIT.usage;
  readonly signals: string[];
  constructor(id: ContextIdentity, signals: string[]) {
    super(
      `refusing to run against kubeconfig context '${id.context}' (server ${id.server}): it looks like production — ` +
        `${signals.join('; ')}. pullstorm creates pull storms and failing registries on purpose. ` +
        `Choose another context with --context, or pass --i-know-this-is-production if this cluster is meant for it.`,
    );
    this.name = 'ProductionContextError';
    this.signals = signals;
  }
}

/** Throws ProductionContextError when `signals` is not empty and `allowProduction` is false. */
export function refuseProduction(id: ContextIdentity, signals: string[], allowProduction: boolean): void {
  if (signals.length > 0 && !allowProduction) throw new ProductionContextError(id, signals);
}
