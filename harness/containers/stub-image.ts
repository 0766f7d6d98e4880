/**
 * The registry stub's image, `pullstorm/stub:<content hash>`, built locally with no pull: `FROM scratch`
 * plus the Node binary, its shared libraries and the bundled CLI. The tag is a hash of everything that
 * goes in, so an existing tag is reused as is and repeated starts skip the build.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { posix } from 'node:path';
import { bundleCli } from './bundle.ts';
import { dockerClient } from './docker.ts';
import { LABEL_COMPONENT, LABEL_PULLSTORM } from './labels.ts';
import { IMAGE_NODE_PATH, nodeRootfs, type RootfsFile } from './rootfs.ts';
import { type TarEntry, tarStream } from './tar.ts';

/** Repository of the stub image: `pullstorm/stub` (never pushed anywhere; local to the engine). */
export const STUB_IMAGE_REPOSITORY = 'pullstorm/stub';
/** Port the stub listens on inside its container: 5000. */
export const STUB_CONTAINER_PORT = 5000;
/** Where the bundled CLI is in the image: /app/pullstorm.mjs. */
export const IMAGE_BUNDLE_PATH = '/app/pullstorm.mjs';

/** A stub image ready to run. */
export interface StubImage {
  /** `pullstorm/stub:<hash>`. */
  name: string;
  /** First 16 hex digits of the content hash (bundle, Node binary, libraries, Dockerfile). */
  hash: string;
  /** True when this call built it; false when the tag already existed. */
  built: boolean;
  /** Wall time of this call in milliseconds (bundling and hashing included). */
  durationMs: number;
}

// Two layers: Node and its libraries change only with a Node upgrade, so the engine's build cache
// shares that ~130 MB layer between every stub image, and each new bundle adds about 1 MB.
// /tmp is there for `serve --tls` without --tls-dir, which writes its CA to a new temp dir.
const DOCKERFILE = `FROM scratch
COPY rootfs/ /
COPY app/ /app/
LABEL ${LABEL_PULLSTORM}="true" ${LABEL_COMPONENT}="registry-stub"
ENV PATH=/usr/local/bin
EXPOSE ${STUB_CONTAINER_PORT}
ENTRYPOINT ["${IMAGE_NODE_PATH}", "${IMAGE_BUNDLE_PATH}", "serve", "--host", "0.0.0.0", "--port", "${STUB_CONTAINER_PORT}"]
`;

/** Options of `buildStubImage()`. */
export interface BuildStubImageOptions {
  /** Rebuild even when the tag exists; default false. */
  force?: boolean;
  /** Module bundled as /app/pullstorm.mjs; default harness/cli/main.ts (CLI_ENTRY). */
  entry?: string;
}

/** Builds the stub image unless its tag exists (then reuses it). */
export async function buildStubImage(options: BuildStubImageOptions = {}): Promise<StubImage> {
  const started = performance.now();
  const docker = (await dockerClient()).container.dockerode;
  const [bundle, files] = await Promise.all([bundleCli(options.entry), nodeRootfs()]);
  const hash = await contentHash(bundle, files);
  const name = `${STUB_IMAGE_REPOSITORY}:${hash}`;
  const exists = await docker
    .getImage(name)
    .inspect()
    .then(
      () => true,
      (error: { statusCode?: number }) => (error.statusCode === 404 ? false : Promise.reject(error)),
    );
  if (exists && !options.force) return { name, hash, built: false, durationMs: performance.now() - started };

  const stream = await docker.buildImage(await contextTar(bundle, files), {
    t: name,
    rm: true,
    forcerm: true,
  });
  const events = await new Promise<BuildEvent[]>((resolve, reject) => {
    docker.modem.followProgress(stream, (error: Error | null, output: BuildEvent[]) =>
      error ? reject(error) : resolve(output),
    );
  });
  // The engine reports a failed step in the stream with HTTP 200, so errors are found here.
  const failed = events.find((event) => event.error || event.errorDetail);
  if (failed) throw new Error(`docker build ${name} failed: ${failed.error ?? failed.errorDetail?.message}`);
  return { name, hash, built: true, durationMs: performance.now() - started };
}

interface BuildEvent {
  stream?: string;
  error?: string;
  errorDetail?: { message?: string };
}

/** The build context as a tar stream: Dockerfile, rootfs/ (Node, libraries, /tmp), app/ (the bundle). */
async function contextTar(bundle: string, files: RootfsFile[]): Promise<NodeJS.ReadableStream> {
  const bundleBytes = new TextEncoder().encode(bundle);
  const content: TarEntry[] = [
    // /tmp is world-writable and sticky as on any Linux, though the stub runs as root.
    { type: 'dir', path: 'rootfs/tmp', mode: 0o1777 },
    {
      type: 'file',
      path: `app/${posix.basename(IMAGE_BUNDLE_PATH)}`,
      mode: 0o644,
      size: bundleBytes.length,
      content: bundleBytes,
    },
  ];
  for (const file of files) {
    const { size, mode } = await stat(file.source);
    content.push({
      type: 'file',
      path: `rootfs${file.target}`,
      mode: mode & 0o7777,
      size,
      source: file.source,
    });
  }
  // Parent directories first, as tar extractors expect; mode 0755 like any /usr, /lib.
  const dirs = new Set<string>();
  for (const entry of content) {
    for (let dir = posix.dirname(entry.path); dir !== '.' && !dirs.has(dir); dir = posix.dirname(dir)) {
      dirs.add(dir);
    }
  }
  return tarStream([
    {
      type: 'file',
      path: 'Dockerfile',
      mode: 0o644,
      size: Buffer.byteLength(DOCKERFILE),
      content: DOCKERFILE,
    },
    ...[...dirs].sort().map((path): TarEntry => ({ type: 'dir', path, mode: 0o755 })),
    ...content,
  ]);
}

async function contentHash(bundle: string, files: RootfsFile[]): Promise<string> {
  const hash = createHash('sha256').update('pullstorm-stub/1\n').update(DOCKERFILE).update(bundle);
  for (const file of files) hash.update(`\n${file.target}\n${await fileHash(file.source)}`);
  return hash.digest('hex').slice(0, 16);
}

// Hashing the Node binary takes a noticeable fraction of a second; it changes only on reinstall.
const fileHashes = new Map<string, Promise<string>>();

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
    fileHashes.set(key, hashed);
  }
  return hashed;
}

let shared: Promise<StubImage> | undefined;

/** The stub image for this process: built or found once, then shared by every start. */
export function stubImage(): Promise<StubImage> {
  shared ??= buildStubImage();
  // A failed build is retried on the next call (Docker may have been started meanwhile).
  shared.catch(() => {
    shared = undefined;
  });
  return shared;
}
