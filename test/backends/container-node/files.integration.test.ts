/** The pure parts of container nodes: the files they mount, options, the gateway lookup, DNS answers. */
import { Resolver } from 'node:dns/promises';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  acquireNxdomainResolver,
  hostsEntries,
  nxdomainResponse,
  renderHostsFile,
  renderNodeConfig,
  renderResolvConf,
  resolveContainerNodeOptions,
  writeContainerRegistry,
} from '../../../harness/backends/container-node/index.ts';
import { inSubnet, localAddresses } from '../../../harness/backends/container-node/network.ts';

describe('node files', () => {
  it('config.toml uses the standard paths inside the container and overlayfs', () => {
    const toml = renderNodeConfig('r.test:5000/pause:1');
    expect(toml).toContain('root = "/var/lib/containerd"');
    expect(toml).toContain('state = "/run/containerd"');
    expect(toml).toContain('address = "/run/containerd/containerd.sock"');
    expect(toml).toContain('config_path = "/etc/containerd/certs.d"');
    expect(toml).toContain('snapshotter = "overlayfs"');
    expect(toml).toContain('sandbox_image = "r.test:5000/pause:1"');
  });

  it('/etc/hosts lists loopback, then the entries in order', () => {
    const text = renderHostsFile(new Map([['registry.pullstorm', '172.17.0.1']]));
    expect(text.split('\n').slice(1)).toEqual([
      '127.0.0.1\tlocalhost',
      '::1\tlocalhost ip6-localhost ip6-loopback',
      '172.17.0.1\tregistry.pullstorm',
      '',
    ]);
  });

  it('resolv.conf names one nameserver and refuses anything but an IP', () => {
    expect(renderResolvConf('172.17.0.1')).toMatch(/^nameserver 172\.17\.0\.1$/m);
    expect(() => renderResolvConf('gateway')).toThrow(TypeError);
  });

  it('hosts entries rewrite the file in place (same inode: the bind mount keeps seeing it)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pullstorm-hosts-'));
    try {
      const file = join(dir, 'hosts');
      const hosts = hostsEntries(file, { 'a.test': '10.0.0.1' });
      await hosts.write();
      const inode = (await stat(file)).ino;
      await hosts.set('b.test', '10.0.0.2');
      await hosts.set('a.test', null);
      expect(hosts.entries()).toEqual({ 'b.test': '10.0.0.2' });
      expect(await readFile(file, 'utf8')).toContain('10.0.0.2\tb.test');
      expect(await readFile(file, 'utf8')).not.toContain('a.test');
      expect((await stat(file)).ino).toBe(inode);
      await expect(hosts.set('b.test', 'not-an-ip')).rejects.toThrow(TypeError);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a registry CA goes beside its hosts.toml and is named by its path inside the container', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pullstorm-certs-'));
    try {
      const file = await writeContainerRegistry(dir, {
        host: 'registry.pullstorm:5000',
        server: 'https://registry.pullstorm:5000',
        caPem: '-----BEGIN CERTIFICATE-----\n',
      });
      expect(file).toBe(join(dir, 'registry.pullstorm:5000', 'hosts.toml'));
      expect(await readFile(file, 'utf8')).toContain(
        'ca = ["/etc/containerd/certs.d/registry.pullstorm:5000/ca.pem"]',
      );
      expect(await readFile(join(dir, 'registry.pullstorm:5000', 'ca.pem'), 'utf8')).toMatch(/^-----BEGIN/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('options', () => {
  it('fills in defaults', () => {
    const o = resolveContainerNodeOptions({ runId: 'r1', name: 'n0', sandboxImage: 'p:1' });
    expect(o).toMatchObject({ diskBytes: 1024 ** 3, network: 'bridge', dns: 'nxdomain', registries: [] });
  });

  it('reports every problem at once', () => {
    const bad = () =>
      resolveContainerNodeOptions({
        runId: 'bad id',
        name: '',
        sandboxImage: '',
        extraHosts: { 'registry.pullstorm': 'nowhere' },
        diskBytes: 1000,
      });
    expect(bad).toThrow(RangeError); // diskBytes is out of range; the shape problems come along
    expect(bad).toThrow(/runId[\s\S]*name[\s\S]*sandboxImage[\s\S]*extraHosts[\s\S]*diskBytes/);
  });
});

describe('gateway lookup', () => {
  it('finds the host-local addresses in /proc/net/fib_trie text and matches subnets', () => {
    const trie = `Main:
  +-- 0.0.0.0/0 3 0 5
     |-- 172.17.0.0
        /16 link UNICAST
     |-- 172.17.0.1
        /32 host LOCAL
     |-- 172.17.255.255
        /32 link BROADCAST
`;
    expect(localAddresses(trie)).toEqual(['172.17.0.1']);
    expect(inSubnet('172.17.0.1', '172.17.0.0/16')).toBe(true);
    expect(inSubnet('172.18.0.1', '172.17.0.0/16')).toBe(false);
  });
});

describe('NXDOMAIN responder', () => {
  it('answers a query with its id and question, RCODE 3, no records', () => {
    // id 0x1234, RD, one question: a.test IN A
    const query = Uint8Array.from([
      0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 1, 97, 4, 116, 101, 115, 116, 0, 0, 1, 0, 1,
    ]);
    const answer = nxdomainResponse(query)!;
    expect([...answer.subarray(0, 4)]).toEqual([0x12, 0x34, 0x81, 0x83]);
    expect([...answer.subarray(4, 12)]).toEqual([0, 1, 0, 0, 0, 0, 0, 0]);
    expect([...answer.subarray(12)]).toEqual([...query.subarray(12)]);
    expect(nxdomainResponse(answer)).toBeUndefined(); // never answers an answer
  });

  it.skipIf(process.getuid?.() !== 0)('a real resolver gets NXDOMAIN (ENOTFOUND) from it', async () => {
    const share = await acquireNxdomainResolver('127.0.0.1');
    try {
      const resolver = new Resolver({ timeout: 2_000, tries: 1 });
      resolver.setServers(['127.0.0.1']);
      await expect(resolver.resolve4('registry.pullstorm')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    } finally {
      await share.release();
      await share.release(); // idempotent
    }
  });
});
