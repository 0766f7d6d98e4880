/**
 * The kubeconfig backend over a fake API: what it creates (namespace, stub, pull secrets) with which
 * labels, how pod images reach the stub, what teardown deletes — and the doctor's report. Its stub
 * Deployments come up as real in-process stubs started with the control token from the run's
 * Secret, so registry faults and the relayed feed are exercised for real; only the path through
 * the API server's service proxy is replaced by direct access (that path has its own test,
 * test/backends/remote-stub/). One test runs the Deployment as `pullstorm serve` with its own
 * arguments and TLS Secret (serve-deployment.ts), for the connection and TLS faults.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { get } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { V1Deployment, V1Node, V1Secret } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import type { DeletableKind } from '../../../harness/backends/kubeconfig/api.ts';
import {
  imageRewriter,
  kubeconfigBackend,
  kubeconfigCandidate,
} from '../../../harness/backends/kubeconfig/backend.ts';
import { doctorForContext, formatContextReport } from '../../../harness/backends/kubeconfig/doctor.ts';
import { directAccess } from '../../../harness/backends/remote-stub.ts';
import type { RunEvent } from '../../../harness/events/types.ts';
import type { Scenario } from '../../../harness/scenario/resolved.ts';
import { fixtureImages } from '../../../registry-stubs/fixtures/catalogue.ts';
import { type RunningRegistry, startRegistry } from '../../../registry-stubs/index.ts';
import { stagingKubeconfig } from '../../helpers/kubeconfig-file.ts';
import { FakeApi } from './fake-api.ts';
import { serveDeployment } from './serve-deployment.ts';

/** A fake whose stub deployments come up Ready at once, as a kubelet would report them. */
class ReadyStubs extends FakeApi {
  override async createDeployment(namespace: string, body: V1Deployment) {
    await super.createDeployment(namespace, body);
    const labels = body.spec?.template.metadata?.labels ?? {};
    if (labels['pullstorm.component'] !== 'registry-stub') return;
    this.podSource.push('ADDED', {
      metadata: { name: `${body.metadata?.name}-abc`, namespace, labels },
      spec: { containers: [] },
      status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
    });
  }
}

/** A fake whose stub Deployments run as real stubs in-process, with the token from the run's Secret. */
class RunningStubs extends ReadyStubs {
  stubs = new Map<string, RunningRegistry>();
  override async createDeployment(namespace: string, body: V1Deployment) {
    const container = body.spec?.template.spec?.containers[0];
    const secret = this.created.find((c) => (c.body as V1Secret).metadata?.name === 'pullstorm-control');
    const token = Buffer.from((secret!.body as V1Secret).data!.token!, 'base64').toString();
    // The token reaches serve as PULLSTORM_CONTROL_TOKEN from the Secret, never as an argument.
    expect(container?.env).toContainEqual({
      name: 'PULLSTORM_CONTROL_TOKEN',
      valueFrom: { secretKeyRef: { name: 'pullstorm-control', key: 'token' } },
    });
    expect(container?.args?.join(' ')).not.toContain('--control-token');
    const registry = await startRegistry({
      controlToken: token,
      images: fixtureImages({ include: ['tiny'] }),
    });
    this.stubs.set(body.metadata!.name!, registry);
    await super.createDeployment(namespace, body);
  }
  async close() {
    for (const s of this.stubs.values()) await s.close();
  }
}

/** A fake whose stub Deployments run as `pullstorm serve` with their own arguments and Secrets. */
class ServedStubs extends ReadyStubs {
  served = new Map<string, Awaited<ReturnType<typeof serveDeployment>>>();
  readonly dir: string;
  constructor(dir: string) {
    super();
    this.dir = dir;
  }
  override async createDeployment(namespace: string, body: V1Deployment) {
    const secrets = this.created.flatMap((c) => (c.kind === 'Secret' ? [c.body as V1Secret] : []));
    const name = body.metadata!.name!;
    this.served.set(name, await serveDeployment(body, secrets, join(this.dir, name)));
    await super.createDeployment(namespace, body);
  }
  async close() {
    for (const s of this.served.values()) await s.close();
  }
}

