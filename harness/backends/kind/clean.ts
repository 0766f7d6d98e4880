/**
 * `pullstorm clean` for kind: deletes the clusters killed runs left (`kind get clusters`, those named
 * `pullstorm-*` whose run is not alive) and unmounts their tmpfs containerd roots. Clusters of other
 * tools and of live runs are never touched. The stub containers carry the run label and go with
 * `cleanupContainers`.
 */
import { type KindCli, kindCli } from './cli.ts';
import { unmountContainerdRoot } from './disk.ts';
import { CLUSTER_PREFIX, clusterName } from './names.ts';
import { processAlive, readMarkers, removeMarker } from './state.ts';

/** What a kind clean did. */
export interface KindCleanReport {
  clusters: string[];
  mounts: string[];
  notes: string[];
}

/** Options of `cleanKindClusters`. */
export interface KindCleanOptions {
  /** Only this run's cluster; default every `pullstorm-*` cluster whose run is not alive. */
  runId?: string;
  /** The kind CLI; default `kindCli()`. */
  cli?: KindCli;
  /** Where markers are; default `markersDir()`. */
  markers?: string;
  /** Liveness check; default `processAlive`. */
  alive?: (pid: number) => boolean;
}

/** Deletes leftover pullstorm kind clusters and their mounts; kind being absent is a note. */
export async function cleanKindClusters(options: KindCleanOptions = {}): Promise<KindCleanReport> {
  const report: KindCleanReport = { clusters: [], mounts: [], notes: [] };
  const cli = options.cli ?? kindCli();
  const alive = options.alive ?? processAlive;
  const markers = await readMarkers(options.markers);
  const only = options.runId === undefined ? undefined : clusterName(options.runId);
  const live = (m: { pid: number } | undefined) => m !== undefined && m.pid !== process.pid && alive(m.pid);
  const failed = new Set<string>();

  if ((await cli.version().catch(() => undefined)) === undefined) {
    report.notes.push('kind is not installed: no kind clusters checked');
  } else {
    for (const name of await cli.getClusters()) {
      if (!name.startsWith(CLUSTER_PREFIX) || (only && name !== only)) continue;
      const marker = markers.get(name);
      if (live(marker)) {
        report.notes.push(
          `kind cluster ${name} belongs to run ${marker!.runId} (pid ${marker!.pid}), still running; left alone`,
        );
        continue;
      }
      try {
        await cli.deleteCluster(name);
        report.clusters.push(name);
      } catch (error) {
        failed.add(name); // its nodes may still use their roots: keep them mounted
        report.notes.push(`kind cluster ${name}: ${(error as Error).message}`);
      }
    }
  }
  for (const [name, marker] of markers) {
    if ((only && name !== only) || live(marker) || failed.has(name)) continue;
    for (const root of marker.roots) {
      await unmountContainerdRoot(root);
      report.mounts.push(root);
    }
    await removeMarker(name, options.markers);
  }
  return report;
}
