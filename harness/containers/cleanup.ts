/** Removal of what runs left in Docker, found by label (labels.ts); used by teardown and `pullstorm clean`. */
import { dockerClient } from './docker.ts';
import { assertRunId, LABEL_PULLSTORM, LABEL_RUN_ID } from './labels.ts';

/**
 * Force-removes every container of run `runId` (default: of every run), running or not, with its
 * anonymous volumes; returns the removed container ids. A container already gone is not an error.
 */
export async function cleanupContainers(runId?: string): Promise<string[]> {
  if (runId !== undefined) assertRunId(runId);
  const docker = (await dockerClient()).container.dockerode;
  const label = runId === undefined ? `${LABEL_PULLSTORM}=true` : `${LABEL_RUN_ID}=${runId}`;
  const found = await docker.listContainers({ all: true, filters: { label: [label] } });
  const removed = await Promise.all(
    found.map(async ({ Id }) => {
      try {
        await docker.getContainer(Id).remove({ force: true, v: true });
        return Id;
      } catch (error) {
        // Another teardown may win the race; 404 and "removal already in progress" mean it is going.
        const status = (error as { statusCode?: number }).statusCode;
        if (status === 404 || status === 409) return undefined;
        throw error;
      }
    }),
  );
  return removed.filter((id) => id !== undefined);
}

/**
 * Removes pullstorm's built images (label `pullstorm=true`) that no container uses; returns their
 * tags. Images are shared between runs (tagged by content hash), so only `pullstorm clean --images`
 * should call this.
 */
export async function cleanupImages(): Promise<string[]> {
  const docker = (await dockerClient()).container.dockerode;
  const images = await docker.listImages({ filters: { label: [`${LABEL_PULLSTORM}=true`] } });
  const removed: string[] = [];
  for (const image of images) {
    try {
      await docker.getImage(image.Id).remove({ force: false });
      removed.push(...(image.RepoTags ?? [image.Id]));
    } catch (error) {
      // 409: a container still uses it; leave it for the next clean.
      if ((error as { statusCode?: number }).statusCode !== 409) throw error;
    }
  }
  return removed;
}
