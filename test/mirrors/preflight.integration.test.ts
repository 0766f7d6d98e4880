/** What a scenario with real mirrors is refused for before anything starts (exit 2 and exit 3). */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mirrorProblems } from '../../harness/mirrors/preflight.ts';
import { MirrorNotReadyError, spawnMirror } from '../../harness/mirrors/process.ts';
import { missingMirrorBinaries } from '../../harness/mirrors/requirements.ts';
import { checkEnvironment, EnvironmentError } from '../../harness/run/preflight.ts';
import { applyDefaults, type ScenarioInput } from '../../harness/scenario/index.ts';
import { hasDistribution } from './helpers.ts';

const scenario = (extra: Partial<ScenarioInput> = {}) =>
  applyDefaults({
    apiVersion: 'pullstorm.dev/v1alpha1',
    kind: 'Scenario',
    name: 'mirrors',
    workload: [{ kind: 'pod', name: 'p', image: 'registry/pullstorm/tiny:1.0' }],
    ...extra,
  });

describe('mirror preflight', () => {
  it('names the Debian package of each missing mirror binary', () => {
    expect(missingMirrorBinaries(['distribution', 'nginx', 'stub'], '/nonexistent')).toEqual([
      'a distribution mirror runs docker-registry (distribution 2.8 in proxy mode), which is not on PATH: apt-get install docker-registry',
      'a nginx mirror runs nginx (nginx with proxy_cache), which is not on PATH: apt-get install nginx-light',
    ]);
  });

  it('fails before provisioning with an exit-3 environment error when the binary is missing', async () => {
    const s = scenario({
      backend: { nodes: [{ name: 'v', kind: 'virtual' }] },
      registries: [{ name: 'registry', mirrors: [{ name: 'cache', type: 'distribution' }] }],
    });
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      const error = await checkEnvironment(s).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(EnvironmentError);
      expect((error as EnvironmentError).exitCode).toBe(3);
      expect((error as Error).message).toContain('apt-get install docker-registry');
    } finally {
      process.env.PATH = path;
    }
  });

  it('refuses TLS origins, nginx in front of auth, HTTP faults on a real mirror, and other backends', () => {
    const s = scenario({
      backend: { type: 'kind', nodes: [{ name: 'n' }] },
      registries: [
        { name: 'registry', tls: true, mirrors: [{ name: 'cache', type: 'distribution' }] },
        {
          name: 'private',
          auth: { mode: 'basic', users: [{ username: 'u', password: 'p' }] },
          mirrors: [{ name: 'front', type: 'nginx' }],
        },
      ],
      faults: [
        { fault: 'server-error', scope: { registry: 'cache' } },
        { fault: 'refused', scope: { registry: 'front' } },
      ],
    });
    expect(mirrorProblems(s).map((p) => `${p.path}: ${p.message}`)).toEqual([
      'registries[0].mirrors[0].type: a distribution mirror is started on this machine, next to embedded nodes; the kind backend cannot reach it yet: use backend containerd, or type stub',
      'registries[0].mirrors[0].type: a distribution mirror talks plain HTTP to registry registry in this build, got tls: true on the registry; set tls: false',
      'registries[1].mirrors[0].type: a nginx mirror is started on this machine, next to embedded nodes; the kind backend cannot reach it yet: use backend containerd, or type stub',
      'registries[1].mirrors[0].type: nginx caches anonymous answers only, got registry private with auth; use type distribution with credentials',
      'faults[0].fault: server-error acts on HTTP requests, which the distribution mirror cache answers itself; expected a connection fault (refused, reset, latency, blackhole, bandwidth, …) on a real mirror, or scope it to the registry',
    ]);
  });

  it('resolves pull-through-cache and a missing type to distribution', () => {
    const s = scenario({
      registries: [{ name: 'registry', mirrors: [{ name: 'a' }, { name: 'b', type: 'pull-through-cache' }] }],
    });
    expect(s.registries[0]!.mirrors.map((m) => m.type)).toEqual(['distribution', 'distribution']);
  });
});

describe.skipIf(!hasDistribution)('a mirror that never becomes ready', () => {
  it('fails with the tail of its log', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pullstorm-mirror-bad-'));
    await writeFile(
      join(dir, 'config.yml'),
      'version: 0.1\nstorage: { nosuchdriver: {} }\nhttp: { addr: 127.0.0.1:1 }\n',
    );
    const error = await spawnMirror({
      what: 'mirror bad (distribution)',
      bin: 'docker-registry',
      args: ['serve', join(dir, 'config.yml')],
      logFile: join(dir, 'mirror.log'),
      url: 'http://127.0.0.1:1',
      readyTimeoutMs: 5_000,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MirrorNotReadyError);
    expect((error as Error).message).toMatch(
      /mirror bad \(distribution\) exited with \d+; last lines of .*mirror\.log:\n/,
    );
    expect((error as Error).message).toContain('nosuchdriver');
  });
});
