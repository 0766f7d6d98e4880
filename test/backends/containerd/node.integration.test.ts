import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isCriError } from '../../../harness/backends/containerd/cri/errors.ts';
import { startContainerdNode, startNodes } from '../../../harness/backends/containerd/node.ts';
import { mountsUnder, shimPidsFor } from '../../../harness/backends/containerd/system.ts';
import { containerdStatus, skipNote } from '../../helpers/containerd-status.ts';

const containerd = await containerdStatus();

/** A real HTTP endpoint that answers 404 to everything and records what it was asked. */
async function recorder(label: string, log: string[]): Promise<Server & AsyncDisposable & { host: string }> {
  const server = createServer((req, res) => {
    log.push(`${label} ${req.method} ${req.url}`);
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(server, {
    host: `127.0.0.1:${port}`,
    [Symbol.asyncDispose]: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

describe.skipIf(!containerd.available)(`containerd node${skipNote(containerd)}`, () => {
  it('starts, answers CRI Version, and leaves nothing behind when stopped', async () => {
    const node = await startContainerdNode({ name: 'solo' });
    try {
      expect(node.version).toMatchObject({ runtimeName: 'containerd', runtimeApiVersion: 'v1' });
      expect(await node.cri.version()).toEqual(node.version);
      expect(node.snapshotter).toBe('overlayfs'); // root is on ext4 here; a container root would fall back
      expect(await readFile(node.logFile, 'utf8')).toContain('containerd successfully booted');
      expect(await node.cri.listImages()).toEqual([]);
      const [fs] = await node.cri.imageFsInfo();
      expect(fs?.fsId?.mountpoint).toBe(`${node.root}/io.containerd.snapshotter.v1.overlayfs`);
    } finally {
      await node.stop();
    }
    expect(existsSync(node.dir)).toBe(false);
    expect(await mountsUnder(node.dir)).toEqual([]);
    expect(() => process.kill(node.pid, 0)).toThrow();
    await node.stop(); // idempotent
  });

  it('runs two nodes side by side on different sockets', async () => {
    await using nodes = await startNodes(2, { namePrefix: 'pair' });
    const [a, b] = [nodes[0]!, nodes[1]!];
    expect(a.socket).not.toBe(b.socket);
    expect(a.runId).toBe(b.runId);
    const versions = await Promise.all(nodes.map((n) => n.cri.version()));
    expect(versions.map((v) => v.runtimeName)).toEqual(['containerd', 'containerd']);
    expect(await shimPidsFor(a.socket)).toEqual([]);
  });

  it('mounts a size-limited tmpfs as the root and unmounts it on stop', async () => {
    const node = await startContainerdNode({ name: 'tmpfs', rootTmpfsBytes: 64 * 1024 * 1024 });
    try {
      const mounts = await readFile('/proc/self/mounts', 'utf8');
      expect(mounts).toMatch(new RegExp(`^pullstorm-tmpfs ${node.root} tmpfs \\S*size=65536k`, 'm'));
    } finally {
      await node.stop();
    }
    expect(await mountsUnder(node.dir)).toEqual([]);
  });

  it('removes everything it created when containerd fails to start', async () => {
    const dir = join(tmpdir(), `pullstorm-failstart-${process.pid}`);
    // An unknown log level makes containerd exit at once; the error carries its log tail.
    const start = startContainerdNode({
      name: 'fails',
      dir,
      logLevel: 'bogus' as 'info',
      rootTmpfsBytes: 8 << 20,
    });
    await expect(start).rejects.toThrow(/containerd exited during start \(exit code 1\)[\s\S]*bogus/);
    expect(existsSync(dir)).toBe(false);
    expect(await mountsUnder(dir)).toEqual([]);
  });

  it('rejects bad options with every problem at once', async () => {
    await expect(
      startContainerdNode({ name: 'x', platform: 'linux/arm64', rootTmpfsBytes: 5 }),
    ).rejects.toThrow(/platform must be the host's[\s\S]*rootTmpfsBytes/);
    await expect(startContainerdNode({ name: 'bad name!' })).rejects.toBeInstanceOf(TypeError);
  });

  it('tries [host] entries in file order, then server; _default only when no host:port dir exists', async () => {
    const seen: string[] = [];
    await using origin = await recorder('origin', seen);
    await using mirrorA = await recorder('mirrorA', seen);
    await using mirrorB = await recorder('mirrorB', seen);
    await using other = await recorder('other', seen);
    await using node = await startContainerdNode({
      name: 'order',
      registries: [
        {
          host: origin.host,
          server: `http://${origin.host}`,
          hosts: [
            { url: `http://${mirrorA.host}`, capabilities: ['pull', 'resolve'] },
            { url: `http://${mirrorB.host}`, capabilities: ['pull', 'resolve'] },
          ],
        },
        { host: '_default', hosts: [{ url: `http://${mirrorB.host}`, capabilities: ['pull', 'resolve'] }] },
      ],
    });
    const ref = `${origin.host}/team/app:1.0`;
    const err = await node.cri.pullImage(ref).catch((e: unknown) => e);
    // containerd URL-encodes ns (`?ns=127.0.0.1%3A5000`). Observed: every host answered 404, so the resolver moved on silently and ended in NotFound.
    expect(isCriError(err, 'NotFound')).toBe(true);
    expect(isCriError(err) && err.details).toBe(
      `failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": ${ref}: not found`,
    );
    expect(seen).toEqual([
      `mirrorA HEAD /v2/team/app/manifests/1.0?ns=${encodeURIComponent(origin.host)}`,
      `mirrorB HEAD /v2/team/app/manifests/1.0?ns=${encodeURIComponent(origin.host)}`,
      'origin HEAD /v2/team/app/manifests/1.0',
    ]);
    seen.length = 0;
    const otherRef = `${other.host}/team/app:1.0`;
    await expect(node.cri.pullImage(otherRef)).rejects.toMatchObject({ codeName: 'NotFound' });
    expect(seen).toEqual([
      `mirrorB HEAD /v2/team/app/manifests/1.0?ns=${encodeURIComponent(other.host)}`,
      'other HEAD /v2/team/app/manifests/1.0',
    ]);
  });
});
