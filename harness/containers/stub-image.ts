/**
 * The registry stub's image, `pullstorm/stub:<content hash>`, built locally with no pull: `FROM scratch`
 * plus the Node binary, its shared libraries and the bundled CLI, through the one image builder
 * (build.ts). The tag is a hash of everything that goes in, so an existing tag is reused as is and
 * repeated starts skip the build.
 */
import { buildScratchImage, type ScratchImage } from './build.ts';
import { bundleCli } from './bundle.ts';
import { IMAGE_NODE_PATH, nodeRootfs } from './rootfs.ts';

/** Repository of the stub image: `pullstorm/stub` (never pushed anywhere; local to the engine). */
export const STUB_IMAGE_REPOSITORY = 'pullstorm/stub';
/** Port the stub listens on inside its container: 5000. */
export const STUB_CONTAINER_PORT = 5000;
/** Where the bundled CLI is in the image: /app/pullstorm.mjs. */
export const IMAGE_BUNDLE_PATH = '/app/pullstorm.mjs';

/** A stub image ready to run; its hash covers the bundle, the Node binary, its libraries and the Dockerfile. */
export type StubImage = ScratchImage;

/** Options of `buildStubImage()`. */
export interface BuildStubImageOptions {
  /** Rebuild even when the tag exists; default false. */
  force?: boolean;
  /** Module bundled as /app/pullstorm.mjs; default harness/cli/stub-main.ts (CLI_ENTRY). */
  entry?: string;
}

/** Builds the stub image unless its tag exists (then reuses it); the time includes bundling. */
export async function buildStubImage(options: BuildStubImageOptions = {}): Promise<StubImage> {
  const started = performance.now();
  const [bundle, files] = await Promise.all([bundleCli(options.entry), nodeRootfs()]);
  const image = await buildScratchImage({
    repository: STUB_IMAGE_REPOSITORY,
    component: 'registry-stub',
    // Two layers: Node and its libraries change only with a Node upgrade, so the engine's build cache
    // shares that ~130 MB layer between every stub image, and each new bundle adds about 1 MB.
    // /tmp is there for `serve --tls` without --tls-dir, which writes its CA to a new temp dir; it is
    // world-writable and sticky as on any Linux, though the stub runs as root.
    layers: [
      { files, dirs: [{ path: '/tmp', mode: 0o1777 }] },
      { content: [{ path: IMAGE_BUNDLE_PATH, data: bundle }] },
    ],
    env: { PATH: '/usr/local/bin' },
    expose: [STUB_CONTAINER_PORT],
    entrypoint: [
      IMAGE_NODE_PATH,
      IMAGE_BUNDLE_PATH,
      'serve',
      '--host',
      '0.0.0.0',
      '--port',
      `${STUB_CONTAINER_PORT}`,
    ],
    ...(options.force === undefined ? {} : { force: options.force }),
  });
  return { ...image, durationMs: performance.now() - started };
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
