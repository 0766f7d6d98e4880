/**
 * Real containers through CRI on a real node, the sandbox (pause) image being the stub's
 * pullstorm/tiny:1.0. Observed with containerd 1.6.20 + runc 1.1.5:
 *
 * - arm64-only on amd64: StartContainer succeeds; the container exits at once with exitCode 1,
 *   reason `Error`, message `` (empty); its log (stderr) is `exec /pullstorm: exec format error`.
 * - missing executable: StartContainer fails, Unknown, `failed to create containerd task: failed
 *   to create shim task: OCI runtime create failed: runc create failed: unable to start container
 *   process: exec: "/nope": stat /nope: no such file or directory: unknown`; status exitCode 128,
 *   reason `StartError`.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ContainerdNode, startContainerdNode } from '../../../harness/backends/containerd/node.ts';
import { LOCAL_NAMESERVER } from '../../../harness/backends/containerd/resolv-conf.ts';
import { runPod } from '../../../harness/backends/containerd/run.ts';
import { mountsUnder, pidsInCgroup, shimPidsFor } from '../../../harness/backends/containerd/system.ts';
import { shimSocketPath } from '../../../harness/backends/containerd/teardown.ts';
import { fixtureImages } from '../../../registry-stubs/fixtures/catalogue.ts';
import { type RunningRegistry, startRegistry } from '../../../registry-stubs/index.ts';
import { containerdStatus, skipNote } from '../../helpers/containerd-status.ts';

const containerd = await containerdStatus();

let registry: RunningRegistry | undefined;
let node: ContainerdNode | undefined;
let host = '';

beforeAll(async () => {
  registry = await startRegistry({ images: fixtureImages({ include: ['tiny', 'arm64-only'] }) });
  host = `${registry.host}:${registry.port}`;
  node = await startContainerdNode({
    name: 'run',
    sandboxImage: `${host}/pullstorm/tiny:1.0`,
    registries: [{ host, server: `http://${host}` }],
  });
});

afterAll(async () => {
  await Promise.allSettled([node?.stop(), registry?.close()]);
});

describe.skipIf(!containerd.available)(`runPod${skipNote(containerd)}`, () => {
  it('runs pullstorm/tiny: it prints its line and keeps running', async () => {
    await using pod = await runPod(node!, { name: 'tiny', image: `${host}/pullstorm/tiny:1.0` });
    expect(pod.state).toBe('CONTAINER_RUNNING');
    expect(pod.log).toBe('pullstorm fixture (x86_64) running\n');
  });

  it('pulls arm64-only on amd64, then the container exits with exec format error', async () => {
    await using pod = await runPod(node!, { name: 'arm', image: `${host}/pullstorm/arm64-only:1.0` });
    expect(pod.startError).toBeUndefined();
    expect({ state: pod.state, exitCode: pod.exitCode, reason: pod.reason, message: pod.message }).toEqual({
      state: 'CONTAINER_EXITED',
      exitCode: 1,
      reason: 'Error',
      message: '',
    });
    expect(pod.log).toMatch(/^exec \/\S+: exec format error\n$/);
  });

  it('reports a missing executable as a StartContainer error', async () => {
    await using pod = await runPod(node!, {
      name: 'nope',
      image: `${host}/pullstorm/tiny:1.0`,
      command: ['/nope'],
    });
    expect(pod.startError?.codeName).toBe('Unknown');
    expect(pod.startError?.details).toContain('exec: "/nope": stat /nope: no such file or directory');
    expect(pod).toMatchObject({ state: 'CONTAINER_EXITED', exitCode: 128, reason: 'StartError' });
    expect(pod.message).toBe(pod.startError?.details);
  });
});

/** Pids of every process in the mount namespace `ns` (`mnt:[…]`, as /proc/<pid>/ns/mnt reads). */
async function pidsInMountNamespace(ns: string): Promise<number[]> {
  const pids = await readdir('/proc').then((all) => all.filter((e) => /^\d+$/.test(e)));
  const inside = await Promise.all(
    pids.map((pid) =>
      readlink(`/proc/${pid}/ns/mnt`).then(
        (n) => n === ns,
        () => false,
      ),
    ),
  );
  return pids.filter((_, i) => inside[i]).map(Number);
}

describe.skipIf(!containerd.available)(`stopping a node with a running pod${skipNote(containerd)}`, () => {
  it.each([
    { what: 'a node', options: {} },
    {
      what: 'a node with its own resolv.conf (private mount namespace)',
      options: { nameserver: LOCAL_NAMESERVER },
    },
  ])('$what leaves no process, shim socket, cgroup, mount or directory behind', async ({ options }) => {
    const victim = await startContainerdNode({
      name: 'victim',
      sandboxImage: `${host}/pullstorm/tiny:1.0`,
      registries: [{ host, server: `http://${host}` }],
      ...options,
    });
    let taskIds: string[] = [];
    const ownNamespace = await readlink('/proc/self/ns/mnt');
    const namespace = await readlink(`/proc/${victim.pid}/ns/mnt`);
    try {
      const pod = await runPod(victim, { name: 'left-running', image: `${host}/pullstorm/tiny:1.0` });
      expect(pod.state).toBe('CONTAINER_RUNNING');
      expect((await pidsInCgroup(victim.cgroupParent)).length).toBeGreaterThan(0);
      expect((await shimPidsFor(victim.socket)).length).toBeGreaterThan(0);
      taskIds = await readdir(join(victim.state, 'io.containerd.runtime.v2.task', 'k8s.io'));
      expect(taskIds.length).toBe(2); // the sandbox and the container
      if ('nameserver' in options) {
        expect(namespace).not.toBe(ownNamespace);
        // containerd (not unshare or sh: they exec in place) sees the node's file; this process does not.
        expect(await readFile(`/proc/${victim.pid}/cmdline`, 'utf8')).toMatch(/^containerd\0--config\0/);
        expect(await readFile(`/proc/${victim.pid}/root/etc/resolv.conf`, 'utf8')).toBe(
          await readFile(join(victim.dir, 'resolv.conf'), 'utf8'),
        );
        expect(await readFile('/etc/resolv.conf', 'utf8')).not.toContain(LOCAL_NAMESERVER);
        // The snapshot and shm mounts live in the node's namespace only.
        expect(await mountsUnder(victim.dir)).toEqual([]);
      } else {
        expect(namespace).toBe(ownNamespace);
      }
    } finally {
      await victim.stop(); // the pod is deliberately not removed first
    }
    expect(await shimPidsFor(victim.socket)).toEqual([]);
    expect(await pidsInCgroup(victim.cgroupParent)).toEqual([]);
    expect(existsSync(join('/sys/fs/cgroup/memory', victim.cgroupParent))).toBe(false);
    for (const id of taskIds) expect(existsSync(shimSocketPath(victim.socket, 'k8s.io', id))).toBe(false);
    expect(await mountsUnder(victim.dir)).toEqual([]);
    expect(existsSync(victim.dir)).toBe(false);
    // A private namespace ends with its last process, and its mounts with it.
    if (namespace !== ownNamespace) expect(await pidsInMountNamespace(namespace)).toEqual([]);
  });
});
