import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { V1Secret } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import type { DeletableKind } from '../../../harness/backends/kubeconfig/api.ts';
import {
  imageRewriter,
  kubeconfigBackend,
  kubeconfigCandidate,
} from '../../../harness/backends/kubeconfig/backend.ts';
import { directAccess } from '../../../harness/backends/remote-stub.ts';
import type { RunEvent } from '../../../harness/events/types.ts';
import type { Scenario } from '../../../harness/scenario/resolved.ts';
import { stagingKubeconfig } from '../../helpers/kubeconfig-file.ts';
import { identity, nowhere, plain, ReadyStubs, RunningStubs, scenario } from './backend-fixtures.ts';
import { FakeApi } from './fake-api.ts';

describe('kubeconfig backend', () => {
  it('provisions a labelled namespace, the stub, pull secrets for the stub host; teardown deletes by run label', async () => {
    const api = new RunningStubs();
    const outDir = await mkdtemp(join(tmpdir(), 'pullstorm-kc-out-'));
    const log: RunEvent[] = [];
    const backend = kubeconfigBackend({
      api,
      identity,
      stubImage: 'registry.example/pullstorm/stub:1',
      stubAccess: (stub) => directAccess({ url: api.stubs.get(stub.service)!.url }),
    });
    expect(backend.info().capabilities).toEqual({
      provision: false,
      nodeFaults: false,
      diskFaults: false,
      startsContainers: true,
      perNodeNetwork: false,
      connectionFaults: true,
      verifiesTls: false,
    });
    expect(backend.applyNodeFault).toBeUndefined();
    const cluster = await backend.provision(scenario, { runId: 'run-1', outDir, emit: (e) => log.push(e) });
    expect(backend.cluster).toBe(cluster);

    const kinds = api.created.map((c) => c.kind);
    expect(kinds).toEqual([
      'Namespace',
      'Secret',
      'Secret',
      'Secret',
      'Deployment',
      'Service',
      'Service',
      'Secret',
    ]);
    for (const c of api.created) {
      expect(
        (c.body as { metadata: { labels: Record<string, string> } }).metadata.labels['pullstorm.run-id'],
      ).toBe('run-1');
    }
    const pullSecret = api.created.at(-1)!.body as V1Secret;
    expect(pullSecret.metadata?.name).toBe('hub-ci');
    const auths = JSON.parse(Buffer.from(pullSecret.data!['.dockerconfigjson']!, 'base64').toString()).auths;
    expect(Object.keys(auths)).toEqual(['localhost:30500']);
    expect(await readFile(join(outDir, 'tls', 'hub', 'ca.crt'), 'utf8')).toMatch(
      /^-----BEGIN CERTIFICATE-----/,
    );

    const pod = await cluster.createPod({ name: 'p', image: 'hub.pullstorm.test:5000/pullstorm/tiny:1.0' });
    expect(pod.image).toBe('localhost:30500/pullstorm/tiny:1.0');

    // A registry fault through the backend, a pull at the stub, the stub's events in the run's log.
    const stub = api.stubs.get('pullstorm-registry-hub')!;
    const clear = await backend.applyRegistryFault({
      id: 'gone',
      fault: 'unknown-tag',
      options: {},
      scope: { registry: 'hub', route: 'manifest', probability: 1 },
      atMs: 0,
    });
    expect((await fetch(`${stub.url}/v2/pullstorm/tiny/manifests/1.0`)).status).toBe(404);
    await clear();
    expect((await fetch(`${stub.url}/v2/pullstorm/tiny/manifests/1.0`)).status).toBe(200);

    await backend.teardown();
    await api.close();
    const relayed = log.filter((e) => e.kind.startsWith('fault.') || e.kind === 'registry.request');
    expect(relayed.map((e) => `${e.kind}${'registry' in e ? ` ${e.registry} ${e.status}` : ''}`)).toEqual([
      'fault.applied',
      'fault.hit',
      'registry.request hub 404',
      'fault.cleared',
      'registry.request hub 200',
    ]);
    await backend.teardown();
    expect(api.deletes.at(-1)).toEqual({
      kind: 'namespaces',
      namespace: '',
      labelSelector: 'pullstorm.run-id=run-1',
    });
    expect(api.deletes.every((d) => d.labelSelector.includes('pullstorm.run-id=run-1'))).toBe(true);
    expect(backend.cluster).toBeUndefined();
  });

  it('--namespace: runs in an existing namespace without creating one, and teardown deletes only the run-labelled objects there', async () => {
    const api = new ReadyStubs();
    api.namespaces.push('team-a');
    const backend = kubeconfigBackend({
      api,
      identity,
      namespace: 'team-a',
      stubImage: 'registry.example/pullstorm/stub:1',
      stubAccess: () => directAccess({ url: 'http://127.0.0.1:9' }),
    });
    const outDir = await mkdtemp(join(tmpdir(), 'pullstorm-kc-ns-'));
    await backend.provision(plain, { runId: 'run-ns', outDir, emit: () => undefined });
    expect(api.created.map((c) => c.kind)).not.toContain('Namespace');
    expect(new Set(api.created.map((c) => c.namespace))).toEqual(new Set(['team-a']));
    await backend.teardown();
    const teardown = api.deletes.filter(
      (d) => d.namespace === 'team-a' && d.labelSelector === 'pullstorm.run-id=run-ns',
    );
    // In this order: the Deployments first, so nothing recreates the pods; the Secrets last.
    expect(teardown.map((d) => d.kind)).toEqual(['deployments', 'pods', 'services', 'secrets']);
    expect(api.deletes.map((d) => d.kind)).not.toContain('namespaces');
    const missing = kubeconfigBackend({ api: new FakeApi(), identity, namespace: 'nope', stubImage: 's' });
    await expect(missing.check!(plain)).rejects.toThrow(
      "--namespace: expected an existing namespace of context staging, got 'nope' (without --namespace the run creates its own)",
    );
  });

  it('needs --stub-image, refuses virtual nodes and pins to missing nodes, and undoes the namespace when a stub never gets ready', async () => {
    const ctx = { runId: 'run-2', outDir: tmpdir(), emit: () => undefined };
    await expect(
      kubeconfigBackend({ api: new FakeApi(), identity }).provision(scenario, ctx),
    ).rejects.toThrow(/--stub-image/);
    const virtual = {
      ...scenario,
      backend: { ...scenario.backend, nodes: [{ name: 'v', kind: 'virtual' }] },
    } as unknown as Scenario;
    await expect(
      kubeconfigBackend({ api: new FakeApi(), identity, stubImage: 's' }).provision(virtual, ctx),
    ).rejects.toThrow(/real nodes only/);

    const pinned = {
      ...scenario,
      workload: [{ kind: 'pod', name: 'app', nodes: ['node'] }],
    } as unknown as Scenario;
    await expect(
      kubeconfigBackend({ api: new FakeApi(), identity, stubImage: 's' }).provision(pinned, ctx),
    ).rejects.toThrow(
      'backend kubeconfig: workload[0] app pins node, which the cluster does not have; expected node names among (none)',
    );
    await expect(
      kubeconfigBackend({ api: new FakeApi(), identity, stubImage: 's' }).provision(scenario, ctx),
    ).rejects.toThrow(
      'stubAccess: with a custom api there is no kubeconfig to reach the stubs through; pass stubAccess too',
    );
    const api = new FakeApi(); // stub pods never appear
    const plain = {
      ...scenario,
      registries: [{ ...scenario.registries[0]!, tls: false, auth: undefined }],
    } as Scenario;
    const backend = kubeconfigBackend({
      api,
      identity,
      stubImage: 'stub:missing',
      stubReadyTimeoutMs: 100,
      stubAccess: nowhere,
    });
    await expect(backend.provision(plain, ctx)).rejects.toThrow(
      /stub not ready after 100 ms: no pod created.*pullstorm image build/,
    );
    expect(api.deletes).toContainEqual({
      kind: 'namespaces',
      namespace: '',
      labelSelector: 'pullstorm.run-id=run-2',
    });
  });

  it('from detection to provision: the created backend takes identity and stub access from the context', async () => {
    const { dir, file } = await stagingKubeconfig();
    // The real candidate and backend; only the API calls are answered by the fake.
    const api = new ReadyStubs();
    const probed = await kubeconfigCandidate({ kubeconfigPath: file, stubImage: 'stub:1', api }).probe();
    expect(probed.status).toBe('ready');
    if (probed.status !== 'ready') return;
    const backend = probed.create();
    const cluster = await backend.provision(plain, { runId: 'run-9', outDir: dir, emit: () => undefined });
    expect(cluster.runId).toBe('run-9');
    expect(api.created.map((c) => c.kind)).toContain('Namespace');
    await backend.teardown();
    expect(api.deletes).toContainEqual({
      kind: 'namespaces',
      namespace: '',
      labelSelector: 'pullstorm.run-id=run-9',
    });
  });

  it('teardown runs every step when one fails: the namespace always goes, and the failure is reported', async () => {
    class ForbiddenPods extends ReadyStubs {
      override async deleteByLabel(kind: DeletableKind, namespace: string, labelSelector: string) {
        if (kind === 'pods') throw Object.assign(new Error('pods is forbidden'), { code: 403 });
        return super.deleteByLabel(kind, namespace, labelSelector);
      }
    }
    const api = new ForbiddenPods();
    const backend = kubeconfigBackend({ api, identity, stubImage: 's', stubAccess: nowhere });
    await backend.provision(plain, { runId: 'run-7', outDir: tmpdir(), emit: () => undefined });
    await expect(backend.teardown()).rejects.toThrow(
      'kubeconfig teardown: undo stop the workload: pods is forbidden',
    );
    expect(api.deletes).toContainEqual({
      kind: 'namespaces',
      namespace: '',
      labelSelector: 'pullstorm.run-id=run-7',
    });
  });

  it('Ctrl-C while the stubs come up ends provisioning at once and removes the namespace', async () => {
    const api = new FakeApi(); // stub pods never appear
    const backend = kubeconfigBackend({ api, identity, stubImage: 's', stubAccess: nowhere });
    const interrupt = new AbortController();
    setTimeout(() => interrupt.abort(new Error('interrupted (SIGINT)')), 50);
    const started = Date.now();
    await expect(
      backend.provision(plain, {
        runId: 'run-8',
        outDir: tmpdir(),
        emit: () => undefined,
        signal: interrupt.signal,
      }),
    ).rejects.toThrow('interrupted (SIGINT)');
    expect(Date.now() - started).toBeLessThan(5_000); // not the 120 s readiness wait
    expect(api.deletes).toContainEqual({
      kind: 'namespaces',
      namespace: '',
      labelSelector: 'pullstorm.run-id=run-8',
    });
  });

  it('rewrites only the scenario registries’ hosts', () => {
    const rewrite = imageRewriter([
      {
        registry: 'hub',
        host: 'localhost:30500',
        nodePort: 30500,
        serviceHost: 'x',
        service: 'x',
        controlService: 'y',
        tls: false,
      },
    ]);
    expect(rewrite('hub.pullstorm.test:5000/a/b:1')).toBe('localhost:30500/a/b:1');
    expect(rewrite('docker.io/library/busybox:1')).toBe('docker.io/library/busybox:1');
    expect(rewrite('hub.pullstorm.test:50000/a')).toBe('hub.pullstorm.test:50000/a');
  });
});
