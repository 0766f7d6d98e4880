/**
 * Node faults on kind nodes. The dns fault runs on plain directories; disk-full and the size-limited
 * root use a real tmpfs, so they need root (mount), and are skipped with the reason otherwise.
 */
import { mkdtemp, readFile, statfs, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { KindNodePlan } from '../../../harness/backends/kind/config.ts';
import {
  BALLAST,
  fillRoot,
  prepareContainerdRoot,
  unmountContainerdRoot,
} from '../../../harness/backends/kind/disk.ts';
import {
  applyKindNodeFault,
  type KindNodeState,
  kindFaultTargets,
} from '../../../harness/backends/kind/faults.ts';
import { type NodeRegistryHost, writeNodeCertsD } from '../../../harness/backends/kind/hosts.ts';
import type { RunEvent } from '../../../harness/events/types.ts';
import type { Fault } from '../../../harness/scenario/resolved.ts';
import { unresolvableHost } from '../../../registry-stubs/faults/net/dns.ts';

const isRoot = process.getuid?.() === 0;
const hub: NodeRegistryHost = {
  registry: 'hub',
  host: 'hub.pullstorm.test:5000',
  server: 'http://hub.pullstorm.test:5000',
};
const plan = (name: string): KindNodePlan => ({
  role: 'worker',
  container: `c-${name}`,
  node: { name, group: name, kind: 'real', platform: 'linux/amd64' },
});
const fault = (over: Partial<Fault>): Fault => ({
  id: 'f1',
  fault: 'dns',
  options: {},
  scope: { route: 'any', probability: 1 },
  atMs: 0,
  ...over,
});

describe('kind node faults', () => {
  it('targets: scoped scenario nodes; disk-full only where there is a tmpfs root; never the bare control-plane', () => {
    const nodes: KindNodeState[] = [
      { plan: { role: 'control-plane', container: 'c-control-plane' }, certsD: '/x' },
      { plan: plan('a'), certsD: '/a' },
      { plan: plan('b'), certsD: '/b', root: '/b/containerd' },
    ];
    expect(kindFaultTargets(fault({}), nodes).map((n) => n.plan.node?.name)).toEqual(['a', 'b']);
    expect(
      kindFaultTargets(fault({ scope: { route: 'any', probability: 1, nodes: ['a'] } }), nodes),
    ).toHaveLength(1);
    expect(kindFaultTargets(fault({ fault: 'disk-full' }), nodes).map((n) => n.plan.node?.name)).toEqual([
      'b',
    ]);
  });

  it('dns: rewrites the scoped nodes’ hosts.toml, emits applied/cleared, and restores on clear', async () => {
    const dirA = await mkdtemp(join(tmpdir(), 'pullstorm-kind-a-'));
    const dirB = await mkdtemp(join(tmpdir(), 'pullstorm-kind-b-'));
    const nodes: KindNodeState[] = [
      { plan: plan('a'), certsD: dirA },
      { plan: plan('b'), certsD: dirB },
    ];
    for (const n of nodes) await writeNodeCertsD(n.certsD, [hub]);
    const log: RunEvent[] = [];
    const toml = (dir: string) => readFile(join(dir, 'hub.pullstorm.test:5000', 'hosts.toml'), 'utf8');
    const clear = await applyKindNodeFault(
      fault({ scope: { route: 'any', probability: 1, nodes: ['a'] } }),
      nodes,
      [hub],
      (e) => log.push(e),
    );
    expect(await toml(dirA)).toContain(`server = "http://${unresolvableHost('a')}:5000"`);
    expect(await toml(dirB)).toContain('server = "http://hub.pullstorm.test:5000"');
    await clear();
    expect(await toml(dirA)).toContain('server = "http://hub.pullstorm.test:5000"');
    expect(log.map((e) => e.kind)).toEqual(['fault.applied', 'fault.cleared']);
    expect(log[0]).toMatchObject({ id: 'f1', fault: 'dns', scope: { nodes: ['a'] } });
  });

  it('refuses a registry fault', async () => {
    await expect(applyKindNodeFault(fault({ fault: 'rate-limit' }), [], [], () => undefined)).rejects.toThrow(
      /not a node fault/,
    );
  });
});

describe.skipIf(!isRoot)(
  `kind tmpfs containerd root${isRoot ? '' : ' (skipped: mounting a tmpfs needs root)'}`,
  () => {
    const dirs: string[] = [];
    afterAll(async () => {
      for (const d of dirs) await unmountContainerdRoot(d);
    });

    it('seeded, then limited to seed + diskBytes; disk-full fills it to the brim and clearing frees it', async () => {
      const dir = join(await mkdtemp(join(tmpdir(), 'pullstorm-kind-root-')), 'containerd');
      dirs.push(dir);
      const seed = async (d: string) => writeFile(join(d, 'preloaded'), new Uint8Array(1 << 20));
      const { seedBytes } = await prepareContainerdRoot(dir, 2 << 20, 'unused', seed);
      expect(seedBytes).toBeGreaterThanOrEqual(1 << 20);
      const s = await statfs(dir);
      expect(s.blocks * s.bsize).toBeGreaterThanOrEqual(seedBytes + (2 << 20) - s.bsize);
      expect(s.blocks * s.bsize).toBeLessThan(seedBytes + (3 << 20));

      const log: RunEvent[] = [];
      const node: KindNodeState = { plan: plan('a'), certsD: dir, root: dir };
      const clear = await applyKindNodeFault(fault({ fault: 'disk-full' }), [node], [], (e) => log.push(e));
      expect((await statfs(dir)).bavail).toBe(0);
      await expect(writeFile(join(dir, 'more'), new Uint8Array(4096))).rejects.toMatchObject({
        code: 'ENOSPC',
      });
      await clear();
      expect((await statfs(dir)).bavail * s.bsize).toBeGreaterThan(1 << 20);
      expect(log.map((e) => e.kind)).toEqual(['fault.applied', 'fault.cleared']);
    });

    it("fillRoot honours freeBytes and fillPercent (the catalogue's options)", async () => {
      const dir = join(await mkdtemp(join(tmpdir(), 'pullstorm-kind-root-')), 'containerd');
      dirs.push(dir);
      await prepareContainerdRoot(dir, 4 << 20, 'unused', async () => undefined);
      const clear = await fillRoot(dir, { freeBytes: 1 << 20 });
      const s = await statfs(dir);
      expect(Math.abs(s.bavail * s.bsize - (1 << 20))).toBeLessThanOrEqual(s.bsize * 2);
      await clear();
      await expect(readFile(join(dir, BALLAST))).rejects.toMatchObject({ code: 'ENOENT' });
    });

    it('a failed seed leaves nothing mounted', async () => {
      const dir = join(await mkdtemp(join(tmpdir(), 'pullstorm-kind-root-')), 'containerd');
      await expect(
        prepareContainerdRoot(dir, 1 << 20, 'unused', async () => {
          throw new Error('seed failed');
        }),
      ).rejects.toThrow('seed failed');
      expect(await readFile('/proc/self/mountinfo', 'utf8')).not.toContain(dir);
    });
  },
);
