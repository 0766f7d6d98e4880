/** Each kind node's certs.d: hosts.toml per registry host, the CA beside it, node-side paths; dns faults rewrite it. */
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeRegistries } from '../../../harness/backends/kind/backend.ts';
import { brokenHosts } from '../../../harness/backends/kind/faults.ts';
import {
  type NodeRegistryHost,
  nodeHostsConfig,
  writeNodeCertsD,
} from '../../../harness/backends/kind/hosts.ts';
import type { KindStub } from '../../../harness/backends/kind/registry.ts';
import { unresolvableHost } from '../../../registry-stubs/faults/net/dns.ts';

const hub: NodeRegistryHost = {
  registry: 'hub',
  host: 'hub.pullstorm.test:5000',
  server: 'https://hub.pullstorm.test:5000',
  caPem: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
  mirrors: [{ url: 'https://spegel.pullstorm.test:5000', caPem: 'MIRROR CA' }],
};
const plain: NodeRegistryHost = {
  registry: 'plain',
  host: 'plain.pullstorm.test:5000',
  server: 'http://plain.pullstorm.test:5000',
};

describe('kind node hosts.toml', () => {
  it('TLS registry: server is the reference host, CA by its path inside the node, mirrors first', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pullstorm-certsd-'));
    await writeNodeCertsD(dir, [hub, plain]);
    expect((await readdir(dir)).sort()).toEqual(['hub.pullstorm.test:5000', 'plain.pullstorm.test:5000']);
    expect(await readFile(join(dir, 'hub.pullstorm.test:5000', 'hosts.toml'), 'utf8')).toBe(
      [
        'server = "https://hub.pullstorm.test:5000"',
        'ca = "/etc/containerd/certs.d/hub.pullstorm.test:5000/ca.crt"',
        '',
        '[host."https://spegel.pullstorm.test:5000"]',
        '  capabilities = ["pull", "resolve"]',
        '  ca = "/etc/containerd/certs.d/hub.pullstorm.test:5000/mirror-0.crt"',
        '',
      ].join('\n'),
    );
    expect(await readFile(join(dir, 'hub.pullstorm.test:5000', 'ca.crt'), 'utf8')).toBe(hub.caPem);
    // Each stub has its own CA: the mirror's sits beside the registry's.
    expect(await readFile(join(dir, 'hub.pullstorm.test:5000', 'mirror-0.crt'), 'utf8')).toBe('MIRROR CA');
    // Plain HTTP: no CA, and an empty [host] table, which containerd 1.6 needs.
    expect(await readFile(join(dir, 'plain.pullstorm.test:5000', 'hosts.toml'), 'utf8')).toBe(
      'server = "http://plain.pullstorm.test:5000"\n\n[host]\n',
    );
    expect(await readdir(join(dir, 'plain.pullstorm.test:5000'))).toEqual(['hosts.toml']);
  });

  it('a dns fault points the scoped registry at <node>.pullstorm.invalid, same scheme and port', () => {
    const broken = brokenHosts([hub, plain], 'worker-1', 'hub');
    expect(broken[0]).toMatchObject({
      server: `https://${unresolvableHost('worker-1')}:5000`,
      mirrors: [{ url: `https://${unresolvableHost('worker-1')}:5000`, caPem: 'MIRROR CA' }],
    });
    expect(broken[1]).toBe(plain);
    expect(nodeHostsConfig(broken[0]!).server).toBe(`https://${unresolvableHost('worker-1')}:5000`);
    expect(brokenHosts([hub, plain], 'n')[1]!.server).toBe(`http://${unresolvableHost('n')}:5000`);
  });

  it('nodeRegistries: origins with their mirror stubs', () => {
    const stub = (name: string, registry: string, caPem?: string) =>
      ({
        name,
        registry,
        host: `${name}.pullstorm.test:5000`,
        nodeUrl: `https://${name}.pullstorm.test:5000`,
        ...(caPem ? { caPem } : {}),
      }) as KindStub;
    expect(
      nodeRegistries([stub('hub', 'hub', 'CA'), stub('spegel', 'hub', 'CA2'), stub('ghcr', 'ghcr')]),
    ).toEqual([
      {
        registry: 'hub',
        host: 'hub.pullstorm.test:5000',
        server: 'https://hub.pullstorm.test:5000',
        caPem: 'CA',
        mirrors: [{ url: 'https://spegel.pullstorm.test:5000', caPem: 'CA2' }],
      },
      {
        registry: 'ghcr',
        host: 'ghcr.pullstorm.test:5000',
        server: 'https://ghcr.pullstorm.test:5000',
        mirrors: [],
      },
    ]);
  });
});
