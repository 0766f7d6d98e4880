/**
 * The remote-stub client against real stubs: a `pullstorm serve --tls` process and a `startServe`
 * in-process stub, both with real TLS and control tokens. Directly (the kind transport: a base URL
 * and the stub's CA), and through a Kubernetes API server's service proxy path served by a real
 * local HTTPS server that authenticates with a client certificate or a token and deletes
 * `Authorization` as kube-apiserver does (service-proxy.ts: a test of the transport, not a fake
 * cluster), with the kubeconfig loaded from a generated file as the kubeconfig backend loads it.
 * Pulls are real HTTPS requests to the stubs; faults, hits and requests must reach the log.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { get } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadContext } from '../../../harness/backends/kubeconfig/context.ts';
import {
  directAccess,
  kubeProxyAccess,
  type RemoteStubs,
  remoteStubs,
  serviceProxyUrl,
} from '../../../harness/backends/remote-stub.ts';
import type { FaultChange, FaultHit, RegistryRequest, RunEvent } from '../../../harness/events/types.ts';
import type { Fault } from '../../../harness/scenario/resolved.ts';
import { startServe } from '../../../registry-stubs/serve/serve-registry.ts';
import { type ServeProcess, startServeProcess } from '../../helpers/serve-process.ts';
import { kubeconfigYaml, type ServiceProxyServer, startServiceProxy } from './service-proxy.ts';

const MANIFEST = '/v2/pullstorm/tiny/manifests/1.0';
/** The manifest path of fixture `repo` (each test pulls its own, as the stubs' feeds keep every test's history). */
const manifest = (repo: string) => `/v2/pullstorm/${repo}/manifests/1.0`;
const ACCEPT = 'application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json';

/** A real HTTPS pull of the tiny manifest, trusting `ca`; resolves with the status. */
function pull(url: string, ca: string, repo = 'tiny'): Promise<number> {
  return new Promise((resolve, reject) => {
    get(`${url}${manifest(repo)}`, { ca, headers: { Accept: ACCEPT } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode!));
    }).on('error', reject);
  });
}

function fault(id: string, registry?: string, repo = 'tiny'): Fault {
  return {
    id,
    fault: 'unknown-tag',
    options: {},
    scope: {
      route: 'manifest',
      probability: 1,
      repository: `pullstorm/${repo}`,
      ...(registry ? { registry } : {}),
    },
    atMs: 0,
  };
}

const of = <K extends RunEvent['kind']>(log: RunEvent[], kind: K) =>
  log.filter((e): e is Extract<RunEvent, { kind: K }> => e.kind === kind);

