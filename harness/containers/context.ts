/**
 * The build context of a pullstorm image (build.ts): the spec's types, its Dockerfile, the tar entries
 * of each layer and the content hash that tags it. No engine here: only host files are read.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { posix } from 'node:path';
import { LABEL_COMPONENT, LABEL_PULLSTORM } from './labels.ts';
import type { RootfsFile } from './rootfs.ts';
import type { TarEntry } from './tar.ts';

/** One image layer (one `COPY`); every path is absolute inside the image. */
export interface ImageLayer {
  /** Host files, each placed at its `target` with the host file's mode. */
  files?: readonly RootfsFile[];
  /** Files given as text or bytes. Default mode 0644. */
  content?: readonly { path: string; data: string | Uint8Array; mode?: number }[];
  /** Directories to create empty with their mode (e.g. /tmp 01777); files' parents come as 0755. */
  dirs?: readonly { path: string; mode: number }[];
}

/** What `buildScratchImage()` builds. */
export interface ScratchImageSpec {
  /** Repository, e.g. `pullstorm/stub`; the tag is the content hash (local to the engine, never pushed). */
  repository: string;
  /** Value of the `pullstorm.component` label, e.g. `registry-stub`. */
  component: string;
  /** Labels besides `pullstorm=true` and `pullstorm.component`. Default none. */
  labels?: Readonly<Record<string, string>>;
  /** The layers in order. Put what rarely changes first: the engine's cache then shares it between tags. */
  layers: readonly ImageLayer[];
  /** Exec-form entrypoint. */
  entrypoint: readonly string[];
  env?: Readonly<Record<string, string>>;
  expose?: readonly number[];
  /** Rebuild even when the tag exists; default false. */
  force?: boolean;
}

/** The Dockerfile of `spec`: one `COPY layer<i>/ /` per layer, then labels and the run settings (pure). */
export function renderDockerfile(spec: Omit<ScratchImageSpec, 'force'>): string {
  const labels = { [LABEL_PULLSTORM]: 'true', [LABEL_COMPONENT]: spec.component, ...spec.labels };
  const lines = [
    'FROM scratch',
    ...spec.layers.map((_, i) => `COPY layer${i}/ /`),
    // Values quoted (JSON escapes are the Dockerfile's too), so spaces and quotes survive.
    `LABEL ${Object.entries(labels)
      .map(([key, value]) => `${key}=${JSON.stringify(value)}`)
      .join(' ')}`,
    ...Object.entries(spec.env ?? {}).map(([key, value]) => `ENV ${key}=${JSON.stringify(value)}`),
    ...(spec.expose ?? []).map((port) => `EXPOSE ${port}`),
    `ENTRYPOINT ${JSON.stringify(spec.entrypoint)}`,
  ];
  return `${lines.join('\n')}\n`;
}

/** The whole context: the Dockerfile, then each layer under `layer<i>/`. */
export async function contextEntries(spec: Omit<ScratchImageSpec, 'force'>): Promise<TarEntry[]> {
  const dockerfile = renderDockerfile(spec);
  const layers = await Promise.all(spec.layers.map((layer, i) => layerEntries(`layer${i}`, layer)));
  const file: TarEntry = {
    type: 'file',
    path: 'Dockerfile',
    mode: 0o644,
    size: Buffer.byteLength(dockerfile),
    content: dockerfile,
  };
  return [file, ...layers.flat()];
}

/** The tar entries of one layer under `prefix`, parents first (tar extractors expect a directory before its content). */
async function layerEntries(prefix: string, layer: ImageLayer): Promise<TarEntry[]> {
  const hostFiles = await Promise.all(
    (layer.files ?? []).map(async (file): Promise<TarEntry> => {
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
  const content = (layer.content ?? []).map(
    ({ path, data, mode = 0o644 }): TarEntry => ({
      type: 'file',
      path: `${prefix}${path}`,
      mode,
      size: typeof data === 'string' ? Buffer.byteLength(data) : data.length,
      content: data,
    }),
  );
  const dirs = (layer.dirs ?? []).map(
    ({ path, mode }): TarEntry => ({ type: 'dir', path: `${prefix}${path}`, mode }),
  );
  return withParentDirs([...dirs, ...content, ...hostFiles]);
}

/**
 * `entries` preceded by every parent directory they lack, sorted, mode 0755 like any /usr, /lib.
 * Directories listed in `entries` keep theirs (pure).
 */
function withParentDirs(entries: readonly TarEntry[]): TarEntry[] {
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

/** First 16 hex digits of the SHA-256 of the Dockerfile and every file's path, mode and content. */
export async function contentHash(spec: Omit<ScratchImageSpec, 'force'>): Promise<string> {
  const hash = createHash('sha256').update('pullstorm-scratch-image/1\n').update(renderDockerfile(spec));
  for (const [i, layer] of spec.layers.entries()) {
    hash.update(`\nlayer ${i}`);
    for (const dir of layer.dirs ?? []) hash.update(`\ndir ${dir.path} ${dir.mode}`);
    for (const file of layer.content ?? [])
      hash.update(`\nfile ${file.path} ${file.mode ?? 0o644}\n`).update(file.data);
    for (const file of layer.files ?? []) {
      // Read fresh, not with the cached content hash: a chmod leaves size and mtime alone.
      const mode = (await stat(file.source)).mode & 0o7777;
      hash.update(`\nhost ${file.target} ${mode}\n${await fileHash(file.source)}`);
    }
  }
  return hash.digest('hex').slice(0, 16);
}

// Hashing a 100 MB binary takes a noticeable fraction of a second; it changes only on reinstall.
const fileHashes = new Map<string, Promise<string>>();

/** SHA-256 (hex) of a host file, cached per path, size and mtime for the life of the process. */
async function fileHash(path: string): Promise<string> {
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