/** Access for tests whose stubs never run: nothing listens there. */
const nowhere = () => directAccess({ url: 'http://127.0.0.1:9' });

const scenario = {
  backend: {
    type: 'kubeconfig',
    nodes: [{ name: 'node', group: 'node', kind: 'real', platform: 'linux/amd64' }],
    clock: 'real',
  },
  registries: [
    {
      name: 'hub',
      tls: true,
      auth: {
        mode: 'token',
        users: [{ username: 'ci', password: 'pw', repositories: ['**'], actions: ['pull'] }],
        anonymous: [],
      },
      fixtures: { include: ['tiny'], largeSizeBytes: 1024, largeLayers: 1 },
      mirrors: [{ name: 'spegel', type: 'stub' }],
    },
  ],
  faults: [{ id: 'f', fault: 'disk-full', options: {}, scope: { route: 'any', probability: 1 }, atMs: 0 }],
  workload: [],
} as unknown as Scenario;

/** `scenario` with one plain-HTTP registry without users or mirrors, and no faults. */
const plain = {
  ...scenario,
  faults: [],
  registries: [{ ...scenario.registries[0]!, tls: false, auth: undefined, mirrors: [] }],
} as Scenario;

const identity = { context: 'staging', cluster: 'staging', server: 'https://10.0.0.1:6443' };

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
    expect(teardown.map((d) => d.kind)).toEqual(
      expect.arrayContaining(['deployments', 'pods', 'services', 'secrets']),
    );
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

  it('the stub Deployment run as pullstorm serve: connection and TLS faults through the backend reach a client trusting the run CA; the control port keeps answering', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pullstorm-kc-served-'));
    const api = new ServedStubs(join(dir, 'mounts'));
    const log: RunEvent[] = [];
    const backend = kubeconfigBackend({
      api,
      identity,
      stubImage: 'registry.example/pullstorm/stub:1',
      // What the default access does through the API server, minus the API server: the control Service's port.
      stubAccess: (stub) => {
        expect([stub.controlService, stub.tls]).toEqual(['pullstorm-control-hub', true]);
        const served = api.served.get(stub.service)!.ready;
        return directAccess({ url: served.controlUrl!, caPem: readFileSync(served.caFile!, 'utf8') });
      },
    });
    try {
      await backend.provision(scenario, {
        runId: 'run-3',
        outDir: join(dir, 'out'),
        emit: (e) => log.push(e),
      });
      const ready = api.served.get('pullstorm-registry-hub')!.ready;
      // The CA the run wrote for the user to install on the nodes, as a node would trust it.
      const ca = await readFile(join(dir, 'out', 'tls', 'hub', 'ca.crt'), 'utf8');
      const registry = (host = 'localhost') =>
        new Promise<string>((resolve) => {
          // A fresh connection each time (agent: false): the global agent's kept-alive socket from the
          // request before would meet `refused`'s reset of open connections (ECONNRESET), not a refused dial.
          get(`https://${host}:${ready.port}/v2/`, { ca, agent: false }, (res) => {
            res.resume();
            resolve(String(res.statusCode));
          }).on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
        });
      const fault = (id: string, name: string) =>
        backend.applyRegistryFault({
          id,
          fault: name,
          options: {},
          scope: { route: 'any', probability: 1 },
          atMs: 0,
        });
      const seen: Record<string, string> = { before: await registry() };
      for (const name of ['refused', 'tls-expired', 'tls-wrong-host', 'tls-unknown-ca']) {
        const clear = await fault(name, name);
        seen[name] = await registry();
        await clear();
      }
      seen.after = await registry();
      expect(seen).toEqual({
        // Token auth: /v2/ answers 401 to a client without credentials, over verified TLS.
        before: '401',
        refused: 'ECONNREFUSED',
        'tls-expired': 'CERT_HAS_EXPIRED',
        'tls-wrong-host': 'ERR_TLS_CERT_ALTNAME_INVALID',
        'tls-unknown-ca': 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
        after: '401',
      });
    } finally {
      await backend.teardown();
      await api.close();
    }
    const changes = log.flatMap((e) =>
      e.kind === 'fault.applied' || e.kind === 'fault.cleared' ? [`${e.kind} ${e.id}`] : [],
    );
    expect(changes).toEqual(
      ['refused', 'tls-expired', 'tls-wrong-host', 'tls-unknown-ca'].flatMap((id) => [
        `fault.applied ${id}`,
        `fault.cleared ${id}`,
      ]),
    );
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

describe('doctorForContext', () => {
  it('reports node runtimes from status, says what the API cannot show and what must be set', async () => {
    const api = new FakeApi();
    const node = JSON.parse(await readFile(new URL('fixtures/node.json', import.meta.url), 'utf8')) as V1Node;
    const crio = structuredClone(node);
    crio.metadata!.name = 'old-crio';
    crio.status!.nodeInfo!.containerRuntimeVersion = 'cri-o://1.27.1';
    crio.status!.nodeInfo!.kubeletVersion = 'v1.27.9';
    crio.status!.conditions = [{ type: 'Ready', status: 'False' }];
    api.nodes = [node, crio];
    const report = await doctorForContext(api, identity, { scenario, stubImage: 'registry.example/stub:1' });
    expect(report.nodes[0]).toEqual({
      name: 'staging-pool-a-1',
      kubelet: 'v1.32.4',
      runtime: 'containerd://1.7.27',
      os: 'Debian GNU/Linux 12 (bookworm)',
      arch: 'amd64',
      ready: true,
    });
    expect(report.warnings).toEqual([
      "old-crio: runtime cri-o://1.27.1 — pullstorm's expected error texts are containerd's",
      'old-crio: kubelet v1.27.9 is older than 1.28, whose messages pullstorm models',
      'old-crio: not Ready',
    ]);
    expect(report.cannotSee.join('\n')).toMatch(/mirrors and hosts\.toml.*not in the API/);
    expect(report.mustSet.join('\n')).toMatch(/registry hub serves TLS.*never verifies the certificate/);
    expect(report.mustSet.join('\n')).toMatch(/mirror spegel of hub/);
    expect(report.mustSet.join('\n')).toMatch(/disk-full faults cannot run here/);
    expect(report.production).toEqual([]);
    const text = formatContextReport(report);
    expect(text).toContain('node staging-pool-a-1: kubelet v1.32.4, containerd://1.7.27');
    expect(text).toContain('cannot be seen through the API:');
    expect(text).toMatch(/RBAC: all \d+ permissions a run needs are granted/);
    expect(text).toMatch(
      /faults that cannot apply on this backend.*\n {2}- tls-unknown-ca: nodes reach the stub at localhost/,
    );
  });

  it('lists every permission the context lacks, and the faults of the scenario that cannot run here', async () => {
    const api = new FakeApi();
    api.denied.add('create /namespaces');
    api.denied.add('get /services/proxy');
    const tls = {
      ...scenario,
      faults: [
        { id: 't', fault: 'tls-expired', options: {}, scope: { route: 'any', probability: 1 }, atMs: 0 },
      ],
    } as unknown as Scenario;
    const report = await doctorForContext(api, identity, { scenario: tls });
    expect(report.access.missing).toEqual([
      "create namespaces cluster-wide — the run's own namespace, created at provisioning and deleted at teardown",
      "get services/proxy in every namespace (the run creates its own) — faults and the stubs' event feed through the API server's service proxy (GET, POST, DELETE)",
    ]);
    const text = formatContextReport(report);
    expect(text).toContain(
      `RBAC: 2 of ${report.access.checked} permissions a run needs are missing (pullstorm rbac prints a role granting them):`,
    );
    expect(report.mustSet.join('\n')).toMatch(
      /this scenario's tls-expired cannot run here \(refused, exit 2\)/,
    );
  });
});
