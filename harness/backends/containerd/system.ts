/**
 * The host-side chores of a containerd node: mounts (size-limited tmpfs root, the overlay
 * probe, unmounting what containerd left), and the cgroup subtree its pods run in. Uses the
 * `mount`/`umount` binaries through execa and reads /proc; Linux and root only.
 */
import { mkdir, readdir, readFile, rm, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';

/** Mounts a tmpfs of `bytes` at `dir`, so a full disk is a bounded full tmpfs, never the host's. */
export async function mountTmpfs(dir: string, bytes: number): Promise<void> {
  await mkdir(dir, { recursive: true });
  await execa('mount', ['-t', 'tmpfs', '-o', `size=${bytes},mode=0711`, 'pullstorm-tmpfs', dir]);
}

/**
 * Whether an overlay mount works with upper and work dirs inside `dir` — what containerd's
 * overlayfs snapshotter needs. It fails when `dir` is itself on overlayfs (a node inside a
 * container) or the kernel lacks overlay; the node then falls back to the native snapshotter.
 */
export async function overlayWorksIn(dir: string): Promise<boolean> {
  const probe = join(dir, '.pullstorm-overlay-probe');
  const [lower, upper, work, merged] = ['l', 'u', 'w', 'm'].map((d) => join(probe, d)) as [
    string,
    string,
    string,
    string,
  ];
  try {
    await Promise.all([lower, upper, work, merged].map((d) => mkdir(d, { recursive: true })));
    const opts = `lowerdir=${lower},upperdir=${upper},workdir=${work}`;
    const r = await execa('mount', ['-t', 'overlay', 'overlay', '-o', opts, merged], { reject: false });
    if (r.exitCode !== 0) return false;
    await execa('umount', [merged]);
    return true;
  } finally {
    await rm(probe, { recursive: true, force: true });
  }
}

/** Mount points at or under `dir`, deepest first (the order they must be unmounted in). */
export async function mountsUnder(dir: string): Promise<string[]> {
  const info = await readFile('/proc/self/mountinfo', 'utf8');
  // Field 5 is the mount point with space, tab, newline and backslash octal-escaped.
  const points = info
    .split('\n')
    .map((line) => line.split(' ')[4])
    .filter((p): p is string => p !== undefined)
    .map((p) => p.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(Number.parseInt(o, 8))));
  const prefix = dir.endsWith('/') ? dir : `${dir}/`;
  return [...new Set(points.filter((p) => p === dir || p.startsWith(prefix)))].sort(
    (a, b) => b.length - a.length,
  );
}

/** Unmounts everything at or under `dir`; lazily (`-l`) if busy. Returns what is still mounted. */
export async function unmountAllUnder(dir: string): Promise<string[]> {
  for (const point of await mountsUnder(dir)) {
    const r = await execa('umount', [point], { reject: false });
    if (r.exitCode !== 0) await execa('umount', ['-l', point], { reject: false });
  }
  return mountsUnder(dir);
}

const cgroupRoot = '/sys/fs/cgroup';

/** Directories of the cgroup `path` (e.g. `/pullstorm/run/node`) in every mounted hierarchy. */
async function cgroupDirs(path: string): Promise<string[]> {
  const entries = await readdir(cgroupRoot, { withFileTypes: true }).catch(() => []);
  // cgroup v2 has the path directly under the root; v1 has one directory per controller.
  const bases = [cgroupRoot, ...entries.filter((e) => e.isDirectory()).map((e) => join(cgroupRoot, e.name))];
  return bases.map((b) => join(b, path));
}

/** Pids in the cgroup subtree `path` (every hierarchy), i.e. the node's pod processes. */
export async function pidsInCgroup(path: string): Promise<number[]> {
  const pids = new Set<number>();
  async function walk(dir: string): Promise<void> {
    const procs = await readFile(join(dir, 'cgroup.procs'), 'utf8').catch(() => '');
    for (const p of procs.split('\n')) if (p) pids.add(Number(p));
    const children = await readdir(dir, { withFileTypes: true }).catch(() => []);
    await Promise.all(children.filter((c) => c.isDirectory()).map((c) => walk(join(dir, c.name))));
  }
  await Promise.all((await cgroupDirs(path)).map(walk));
  return [...pids];
}

/**
 * Removes the (empty) cgroup subtree `path` in every hierarchy, children first, then its now
 * empty ancestors (`/pullstorm/<run>`, `/pullstorm`); whatever is busy or shared is left alone.
 */
export async function removeCgroup(path: string): Promise<void> {
  async function remove(dir: string): Promise<void> {
    const children = await readdir(dir, { withFileTypes: true }).catch(() => []);
    await Promise.all(children.filter((c) => c.isDirectory()).map((c) => remove(join(dir, c.name))));
    await rmdir(dir).catch(() => undefined); // cgroupfs: rmdir of an empty cgroup, never rm -r
  }
  await Promise.all((await cgroupDirs(path)).map(remove));
  const parts = path.split('/').filter(Boolean);
  for (let n = parts.length - 1; n >= 1; n--) {
    const ancestor = `/${parts.slice(0, n).join('/')}`;
    await Promise.all((await cgroupDirs(ancestor)).map((d) => rmdir(d).catch(() => undefined)));
  }
}

/** Pids of containerd shims serving the daemon at `socket` (found by their `-address` argument). */
export async function shimPidsFor(socket: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const argv = (await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '')).split('\0');
    const at = argv.indexOf('-address');
    if (argv[0]?.includes('containerd-shim') && at >= 0 && argv[at + 1] === socket) pids.push(Number(entry));
  }
  return pids;
}
