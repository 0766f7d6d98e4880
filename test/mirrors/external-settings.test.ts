/**
 * What the harness writes for an external mirror and reports of the mirrors it cannot see into,
 * as pure logic: the nodes' hosts.toml entry (URL, CA, skip_verify, override_path, a Basic
 * credentials header), the virtual nodes' equivalent, the measures marked unknown, and the text of
 * Docker's multiplexed log stream a failed container mirror is read from.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pullGroup } from '../../harness/analyze/mirror-timing.ts';
import { type MirrorMeasures, noTraffic, unobservable } from '../../harness/analyze/mirrors.ts';
import type { Analysis } from '../../harness/analyze/types.ts';
import { renderHostsToml } from '../../harness/backends/containerd/hosts.ts';
import {
  externalSettingsByUrl,
  nodeRegistries,
  virtualHosts,
} from '../../harness/backends/embedded/nodes.ts';
import { externalMirrorStub } from '../../harness/backends/embedded/other-mirrors.ts';
import type { ProvisionedStub } from '../../harness/backends/embedded/registries.ts';
import { demux } from '../../harness/mirrors/container.ts';
import { externalHostSettings, loginPassword } from '../../harness/mirrors/external.ts';
import type { ExternalMirror } from '../../harness/scenario/resolved.ts';
import { mirrorLines } from '../../reports/mirrors.ts';

const harbor: ExternalMirror = {
  url: 'https://harbor.example.com/v2/proxy',
  overridePath: true,
  skipVerify: true,
  login: { username: 'robot$ci', passwordEnv: 'HARBOR_PASSWORD' },
};

const origin: ProvisionedStub = {
  name: 'registry',
  registry: 'registry',
  stub: { endpoints: [], apply: async () => async () => undefined, close: async () => undefined },
  door: () => ({ url: 'http://127.0.0.2:40000', host: '127.0.0.2', port: 40000 }),
};

describe('an external mirror in the nodes’ hosts.toml', () => {
  it('is tried before the origin, with override_path, skip_verify and the credentials as a Basic header', async () => {
    process.env.HARBOR_PASSWORD = 's3cret';
    const mirror = await externalMirrorStub('harbor', 'registry', harbor);
    delete process.env.HARBOR_PASSWORD;
    const [registry] = nodeRegistries([origin, mirror], 'worker-0', '/certs.d');
    const toml = renderHostsToml(registry!);
    const basic = Buffer.from('robot$ci:s3cret').toString('base64');
    expect(toml).toBe(
      [
        'server = "http://127.0.0.2:40000"',
        '',
        '[host."https://harbor.example.com/v2/proxy"]',
        '  capabilities = ["pull", "resolve"]',
        '  skip_verify = true',
        '  override_path = true',
        '  [host."https://harbor.example.com/v2/proxy".header]',
        `    Authorization = "Basic ${basic}"`,
        '',
      ].join('\n'),
    );
    // Virtual nodes get the same entry, by URL.
    const hosts = virtualHosts([registry!], () => undefined, externalSettingsByUrl([origin, mirror]));
    expect(hosts[registry!.host]!.hosts![0]).toEqual({
      url: 'https://harbor.example.com/v2/proxy',
      capabilities: ['pull', 'resolve'],
      skipVerify: true,
      overridePath: true,
      header: { Authorization: `Basic ${basic}` },
    });
    await expect(
      mirror.stub.apply({ id: 'f', fault: 'refused', options: {}, scope: {} } as never),
    ).rejects.toThrow('harbor is an external mirror; the harness cannot inject refused there');
  });

  it('trusts its CA file by path on containerd nodes and by PEM on virtual ones', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pullstorm-external-ca-'));
    const ca = join(dir, 'ca.pem');
    await writeFile(ca, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    const settings = await externalHostSettings({
      url: 'https://zot.internal:5000',
      overridePath: false,
      skipVerify: false,
      ca,
    });
    expect(settings).toEqual({ ca: { file: ca, pem: expect.stringContaining('BEGIN CERTIFICATE') } });
    const mirror = await externalMirrorStub('zot', 'registry', {
      url: 'https://zot.internal:5000',
      overridePath: false,
      skipVerify: false,
      ca,
    });
    expect(nodeRegistries([origin, mirror], 'n', '/c')[0]!.hosts![0]).toEqual({
      url: 'https://zot.internal:5000',
      capabilities: ['pull', 'resolve'],
      ca,
    });
    expect(mirror.door('any node')).toEqual({
      url: 'https://zot.internal:5000',
      host: 'zot.internal',
      port: 5000,
    });
  });

  it('reads the password from the environment only when passwordEnv names it', () => {
    expect(loginPassword({ username: 'u', password: 'p' }, {})).toBe('p');
    expect(loginPassword({ username: 'u', passwordEnv: 'X' }, { X: 'from-env' })).toBe('from-env');
    expect(loginPassword({ username: 'u', passwordEnv: 'X' }, {})).toBeUndefined();
  });
});

describe('the measures a run cannot see', () => {
  it('are what a container or external mirror answered, and an external one’s fetches without upstream', () => {
    expect(unobservable({ type: 'distribution' })).toEqual([]);
    expect(unobservable({ type: 'container' })).toContain('hitRatio');
    expect(
      unobservable({ type: 'external', external: { upstream: { host: '127.0.0.1', port: 1 } } }),
    ).not.toContain('amplification');
    expect(unobservable({ type: 'external', external: {} })).toContain('amplification');
  });

  it('read as unknown in the summary, never as 0', () => {
    const measures = {
      name: 'harbor',
      registry: 'registry',
      type: 'external',
      ...noTraffic(),
      storeErrors: { count: 0, first: null },
      latency: {
        direct: pullGroup([]),
        cold: pullGroup([]),
        warm: pullGroup([]),
        added: { cold: { p50: null, p95: null }, warm: { p50: null, p95: null } },
      },
      fallback: [],
      unknown: unobservable({ type: 'external' }),
    } satisfies MirrorMeasures;
    expect(mirrorLines({ mirrors: [measures] } as unknown as Analysis)).toEqual([
      '**Mirror harbor** (external) amplification unknown · origin fetches per blob unknown · hit ratio unknown · byte hit ratio unknown · unknown blob requests, unknown served · origin errors unknown · errors answered unknown',
    ]);
  });
});

describe("Docker's multiplexed log stream", () => {
  it('is read frame by frame, and a TTY log as it is', () => {
    const frame = (stream: number, text: string) => {
      const body = Buffer.from(text);
      const head = Buffer.alloc(8);
      head[0] = stream;
      head.writeUInt32BE(body.length, 4);
      return Buffer.concat([head, body]);
    };
    expect(
      demux(Buffer.concat([frame(1, 'configuration error: '), frame(2, 'open config.yml: no such file\n')])),
    ).toBe('configuration error: open config.yml: no such file\n');
    expect(demux(Buffer.from('plain text\n'))).toBe('plain text\n');
  });
});
