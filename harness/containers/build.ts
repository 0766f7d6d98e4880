/**
 * pullstorm's one image builder: `buildScratchImage()` turns files (host files such as a binary and the
 * libraries `ldd` lists, or bytes such as a bundle) into a `FROM scratch` image with pullstorm's labels,
 * tagged `<repository>:<content hash>` (context.ts). The context goes to the local engine as a tar
 * stream (tar.ts; a `FROM scratch` Dockerfile never pulls), and an existing tag is reused, so repeated
 * starts skip the build. Every image pullstorm builds in Docker comes through here (the stub image:
 * stub-image.ts).
 */
import { contentHash, contextEntries, type ScratchImageSpec } from './context.ts';
import { dockerClient } from './docker.ts';
import { tarStream } from './tar.ts';

export type { ImageLayer, ScratchImageSpec } from './context.ts';

/** An image ready to run. */
export interface ScratchImage {
  /** `<repository>:<hash>`. */
  name: string;
  /** First 16 hex digits of the content hash (Dockerfile, every file's path and content). */
  hash: string;
  /** True when this call built it; false when the tag already existed. */
  built: boolean;
  /** Wall time of this call in milliseconds (hashing included). */
  durationMs: number;
}

/** Builds `spec` as `<repository>:<content hash>` unless that tag exists (then reuses it). */
export async function buildScratchImage(spec: ScratchImageSpec): Promise<ScratchImage> {
  const started = performance.now();
  const hash = await contentHash(spec);
  const name = `${spec.repository}:${hash}`;
  if ((await imageExists(name)) && !spec.force) {
    return { name, hash, built: false, durationMs: performance.now() - started };
  }
  await buildFromContext(name, tarStream(await contextEntries(spec)));
  return { name, hash, built: true, durationMs: performance.now() - started };
}

/** Whether the engine has an image tagged `name`. */
export async function imageExists(name: string): Promise<boolean> {
  const docker = (await dockerClient()).container.dockerode;
  return docker
    .getImage(name)
    .inspect()
    .then(
      () => true,
      (error: { statusCode?: number }) => (error.statusCode === 404 ? false : Promise.reject(error)),
    );
}

interface BuildEvent {
  stream?: string;
  error?: string;
  errorDetail?: { message?: string };
}

/** Builds the context tar stream `context` as image `name`; throws with the engine's message on failure. */
async function buildFromContext(name: string, context: NodeJS.ReadableStream): Promise<void> {
  const docker = (await dockerClient()).container.dockerode;
  const stream = await docker.buildImage(context, { t: name, rm: true, forcerm: true });
  const events = await new Promise<BuildEvent[]>((resolve, reject) => {
    docker.modem.followProgress(stream, (error: Error | null, output: BuildEvent[]) =>
      error ? reject(error) : resolve(output),
    );
  });
  // The engine reports a failed step in the stream with HTTP 200, so errors are found here.
  const failed = events.find((event) => event.error || event.errorDetail);
  if (failed) throw new Error(`docker build ${name} failed: ${failed.error ?? failed.errorDetail?.message}`);
}
