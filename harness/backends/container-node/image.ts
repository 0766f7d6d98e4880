/**
 * The containerd node image, `pullstorm/containerd-node:<content hash>`, built locally with no pull:
 * `FROM scratch` plus the host's containerd, containerd-shim-runc-v2, runc and ctr with the libraries
 * `ldd` lists for each, and the empty directories containerd expects. The config, hosts.toml files,
 * /etc/hosts and /etc/resolv.conf are bind-mounted per node at start (node.ts), so one image serves
 * every node and the tag changes only when a binary does.
 */
import { createHash } from 'node:crypto';
import { access, constants } from 'node:fs/promises';
import { join } from 'node:path';
import {
  buildFromContext,
  fileHash,
  imageExists,
  rootfsEntries,
  withParentDirs,
} from '../../containers/build.ts';
import { LABEL_COMPONENT, LABEL_PULLSTORM } from '../../containers/labels.ts';
import { binaryRootfs, type RootfsFile } from '../../containers/rootfs.ts';
import { type TarEntry, tarStream } from '../../containers/tar.ts';
import { NODE_PATHS } from './files.ts';

/** Repository of the node image: `pullstorm/containerd-node` (local to the engine, never pushed). */
export const NODE_IMAGE_REPOSITORY = 'pullstorm/containerd-node';
/** The `pullstorm.component` label of node images and containers: `containerd-node`. */
export const NODE_COMPONENT = 'containerd-node';
/** The binaries in the image, all installed under /usr/bin (the shim finds runc on PATH). */
export const NODE_BINARIES = ['containerd', 'containerd-shim-runc-v2', 'runc', 'ctr'] as const;

/** A node image ready to run. */
export interface NodeImage {
  /** `pullstorm/containerd-node:<hash>`. */
  name: string;
  /** First 16 hex digits of the content hash (Dockerfile, binaries, libraries). */
  hash: string;
  /** True when this call built it; false when the tag already existed. */
  built: boolean;
  /** Wall time of this call in milliseconds (hashing included). */
  durationMs: number;
}

const DOCKERFILE = `FROM scratch
COPY rootfs/ /
LABEL ${LABEL_PULLSTORM}="true" ${LABEL_COMPONENT}="${NODE_COMPONENT}"
ENV PATH=/usr/bin
ENTRYPOINT ["/usr/bin/containerd", "--config", "${NODE_PATHS.config}"]
`;

// Root's PATH may lack the sbin directories (runc lives in /usr/sbin on Debian).
const SEARCH = [...(process.env.PATH ?? '').split(':'), '/usr/local/sbin', '/usr/sbin', '/sbin'];

/** The host path of `binary` on PATH (plus the sbin directories); throws naming the package to install. */
export async function findHostBinary(binary: string): Promise<string> {
  for (const dir of SEARCH.filter((d) => d.startsWith('/'))) {
    const path = join(dir, binary);
    if (
      await access(path, constants.X_OK).then(
        () => true,
        () => false,
      )
    )
      return path;
  }
  throw new Error(
    `${binary} not found on PATH or in the sbin directories; the containerd node image is built from ` +
      "the host's binaries: install them (`apt-get install containerd runc`)",
  );
}

/** Options of `buildNodeImage()`. */
export interface BuildNodeImageOptions {
  /** Rebuild even when the tag exists; default false. */
  force?: boolean;
}

/** Builds the node image unless its tag exists (then reuses it). */
export async function buildNodeImage(options: BuildNodeImageOptions = {}): Promise<NodeImage> {
  const started = performance.now();
  const perBinary = await Promise.all(
    NODE_BINARIES.map(async (b) => binaryRootfs(await findHostBinary(b), `/usr/bin/${b}`)),
  );
  // Every binary lists libc and the loader; each library goes in once.
  const files = [...new Map(perBinary.flat().map((f) => [f.target, f])).values()];
  const hash = await contentHash(files);
  const name = `${NODE_IMAGE_REPOSITORY}:${hash}`;
  if ((await imageExists(name)) && !options.force) {
    return { name, hash, built: false, durationMs: performance.now() - started };
  }
  const dirs: TarEntry[] = [
    // /tmp world-writable and sticky as on any Linux; the rest are where containerd writes or reads.
    { type: 'dir', path: 'rootfs/tmp', mode: 0o1777 },
    ...[NODE_PATHS.state, NODE_PATHS.root, NODE_PATHS.certs, NODE_PATHS.cni, NODE_PATHS.opt].map(
      (path): TarEntry => ({ type: 'dir', path: `rootfs${path}`, mode: 0o755 }),
    ),
  ];
  const dockerfile: TarEntry = {
    type: 'file',
    path: 'Dockerfile',
    mode: 0o644,
    size: Buffer.byteLength(DOCKERFILE),
    content: DOCKERFILE,
  };
  const content = withParentDirs([...dirs, ...(await rootfsEntries(files))]);
  await buildFromContext(name, tarStream([dockerfile, ...content]));
  return { name, hash, built: true, durationMs: performance.now() - started };
}

async function contentHash(files: RootfsFile[]): Promise<string> {
  const hash = createHash('sha256').update('pullstorm-containerd-node/1\n').update(DOCKERFILE);
  for (const file of files) hash.update(`\n${file.target}\n${await fileHash(file.source)}`);
  return hash.digest('hex').slice(0, 16);
}

let shared: Promise<NodeImage> | undefined;

/** The node image for this process: built or found once, then shared by every node start. */
export function nodeImage(): Promise<NodeImage> {
  shared ??= buildNodeImage();
  // A failed build is retried on the next call (Docker may have been started meanwhile).
  shared.catch(() => {
    shared = undefined;
  });
  return shared;
}
