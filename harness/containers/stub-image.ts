/**
 * The registry stub's image, `pullstorm/stub:<content hash>`, built locally with no pull: `FROM scratch`
 * plus the Node binary, its shared libraries and the bundled CLI. The tag is a hash of everything that
 * goes in, so an existing tag is reused as is and repeated starts skip the build.
 */
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { buildFromContext, fileHash, imageExists, rootfsEntries, withParentDirs } from './build.ts';
import { bundleCli } from './bundle.ts';
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
  /** Module bundled as /app/pullstorm.mjs; default harness/cli/stub-main.ts (CLI_ENTRY). */
  entry?: string;
}

/** Builds the stub image unless its tag exists (then reuses it). */
export async function buildStubImage(options: BuildStubImageOptions = {}): Promise<StubImage> {
  const started = performance.now();
  const [bundle, files] = await Promise.all([bundleCli(options.entry), nodeRootfs()]);
  const hash = await contentHash(bundle, files);
  const name = `${STUB_IMAGE_REPOSITORY}:${hash}`;
  if ((await imageExists(name)) && !options.force) {
    return { name, hash, built: false, durationMs: performance.now() - started };
  }
  await buildFromContext(name, await contextTar(bundle, files));
  return { name, hash, built: true, durationMs: performance.now() - started };
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
  content.push(...(await rootfsEntries(files)));
  return tarStream([
    {
      type: 'file',
      path: 'Dockerfile',
      mode: 0o644,
      size: Buffer.byteLength(DOCKERFILE),
      content: DOCKERFILE,
    },
    ...withParentDirs(content),
  ]);
}

async function contentHash(bundle: string, files: RootfsFile[]): Promise<string> {
  const hash = createHash('sha256').update('pullstorm-stub/1\n').update(DOCKERFILE).update(bundle);
  for (const file of files) hash.update(`\n${file.target}\n${await fileHash(file.source)}`);
  return hash.digest('hex').slice(0, 16);
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
