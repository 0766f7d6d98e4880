import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type HostsConfig,
  renderHostsToml,
  writeHostsToml,
} from '../../../harness/backends/containerd/hosts.ts';

// Examples copied from containerd docs/hosts.md; `#` comments are dropped before comparing.
const documented: { name: string; config: HostsConfig; text: string }[] = [
  {
    name: 'simple default host config for Docker',
    config: {
      server: 'https://docker.io',
      hosts: [{ url: 'https://registry-1.docker.io', capabilities: ['pull', 'resolve'] }],
    },
    text: `server = "https://docker.io"

[host."https://registry-1.docker.io"]
  capabilities = ["pull", "resolve"]
`,
  },
  {
    name: 'local mirror for Docker',
    config: {
      server: 'https://registry-1.docker.io',
      hosts: [
        { url: 'https://public-mirror.example.com', capabilities: ['pull'] },
        { url: 'https://docker-mirror.internal', capabilities: ['pull', 'resolve'], ca: 'docker-mirror.crt' },
      ],
    },
    text: `server = "https://registry-1.docker.io"    # Exclude this to not use upstream

[host."https://public-mirror.example.com"]
  capabilities = ["pull"]                  # Requires less trust, won't resolve tag to digest from this host
[host."https://docker-mirror.internal"]
  capabilities = ["pull", "resolve"]
  ca = "docker-mirror.crt"                 # Or absolute path /etc/containerd/certs.d/docker.io/docker-mirror.crt
`,
  },
  {
    name: 'default mirror for all registries',
    config: { hosts: [{ url: 'https://registry.example.com', capabilities: ['pull', 'resolve'] }] },
    text: `[host."https://registry.example.com"]
  capabilities = ["pull", "resolve"]
`,
  },
  {
    name: 'bypass TLS verification',
    config: {
      server: 'https://registry-1.docker.io',
      hosts: [
        { url: 'http://192.168.31.250:5000', capabilities: ['pull', 'resolve', 'push'], skipVerify: true },
      ],
    },
    text: `server = "https://registry-1.docker.io"

[host."http://192.168.31.250:5000"]
  capabilities = ["pull", "resolve", "push"]
  skip_verify = true
`,
  },
  {
    name: 'host mirror namespaces (detail section)',
    config: {
      hosts: [
        {
          url: 'https://mirror.registry',
          capabilities: ['pull'],
          ca: '/etc/certs/mirror.pem',
          skipVerify: false,
          header: { 'x-custom-2': ['value1', 'value2'] },
        },
        { url: 'https://mirror-bak.registry/us', capabilities: ['pull'], skipVerify: true },
        { url: 'http://mirror.registry', capabilities: ['pull'] },
        {
          url: 'https://test-1.registry',
          capabilities: ['pull', 'resolve', 'push'],
          ca: ['/etc/certs/test-1-ca.pem', '/etc/certs/special.pem'],
          client: [
            ['/etc/certs/client.cert', '/etc/certs/client.key'],
            ['/etc/certs/client.pem', ''],
          ],
        },
        { url: 'https://test-2.registry', client: '/etc/certs/client.pem' },
        { url: 'https://test-3.registry', client: ['/etc/certs/client-1.pem', '/etc/certs/client-2.pem'] },
        {
          url: 'https://non-compliant-mirror.registry/v2/upstream',
          capabilities: ['pull'],
          overridePath: true,
        },
      ],
    },
    text: `[host."https://mirror.registry"]
  capabilities = ["pull"]
  ca = "/etc/certs/mirror.pem"
  skip_verify = false
  [host."https://mirror.registry".header]
    x-custom-2 = ["value1", "value2"]

[host."https://mirror-bak.registry/us"]
  capabilities = ["pull"]
  skip_verify = true

[host."http://mirror.registry"]
  capabilities = ["pull"]

[host."https://test-1.registry"]
  capabilities = ["pull", "resolve", "push"]
  ca = ["/etc/certs/test-1-ca.pem", "/etc/certs/special.pem"]
  client = [["/etc/certs/client.cert", "/etc/certs/client.key"],["/etc/certs/client.pem", ""]]

[host."https://test-2.registry"]
  client = "/etc/certs/client.pem"

[host."https://test-3.registry"]
  client = ["/etc/certs/client-1.pem", "/etc/certs/client-2.pem"]

[host."https://non-compliant-mirror.registry/v2/upstream"]
  capabilities = ["pull"]
  override_path = true
`,
  },
];

/** Drops comments and blank lines: the documented examples differ from ours only in those. */
const normalise = (toml: string) =>
  toml
    .split('\n')
    .map((l) => l.replace(/\s+#.*$/, '').trimEnd())
    .filter((l) => l !== '')
    .join('\n');

describe('renderHostsToml', () => {
  it.each(documented)('matches the documented example: $name', ({ config, text }) => {
    expect(normalise(renderHostsToml(config))).toBe(normalise(text));
  });

  it('writes root-level settings and a [header] table before any host table', () => {
    const text = renderHostsToml({
      server: 'https://127.0.0.1:5443',
      ca: '/tmp/ca.pem',
      header: { Authorization: 'Basic eA==', 'x.odd key': 'v' },
      hosts: [{ url: 'http://127.0.0.1:5000' }],
    });
    expect(text).toBe(`server = "https://127.0.0.1:5443"
ca = "/tmp/ca.pem"

[header]
  Authorization = "Basic eA=="
  "x.odd key" = "v"

[host."http://127.0.0.1:5000"]
`);
  });

  it('escapes quotes and backslashes as TOML basic strings', () => {
    expect(renderHostsToml({ ca: 'C:\\a "b"' })).toBe('ca = "C:\\\\a \\"b\\""\n\n[host]\n');
  });

  it('adds an empty [host] table when there are no hosts (containerd 1.6 ignores the file otherwise)', () => {
    expect(renderHostsToml({ server: 'https://registry.example.com' })).toBe(
      'server = "https://registry.example.com"\n\n[host]\n',
    );
    expect(renderHostsToml({})).toBe('[host]\n');
  });

  it('rejects a host URL without an http(s) scheme', () => {
    expect(() => renderHostsToml({ hosts: [{ url: 'mirror.example:5000' }] })).toThrow(TypeError);
    expect(() => renderHostsToml({ server: 'ftp://x' })).toThrow(/server must be an http/);
  });
});

describe('writeHostsToml', () => {
  it('writes <config_path>/<host:port>/hosts.toml and _default/hosts.toml', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pullstorm-hosts-'));
    try {
      const a = await writeHostsToml(dir, '127.0.0.1:5000', { server: 'http://127.0.0.1:5000' });
      const b = await writeHostsToml(dir, '_default', { hosts: [{ url: 'https://mirror.example' }] });
      expect(a).toBe(join(dir, '127.0.0.1:5000', 'hosts.toml'));
      expect(b).toBe(join(dir, '_default', 'hosts.toml'));
      expect(await readFile(a, 'utf8')).toBe('server = "http://127.0.0.1:5000"\n\n[host]\n');
      await expect(writeHostsToml(dir, '../escape', {})).rejects.toThrow(TypeError);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
