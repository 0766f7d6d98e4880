/**
 * The remote-stub client against a real stub (two-stubs.ts) through a Kubernetes API server's service
 * proxy path, served by a real local HTTPS server that authenticates with a client certificate or a
 * token and deletes `Authorization` as kube-apiserver does (service-proxy.ts: a test of the
 * transport, not a fake cluster), with the kubeconfig loaded from a generated file as the kubeconfig
 * backend loads it. Pulls are real HTTPS requests; faults, hits and requests must reach the log.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadContext } from '../../../harness/backends/kubeconfig/context.ts';
import {
  kubeProxyAccess,
  type RemoteStubs,
  remoteStubs,
  serviceProxyUrl,
} from '../../../harness/backends/remote-stub.ts';
import type { RunEvent } from '../../../harness/events/types.ts';
import type { ServeProcess } from '../../helpers/serve-process.ts';
import { kubeconfigYaml, type ServiceProxyServer, startServiceProxy } from './service-proxy.ts';
import { fault, manifest, pull, startTwoStubs, type TwoStubs } from './two-stubs.ts';

describe('remote stubs', () => {
  let started: TwoStubs;
  let work: string;
  let hub: ServeProcess;
  let hubCa: string;

  beforeAll(async () => {
    started = await startTwoStubs();
    ({ work, hub, hubCa } = started);
  }, 60_000);
  afterAll(() => started?.close());

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
