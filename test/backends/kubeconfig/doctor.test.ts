import { readFile } from 'node:fs/promises';
import type { V1Node } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { doctorForContext, formatContextReport } from '../../../harness/backends/kubeconfig/doctor.ts';
import type { Scenario } from '../../../harness/scenario/resolved.ts';
import { identity, scenario } from './backend-fixtures.ts';
import { FakeApi } from './fake-api.ts';

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
