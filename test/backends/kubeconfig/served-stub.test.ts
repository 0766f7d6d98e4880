/**
 * The kubeconfig backend's stub Deployment run as `pullstorm serve` with its own arguments, Secret
 * env and Secret volumes (serve-deployment.ts), as the kubelet would run it: connection and TLS
 * faults applied through the backend reach a client trusting the run's CA.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { get } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kubeconfigBackend } from '../../../harness/backends/kubeconfig/backend.ts';
import { directAccess } from '../../../harness/backends/remote-stub.ts';
import type { RunEvent } from '../../../harness/events/types.ts';
import { identity, ServedStubs, scenario } from './backend-fixtures.ts';

describe('kubeconfig backend', () => {
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
});