describe('remote stubs', () => {
  let work: string;
  let hub: ServeProcess;
  let hubCa: string;
  let mirror: Awaited<ReturnType<typeof startServe>>;
  let mirrorCa: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'pullstorm-remote-stub-'));
    const small = ['--large-size', '1024', '--large-layers', '1'];
    hub = await startServeProcess([
      '--port',
      '0',
      '--tls',
      '--tls-dir',
      join(work, 'hub'),
      '--control-token',
      'hub-token',
      ...small,
    ]);
    hubCa = await readFile(hub.ready.caFile!, 'utf8');
    mirror = await startServe({
      host: '127.0.0.1',
      port: 0,
      tls: true,
      tlsDir: join(work, 'mirror'),
      auth: 'none',
      users: [],
      fixtures: true,
      largeSizeBytes: 1024,
      largeLayers: 1,
      controlToken: 'mirror-token',
    });
    mirrorCa = await readFile(mirror.ready.caFile!, 'utf8');
  }, 60_000);
  afterAll(async () => {
    await hub?.stop();
    await mirror?.close();
    await rm(work, { recursive: true, force: true });
  });

  describe('direct (the kind transport: mapped port + CA)', () => {
    const follow = (log: RunEvent[], errors: Error[]): RemoteStubs =>
      remoteStubs(
        [
          { name: 'hub', access: directAccess({ url: hub.ready.url, caPem: hubCa }), token: 'hub-token' },
          {
            name: 'mirror',
            access: directAccess({ url: mirror.ready.url, caPem: mirrorCa }),
            token: 'mirror-token',
          },
        ],
        { emit: (e) => log.push(e), onError: (e) => errors.push(e), waitMs: 2_000 },
      );

    it('applies a fault on every stub, relays requests, hits and one change per fault id', async () => {
      const log: RunEvent[] = [];
      const errors: Error[] = [];
      const stubs = follow(log, errors);
      const clear = await stubs.applyFault(fault('gone'));
      expect([await pull(hub.ready.url, hubCa), await pull(mirror.ready.url, mirrorCa)]).toEqual([404, 404]);
      await clear();
      expect(await pull(hub.ready.url, hubCa)).toBe(200);
      // Again with the same id: a second application is a second change in the log.
      const again = await stubs.applyFault(fault('gone'));
      await again();
      // The last pulls happen right before stop: the drain must still bring them.
      const last = await Promise.all([1, 2, 3].map(() => pull(mirror.ready.url, mirrorCa)));
      expect(last).toEqual([200, 200, 200]);
      await stubs.stop();

      expect(errors).toEqual([]);
      const changes = [...of(log, 'fault.applied'), ...of(log, 'fault.cleared')] as FaultChange[];
      expect(changes.map((c) => `${c.kind} ${c.id}`).sort()).toEqual([
        'fault.applied gone',
        'fault.applied gone',
        'fault.cleared gone',
        'fault.cleared gone',
      ]);
      expect(changes[0]).toMatchObject({
        fault: 'unknown-tag',
        options: { tag: '*' },
        scope: { route: 'manifest' },
      });
      const hits = of(log, 'fault.hit') as FaultHit[];
      expect(hits.map((h) => `${h.id} ${h.path}`)).toEqual([`gone ${MANIFEST}`, `gone ${MANIFEST}`]);
      const requests = of(log, 'registry.request') as RegistryRequest[];
      const line = (r: RegistryRequest) => `${r.registry} ${r.status}${r.faults ? ` ${r.faults}` : ''}`;
      expect(requests.map(line).sort()).toEqual(
        [
          'hub 404 unknown-tag',
          'mirror 404 unknown-tag',
          'hub 200',
          'mirror 200',
          'mirror 200',
          'mirror 200',
        ].sort(),
      );
      expect(requests.every((r) => r.path === MANIFEST && r.client === '127.0.0.1')).toBe(true);
      await stubs.stop(); // idempotent
    });

    it('scope.registry picks the stub; a scope naming none is refused', async () => {
      const log: RunEvent[] = [];
      const stubs = follow(log, []);
      try {
        const clear = await stubs.applyFault(fault('mirror-only', 'mirror', 'multiarch'));
        const hubStatus = await pull(hub.ready.url, hubCa, 'multiarch');
        expect([hubStatus, await pull(mirror.ready.url, mirrorCa, 'multiarch')]).toEqual([200, 404]);
        await clear();
        await expect(stubs.applyFault(fault('x', 'ghcr'))).rejects.toThrow(
          "fault x: expected scope.registry to name one of the stubs (hub, mirror), got 'ghcr'",
        );
        await expect(
          stubs.applyFault({ ...fault('n'), scope: { ...fault('n').scope, nodes: ['worker-0'] } }),
        ).rejects.toThrow(/cannot tell nodes apart.*got worker-0/);
      } finally {
        await stubs.stop();
      }
      const mine = (of(log, 'registry.request') as RegistryRequest[]).filter(
        (r) => r.path === manifest('multiarch'),
      );
      expect(mine.map((r) => `${r.registry} ${r.status}`).sort()).toEqual(['hub 200', 'mirror 404']);
      expect(of(log, 'fault.hit').filter((h) => h.id === 'mirror-only')).toHaveLength(1);
    });

    it('all or nothing: a fault refused by one stub is cleared from the others', async () => {
      const log: RunEvent[] = [];
      const stubs = follow(log, []);
      try {
        // auth-token-expiry needs token auth, which neither stub has: both refuse, nothing stays applied.
        await expect(stubs.applyFault({ ...fault('exp'), fault: 'auth-token-expiry' })).rejects.toThrow(
          /needs a registry with auth mode 'token'/,
        );
        expect(await stubs.controls.get('hub')!.list()).toEqual([]);
      } finally {
        await stubs.stop();
      }
    });

    it('reports an unreachable feed once through onError, and stop still ends promptly', async () => {
      const errors: Error[] = [];
      const other = await readFile(join(work, 'mirror', 'ca.crt'), 'utf8');
      const stubs = remoteStubs(
        [{ name: 'hub', access: directAccess({ url: hub.ready.url, caPem: other }), token: 'hub-token' }],
        { emit: () => undefined, onError: (e) => errors.push(e), waitMs: 1_000 },
      );
      await new Promise((r) => setTimeout(r, 1_500));
      await expect(stubs.applyFault(fault('f'))).rejects.toThrow(
        /could not reach the control API at https:\/\/127\.0\.0\.1:\d+\/_pullstorm\/faults: .*certificate/,
      );
      const at = performance.now();
      await stubs.stop();
      expect(performance.now() - at).toBeLessThan(5_000);
      expect(errors.map((e) => e.message)).toEqual([
        expect.stringMatching(
          /^event feed of stub hub: could not reach https:\/\/127\.0\.0\.1:\d+\/_pullstorm\/events\?after=0&waitMs=1000: .*certificate/,
        ),
        expect.stringMatching(/could not reach .*\(in the last drain, after stop\)$/),
      ]);
      expect(errors[0]!.name).toBe('FeedError');
    });

    it('stop() drains what no long poll delivered', async () => {
      // A path that holds every long poll until it is aborted (a slow proxy): only the drain,
      // which asks with waitMs=0, can bring the events.
      const real = directAccess({ url: mirror.ready.url, caPem: mirrorCa });
      const held: typeof real = {
        url: real.url,
        fetch: (url, init) =>
          url.includes('waitMs=0')
            ? real.fetch(url, init)
            : new Promise((_, reject) =>
                init.signal?.addEventListener('abort', () => reject(init.signal?.reason)),
              ),
      };
      const log: RunEvent[] = [];
      const errors: Error[] = [];
      const stubs = remoteStubs([{ name: 'mirror', access: held, token: 'mirror-token' }], {
        emit: (e) => log.push(e),
        onError: (e) => errors.push(e),
      });
      expect(await pull(mirror.ready.url, mirrorCa, 'large')).toBe(200);
      expect(log).toEqual([]);
      await stubs.stop();
      expect(errors).toEqual([]);
      expect(log.filter((e) => e.kind === 'registry.request' && e.path === manifest('large'))).toHaveLength(
        1,
      );
    });

    it('a wrong token is an error saying what the stub expected', async () => {
      const errors: Error[] = [];
      const stubs = remoteStubs(
        [{ name: 'hub', access: directAccess({ url: hub.ready.url, caPem: hubCa }), token: 'nope' }],
        { emit: () => undefined, onError: (e) => errors.push(e), waitMs: 1_000 },
      );
      await expect(stubs.applyFault(fault('f'))).rejects.toThrow(
        'expected X-Pullstorm-Control-Token: <control token> or Authorization: Bearer <control token>, got X-Pullstorm-Control-Token with a token that does not match',
      );
      await stubs.stop();
      expect(errors[0]?.message).toMatch(/answered 401: expected X-Pullstorm-Control-Token/);
    });
  });

  describe('through the API server service proxy (kubeconfig transport)', () => {
    let proxy: ServiceProxyServer;
    const service = { namespace: 'pullstorm-run-1', name: 'pullstorm-registry-hub', port: 5000 };

    beforeAll(async () => {
      proxy = await startServiceProxy(work, [{ ...service, backend: hub.ready.url }]);
    }, 60_000);
    afterAll(() => proxy?.close());

    async function kubeconfig(auth: 'client-cert' | 'token') {
      const file = join(work, `kubeconfig-${auth}`);
      await writeFile(file, kubeconfigYaml(proxy, auth), { mode: 0o600 });
      return loadContext({ kubeconfigPath: file }).kc;
    }

    /** One stub `name` behind Service `serviceName`, reached through the proxy with `kc`. */
    function throughProxy(
      kc: KubeConfig,
      name: string,
      serviceName: string,
      token: string,
      log: RunEvent[],
      errors: Error[],
      waitMs: number,
    ): RemoteStubs {
      const access = kubeProxyAccess({
        kc,
        namespace: service.namespace,
        service: serviceName,
        port: 5000,
        tls: true,
      });
      return remoteStubs([{ name, access, token }], {
        emit: (e) => log.push(e),
        onError: (e) => errors.push(e),
        waitMs,
      });
    }

    it('builds the proxy path as kubectl does', () => {
      expect(
        serviceProxyUrl('https://10.0.0.1:6443/', { ...service, service: service.name, tls: true }),
      ).toBe(
        'https://10.0.0.1:6443/api/v1/namespaces/pullstorm-run-1/services/https:pullstorm-registry-hub:5000/proxy',
      );
      expect(
        serviceProxyUrl('https://rancher/k8s/clusters/c-1', { ...service, service: 'x', tls: false }),
      ).toBe('https://rancher/k8s/clusters/c-1/api/v1/namespaces/pullstorm-run-1/services/http:x:5000/proxy');
    });

    it.each([
      ['client-cert', 'no-amd64'],
      ['token', 'arm64-only'],
    ] as const)(
      'with %s auth: faults applied, the feed followed, the control token never in Authorization',
      async (auth, repo) => {
        const kc = await kubeconfig(auth);
        const before = proxy.seen.length;
        const log: RunEvent[] = [];
        const errors: Error[] = [];
        const stubs = throughProxy(kc, 'hub', service.name, 'hub-token', log, errors, 2_000);
        const clear = await stubs.applyFault(fault(`via-${auth}`, undefined, repo));
        expect(await pull(hub.ready.url, hubCa, repo)).toBe(404);
        await clear();
        expect(await pull(hub.ready.url, hubCa, repo)).toBe(200);
        await stubs.stop();

        expect(errors).toEqual([]);
        // The feed is followed from its start: this test's part of the stub's history.
        const mine = log.filter((e) =>
          e.kind === 'registry.request' ? e.path === manifest(repo) : 'id' in e && e.id === `via-${auth}`,
        );
        expect(mine.map((e) => `${e.kind}${'status' in e ? ` ${e.status}` : ''}`)).toEqual([
          'fault.applied',
          'fault.hit',
          'registry.request 404',
          'fault.cleared',
          'registry.request 200',
        ]);
        const seen = proxy.seen.slice(before);
        expect(new Set(seen.map((s) => s.user))).toEqual(
          new Set([auth === 'token' ? 'token' : 'cert:alice']),
        );
        expect(seen.every((s) => s.headers.authorization === undefined)).toBe(true);
        expect(seen.every((s) => s.headers['x-pullstorm-control-token'] === 'hub-token')).toBe(true);
        expect(seen.map((s) => `${s.method} ${s.path.replace(/after=\d+/, 'after=N')}`)).toEqual(
          expect.arrayContaining([
            'POST /_pullstorm/faults',
            `DELETE /_pullstorm/faults/via-${auth}`,
            'GET /_pullstorm/events?after=N&waitMs=2000',
            'GET /_pullstorm/events?after=N&waitMs=0',
          ]),
        );
      },
    );

    it('a Service without endpoints: the API server Status reaches onError and the apply error, saying the stub pod is not Ready', async () => {
      const kc = await kubeconfig('client-cert');
      const errors: Error[] = [];
      const stubs = throughProxy(kc, 'ghcr', 'missing', 't', [], errors, 1_000);
      await expect(stubs.applyFault(fault('f'))).rejects.toThrow(
        /https:\/\/127\.0\.0\.1:\d+\/api\/v1\/namespaces\/pullstorm-run-1\/services\/https:missing:5000\/proxy\/_pullstorm\/faults: the API server's service proxy to pullstorm-run-1\/missing:5000: no ready stub pod behind the Service \(503: no endpoints available for service "missing"\)/,
      );
      await stubs.stop();
      expect(errors[0]?.message).toMatch(
        /^event feed of stub ghcr: .*no ready stub pod behind the Service \(503: no endpoints available for service "missing"\)/,
      );
    });
  });
});
