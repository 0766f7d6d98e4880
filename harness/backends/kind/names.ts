/** The names of a run's kind cluster. */
import { dnsName } from '../kubeconfig/names.ts';

/** Every cluster pullstorm creates starts with this: `pullstorm-`. */
export const CLUSTER_PREFIX = 'pullstorm-';

/**
 * `pullstorm-<run id>`, lower-case, at most 49 characters: kind names node containers
 * `<cluster>-control-plane` and uses that as the host name, which Linux caps at 64 characters.
 */
export function clusterName(runId: string): string {
  return dnsName('pullstorm', runId, 49);
}
