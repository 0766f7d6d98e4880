/**
 * `pullstorm clean --context`: what killed kubeconfig runs left in a cluster. A normal end, an error
 * and Ctrl-C all delete the run's namespace by its run label; only a killed pullstorm leaves one. From
 * here pullstorm cannot tell a killed run from one still running on another machine, so without a
 * run id it only lists the run namespaces it finds; with `--run-id` it deletes that run's namespace
 * (by label, with everything in it) and nothing else.
 */
import type { KubeApi, RunNamespace } from './api.ts';
import { runLabelValue, runSelector } from './names.ts';

/** What a cluster clean found and did. */
export interface ClusterCleanReport {
  /** Every pullstorm run namespace found. */
  found: RunNamespace[];
  /** Namespaces deleted (only with a run id). */
  deleted: string[];
}

/** Lists the run namespaces; with `runId`, deletes that run's. */
export async function cleanClusterRuns(
  api: KubeApi,
  options: { runId?: string } = {},
): Promise<ClusterCleanReport> {
  const found = await api.listRunNamespaces();
  if (options.runId === undefined) return { found, deleted: [] };
  const value = runLabelValue(options.runId);
  const mine = found.filter((n) => n.runId === value).map((n) => n.name);
  if (mine.length > 0) await api.deleteByLabel('namespaces', '', runSelector(options.runId));
  return { found, deleted: mine };
}

/** The report as lines for the terminal. */
export function formatClusterClean(context: string, report: ClusterCleanReport, runId?: string): string[] {
  if (runId !== undefined) {
    return report.deleted.length > 0
      ? [`cluster ${context}: deleted namespace ${report.deleted.join(', ')} of run ${runId}`]
      : [`cluster ${context}: no namespace of run ${runId}`];
  }
  if (report.found.length === 0) return [`cluster ${context}: no pullstorm run namespaces`];
  return [
    `cluster ${context}: ${report.found.length} pullstorm run namespace(s); none deleted without --run-id (a run may still be going on elsewhere):`,
    ...report.found.map((n) => `  ${n.name}  run ${n.runId}${n.created ? `  created ${n.created}` : ''}`),
  ];
}
