/**
 * The files a `FROM scratch` image needs to run Node: the real binary, exactly the shared libraries
 * `ldd` lists for it, and the dynamic loader — each at the path the binary will look for it.
 */
import { realpath } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { runtimeName } from '../runtime.ts';

/** One file of the image: where it is on the host and where it goes in the image. */
export interface RootfsFile {
  /** Path on the host (symlinks resolved, so the real content is copied). */
  source: string;
  /** Absolute path inside the image. */
  target: string;
}

/** The path inside the image where Node is installed: /usr/local/bin/node. */
export const IMAGE_NODE_PATH = '/usr/local/bin/node';

const PINNED_NODE = fileURLToPath(new URL('../../node_modules/.bin/node', import.meta.url));

/**
 * The Node binary to put in the image: the project's pinned one (node_modules/.bin/node, a symlink to
 * the `node` package's real binary), else the one running this process when that is Node, resolved.
 */
async function hostNodeBinary(): Promise<string> {
  try {
    return await realpath(PINNED_NODE);
  } catch {
    if (runtimeName === 'node') return realpath(process.execPath);
    throw new Error(`no Node binary to put in the image: ${PINNED_NODE} is missing (run npm install)`);
  }
}

/**
 * Parses `ldd` output into the libraries to copy: `name => /path (addr)` lines and the loader's
 * `/path (addr)` line. The vDSO has no file and is skipped; `not found` is an error, since the
 * binary would not start in the image.
 */
export function parseLdd(output: string): string[] {
  const paths: string[] = [];
  for (const line of output.split('\n').map((l) => l.trim())) {
    if (line === '' || line.startsWith('linux-vdso') || line.startsWith('linux-gate')) continue;
    if (line.includes('=> not found')) throw new Error(`ldd: a library the binary needs is missing: ${line}`);
    if (line === 'statically linked' || line.includes('not a dynamic executable')) continue;
    const match = /^(?:\S+\s+=>\s+)?(\/\S+)\s+\(0x[0-9a-f]+\)$/i.exec(line);
    if (!match?.[1]) throw new Error(`ldd: unexpected line '${line}'`);
    paths.push(match[1]);
  }
  return paths;
}

/** The binary and its libraries as image files; needs `ldd` (glibc's, on Linux). */
export async function nodeRootfs(binary?: string): Promise<RootfsFile[]> {
  return binaryRootfs(binary ?? (await hostNodeBinary()), IMAGE_NODE_PATH);
}

/**
 * Any host binary as image files: the binary (symlinks resolved) at `target`, then the libraries `ldd`
 * lists for it, each at the path ldd printed. Needs `ldd` (glibc's, on Linux).
 */
export async function binaryRootfs(binary: string, target: string): Promise<RootfsFile[]> {
  let output: string;
  try {
    ({ stdout: output } = await execa('ldd', [binary]));
  } catch (error) {
    throw new Error(`ldd ${binary} failed; images are built from the host's binaries and need ldd`, {
      cause: error,
    });
  }
  // The image keeps each library at the path ldd printed (e.g. /lib64/ld-linux-x86-64.so.2, the
  // interpreter path baked into the binary) but with the content of the file the symlink points to.
  const libraries = await Promise.all(
    parseLdd(output).map(async (path) => ({ source: await realpath(path), target: path })),
  );
  return [{ source: await realpath(binary), target }, ...libraries];
}
