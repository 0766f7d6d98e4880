/** The production guard: name and size signals, the refusal, and that a refused run touches nothing. */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kubeconfigBackend, kubeconfigCandidate } from '../../../harness/backends/kubeconfig/backend.ts';
import { loadContext, NoContextError } from '../../../harness/backends/kubeconfig/context.ts';
import {
  ProductionContextError,
  productionSignals,
  refuseProduction,
} from '../../../harness/backends/kubeconfig/safety.ts';
import type { Scenario } from '../../../harness/scenario/resolved.ts';
import { FakeApi } from './fake-api.ts';

const id = (context: string, cluster = 'c', server = 'https://10.0.0.1:6443') => ({
  context,
  cluster,
  server,
});
const scenario = { backend: { nodes: [], clock: 'real' }, registries: [], faults: [] } as unknown as Scenario;
const ctx = { runId: 'r1', outDir: '/tmp/unused', emit: () => undefined };

describe('production heuristic', () => {
  it.each([
    ['prod-eu', 'c', 'https://x', "context name 'prod-eu' contains 'prod'"],
    [
      'staging',
      'gke_acme_europe-west1_production',
      'https://x',
      "cluster name 'gke_acme_europe-west1_production' contains 'prod'",
    ],
    [
      'ops',
      'c',
      'https://api.live.acme.io:6443',
      "API server 'https://api.live.acme.io:6443' contains 'live'",
    ],
    ['Kind-PROD', 'c', 'https://x', "context name 'Kind-PROD' contains 'PROD'"],
  ])('%s / %s / %s looks like production', (context, cluster, server, signal) => {
    expect(productionSignals(id(context, cluster, server), 5)).toContain(signal);
  });

  it('local clusters with few namespaces do not', () => {
    for (const name of ['kind-pullstorm', 'minikube', 'docker-desktop', 'k3d-dev', 'staging']) {
      expect(productionSignals(id(name, name, 'https://127.0.0.1:39211'), 6)).toEqual([]);
    }
  });

  it('more namespaces than the threshold (default 25) is a signal; the threshold is an option', () => {
    expect(productionSignals(id('staging'), 26)).toEqual(['26 namespaces (more than 25: a shared cluster)']);
    expect(productionSignals(id('staging'), 25)).toEqual([]);
    expect(productionSignals(id('staging'), 26, { namespaceThreshold: 40 })).toEqual([]);
  });

  it('refuses with a message naming the reasons and the override; the override lets it through', () => {
    const signals = productionSignals(id('prod-eu'), 30);
    expect(() => refuseProduction(id('prod-eu'), signals, false)).toThrow(ProductionContextError);
    try {
      refuseProduction(id('prod-eu'), signals, false);
    } catch (error) {
      const e = error as ProductionContextError;
      expect(e.code).toBe('PRODUCTION_CONTEXT');
      expect(e.exitCode).toBe(2);
      expect(e.message).toMatch(/--i-know-this-is-production/);
      expect(e.message).toMatch(/30 namespaces/);
    }
    expect(() => refuseProduction(id('prod-eu'), signals, true)).not.toThrow();
  });

  it('a refused provision creates nothing', async () => {
    const api = new FakeApi();
    const backend = kubeconfigBackend({ api, identity: id('prod-eu'), stubImage: 'stub:1' });
    await expect(backend.provision(scenario, ctx)).rejects.toThrow(ProductionContextError);
    expect(api.created).toEqual([]);
    expect(api.deletes).toEqual([]);
  });

  it('a crowded cluster is refused by size alone', async () => {
    const api = new FakeApi();
    api.namespaces = Array.from({ length: 40 }, (_, i) => `team-${i}`);
    const backend = kubeconfigBackend({ api, identity: id('staging'), stubImage: 'stub:1' });
    await expect(backend.provision(scenario, ctx)).rejects.toThrow(/40 namespaces/);
  });
});

describe('contexts', () => {
  async function kubeconfig(): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'pullstorm-kc-'));
    const file = join(dir, 'config');
    await writeFile(
      file,
      `apiVersion: v1
kind: Config
current-context: staging
clusters:
- name: staging-cluster
  cluster: { server: 'https://127.0.0.1:1' }
- name: prod-cluster
  cluster: { server: 'https://127.0.0.1:2' }
contexts:
- name: staging
  context: { cluster: staging-cluster, user: u }
- name: prod-eu
  context: { cluster: prod-cluster, user: u }
users:
- name: u
  user: { token: t }
`,
    );
    return file;
  }

  it('the current context, or --context; an unknown context lists the known ones', async () => {
    const file = await kubeconfig();
    expect(loadContext({ kubeconfigPath: file }).id).toEqual({
      context: 'staging',
      cluster: 'staging-cluster',
      server: 'https://127.0.0.1:1',
    });
    expect(loadContext({ kubeconfigPath: file, context: 'prod-eu' }).id.cluster).toBe('prod-cluster');
    expect(() => loadContext({ kubeconfigPath: file, context: 'nope' })).toThrow(
      /expected one of: staging, prod-eu/,
    );
  });

  it('detection: production is ready but refused by check (exit 2), unreachable is broken, no kubeconfig is not applicable', async () => {
    const file = await kubeconfig();
    const prod = await kubeconfigCandidate({
      kubeconfigPath: file,
      context: 'prod-eu',
      api: new FakeApi(),
      stubImage: 's',
    }).probe();
    expect(prod).toMatchObject({
      status: 'ready',
      detail: expect.stringContaining("looks like production: context name 'prod-eu' contains 'prod'"),
    });
    if (prod.status !== 'ready') return;
    const refused = await prod.create().check!(scenario).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ProductionContextError);
    expect((refused as ProductionContextError).exitCode).toBe(2);
    const down = await kubeconfigCandidate({ kubeconfigPath: file }).probe();
    expect(down).toMatchObject({
      status: 'broken',
      reason: expect.stringContaining('API server https://127.0.0.1:1 did not answer'),
    });
    const ok = await kubeconfigCandidate({ kubeconfigPath: file, api: new FakeApi() }).probe();
    expect(ok).toMatchObject({ status: 'ready', detail: 'staging, Kubernetes v1.35.1' });
    const none = await kubeconfigCandidate({ kubeconfigPath: join(tmpdir(), 'no-such-kubeconfig') })
      .probe()
      .catch((e) => e);
    expect(none).toMatchObject({ status: 'not-applicable' });
    expect(new NoContextError('x').code).toBe('NO_KUBE_CONTEXT');
  });

  it('detection: an API server that answers 403 is reported as refusing, with its message and the fix, not as "did not answer"', async () => {
    const file = await kubeconfig();
    const api = new FakeApi();
    api.listNamespaceNames = async () => {
      throw Object.assign(new Error('HTTP-Code: 403\nMessage: …'), {
        code: 403,
        body: {
          kind: 'Status',
          code: 403,
          message:
            'namespaces is forbidden: User "ci" cannot list resource "namespaces" in API group "" at the cluster scope',
        },
      });
    };
    const probe = await kubeconfigCandidate({ kubeconfigPath: file, api }).probe();
    expect(probe.status).toBe('broken');
    if (probe.status !== 'broken') return;
    expect(probe.reason).not.toContain('did not answer');
    expect(probe.reason).toContain(
      'answered 403: namespaces is forbidden: User "ci" cannot list resource "namespaces"',
    );
    expect(probe.reason).toContain('pullstorm rbac');
  });
});
