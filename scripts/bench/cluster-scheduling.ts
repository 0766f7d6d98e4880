/**
 * The embedded cluster's own cost of creating pods, apart from any pull: one cluster of N nodes whose
 * ImageService answers at once, a deployment of N pods (one per node), CPU until all run. It shows how
 * createPod scales with cluster size, which decides how the storm splits its virtual nodes.
 */
import { type ClusterNode, createCluster } from '../../harness/cluster/index.ts';
import type { ImageService } from '../../harness/kubelet/image-service.ts';
import { createDeployment } from './cluster-storm.ts';

/** One measured size. */
export interface SchedulingRow {
  nodes: number;
  pods: number;
  wallSeconds: number;
  cpuSeconds: number;
}

const instant: ImageService = {
  pullImage: async () => ({ imageRef: 'sha256:instant' }),
  imageStatus: async () => ({}),
  listImages: async () => [],
  removeImage: async () => {},
  imageFsInfo: async () => ({ usedBytes: 0 }),
};

function node(name: string): ClusterNode {
  return {
    name,
    platform: 'linux/amd64',
    imageService: instant,
    capabilities: { runsContainers: false, diskFaults: false },
  };
}

/** Creates `n` pods on `n` instant nodes in one cluster; returns wall and CPU seconds. */
export async function schedulingCost(sizes: number[] = [250, 500, 1000]): Promise<SchedulingRow[]> {
  const rows: SchedulingRow[] = [];
  for (const n of sizes) {
    const cluster = await createCluster({
      runId: 'bench-scheduling',
      nodes: Array.from({ length: n }, (_, i) => node(`n-${i}`)),
      emit: () => {},
    });
    try {
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      await createDeployment(cluster, { name: 'd', replicas: n, template: { image: 'example.test/app:1' } });
      await cluster.waitFor((pods) => pods.every((p) => p.phase === 'Running'), 600_000);
      const cpu = process.cpuUsage(cpu0);
      rows.push({
        nodes: n,
        pods: n,
        wallSeconds: (performance.now() - t0) / 1000,
        cpuSeconds: (cpu.user + cpu.system) / 1e6,
      });
    } finally {
      await cluster.stop();
    }
  }
  return rows;
}
