/**
 * Building pullstorm's `FROM scratch` images from host files: the context as a tar stream (tar.ts),
 * built by the local engine (a `FROM scratch` Dockerfile never pulls), tagged by a content hash so an
 * existing tag is reused. Shared by the stub image (stub-image.ts) and the containerd node image.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { posix } from 'node:path';
import { dockerClient } from './docker.ts';
import type { RootfsFile } from './rootfs.ts';
import type { TarEntry } from './tar.ts';

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
export async function buildFromContext(name: string, context: NodeJS.ReadableStream): Promise<void> {
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

/** Tar entries placing each host file at `<prefix><target>`, keeping its mode; default prefix `rootfs`. */
export async function rootfsEntries(files: readonly RootfsFile[], prefix = 'rootfs'): Promise<TarEntry[]> {
  return Promise.all(
    files.map(async (file): Promise<TarEntry> => {
      const { size, mode } = await stat(file.source);
      return {
        type: 'file',
        path: `${prefix}${file.target}`,
        mode: mode & 0o7777,
        size,
        source: file.source,
      };
    }),
  );
}

/**
 * `entries` preceded by every parent directory they lack, sorted, mode 0755 like any /usr, /lib
 * (tar extractors expect a directory before its content). Directories listed in `entries` keep theirs.
 */
export function withParentDirs(entries: readonly TarEntry[]): TarEntry[] {
  const listed = new Set(entries.filter((e) => e.type === 'dir').map((e) => e.path.replace(/\/$/, '')));
  const dirs = new Set<string>();
  for (const entry of entries) {
    for (let dir = posix.dirname(entry.path); dir !== '.' && !dirs.has(dir); dir = posix.dirname(dir)) {
      dirs.add(dir);
    }
  }
  const parents = [...dirs]
    .filter((dir) => !listed.has(dir))
    .sort()
    .map((path): TarEntry => ({ type: 'dir', path, mode: 0o755 }));
  return [...parents, ...entries];
}

// Hashing a 100 MB binary takes a noticeable fraction of a second; it changes only on reinstall.
const fileHashes = new Map<string, Promise<string>>();

/** SHA-256 (hex) of a host file, cached per path, size and mtime for the life of the process. */
export async function fileHash(path: string): Promise<string> {
  const info = await stat(path);
  const key = `${path}\0${info.size}\0${info.mtimeMs}`;
  let hashed = fileHashes.get(key);
  if (!hashed) {
    hashed = new Promise<string>((resolve, reject) => {
      const hash = createHash('sha256');
      createReadStream(path)
        .on('data', (chunk) => hash.update(chunk))
        .on('error', reject)
        .on('end', () => resolve(hash.digest('hex')));
    });
    // A failed read (file replaced mid-hash) must not stay cached.
    hashed.catch(() => fileHashes.delete(key));
    fileHashes.set(key, hashed);
  }
  return hashed;
}
