import { describe, expect, test } from 'vitest';
import {
  chooseManifest,
  createVirtualNode,
  type Descriptor,
  loopbackAddress,
  parsePlatform,
  registryHosts,
  resolveNodeOptions,
} from '../../../harness/backends/virtual/index.ts';

describe('platform choice (platforms.Only + LimitManifests)', () => {
  const entry = (architecture: string, variant?: string): Descriptor => ({
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    digest: `sha256:${architecture}${variant ?? ''}`,
    size: 1,
    platform: { os: 'linux', architecture, ...(variant && { variant }) },
  });

  test.each([
    ['linux/amd64', [entry('arm64'), entry('386'), entry('amd64')], 'sha256:amd64'],
    ['linux/amd64', [entry('arm64'), entry('386')], 'sha256:386'],
    ['linux/arm64', [entry('arm', 'v7'), entry('arm64', 'v8')], 'sha256:arm64v8'],
    ['linux/arm64', [entry('arm', 'v6'), entry('arm', 'v8')], 'sha256:armv8'],
    ['linux/arm/v7', [entry('arm', 'v5'), entry('arm', 'v6')], 'sha256:armv6'],
  ])('%s from %j', (node, manifests, digest) => {
    expect(chooseManifest(parsePlatform(node), manifests).digest).toBe(digest);
  });

  test('entries without a platform are kept, behind every match', () => {
    const bare = { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: 'sha256:bare', size: 1 };
    expect(chooseManifest(parsePlatform('linux/amd64'), [bare, entry('amd64')]).digest).toBe('sha256:amd64');
    expect(chooseManifest(parsePlatform('linux/amd64'), [entry('arm64'), bare]).digest).toBe('sha256:bare');
  });

  test('nothing runnable: no match for platform in manifest: not found', () => {
    expect(() => chooseManifest(parsePlatform('linux/amd64'), [entry('arm64'), entry('arm', 'v7')])).toThrow(
      'no match for platform in manifest: not found',
    );
  });
});

describe('hosts.toml as containerd reads it', () => {
  test('mirrors first, then the server; paths get /v2 unless override_path', () => {
    const hosts = registryHosts('registry.example', {
      'registry.example': {
        hosts: [
          { url: 'http://mirror.local:5000', capabilities: ['pull', 'resolve'] },
          { url: 'https://cache.local/v2/up', overridePath: true },
        ],
      },
    });
    expect(hosts.map((h) => `${h.scheme}://${h.host}${h.path} ${[...h.capabilities].join(',')}`)).toEqual([
      'http://mirror.local:5000/v2 pull,resolve',
      'https://cache.local/v2/up pull,resolve,push',
      'https://registry.example/v2 pull,resolve,push',
    ]);
  });

  test('defaults: docker.io goes to registry-1; loopback with a port is plain HTTP without verification', () => {
    expect(registryHosts('docker.io', undefined)[0]).toMatchObject({
      scheme: 'https',
      host: 'registry-1.docker.io',
    });
    expect(registryHosts('127.0.0.1:5000', undefined)[0]).toMatchObject({ scheme: 'http', skipVerify: true });
    expect(registryHosts('localhost:443', undefined)[0]).toMatchObject({
      scheme: 'https',
      skipVerify: false,
    });
    expect(registryHosts('x.example', { _default: { server: 'https://fallback.example' } })[0]?.host).toBe(
      'fallback.example',
    );
  });
});

describe('options', () => {
  test("defaults: linux/amd64, 3 downloads, containerd's own timeouts", () => {
    expect(resolveNodeOptions({ name: 'n' })).toMatchObject({
      platform: { os: 'linux', architecture: 'amd64' },
      maxConcurrentDownloads: 3,
      dialTimeoutMs: 30_000,
      tlsHandshakeTimeoutMs: 10_000,
      progressTimeoutMs: 300_000,
      keepContent: false,
    });
  });

  test('every problem is reported at once', () => {
    const bad = {
      name: '',
      platform: 'amd64',
      clientAddress: 'node-1',
      maxConcurrentDownloads: 0,
      hosts: { h: { hosts: [{ url: 'http://[bad' }], capabilities: ['fly' as 'pull'] } },
    };
    expect(() => createVirtualNode(bad)).toThrow(TypeError);
    const message = (() => {
      try {
        resolveNodeOptions(bad);
        return '';
      } catch (e) {
        return (e as Error).message;
      }
    })();
    expect(message.split('\n- ').length - 1).toBe(6);
  });

  test('loopback addresses for storms', () => {
    expect([0, 1, 253, 254, 70_000].map(loopbackAddress)).toEqual([
      '127.0.0.2',
      '127.0.0.3',
      '127.0.0.255',
      '127.0.1.0',
      '127.1.17.114',
    ]);
  });
});
