/**
 * The kind backend end to end: a real cluster, the stub on kind's network with TLS and auth, pods
 * pulling through containerd's hosts.toml, kubelet's events arriving as pullstorm events, a registry
 * fault applied through the backend with the stub's events relayed to the log, and a teardown that
 * leaves no cluster behind. Needs `kind` and Docker (the CI workflow
 * .github/workflows/kind.yml installs kind); skipped otherwise, with the reason in the suite name.
 */

import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kindBackend } from '../../../harness/backends/kind/backend.ts';
import { clusterName } from '../../../harness/backends/kind/names.ts';
import type { Backend, BackendCluster } from '../../../harness/backends/provider.ts';
import { dockerStatus } from '../../../harness/containers/docker.ts';
import type { KubeEvent, PodState, RegistryRequest, RunEvent } from '../../../harness/events/types.ts';
import { applyDefaults, defineScenario } from '../../../harness/scenario/index.ts';
import { waitForEvent } from '../../helpers/wait-for-event.ts';

const kindVersion = await execa('kind', ['version'], { reject: false });
const docker = await dockerStatus();
const hasKind = kindVersion.exitCode === 0 && docker.available;
const reason =
  kindVersion.exitCode !== 0 ? 'kind is not installed' : docker.available ? '' : `Docker: ${docker.reason}`;

const scenario = applyDefaults(
  defineScenario({
    apiVersion: 'pullstorm.dev/v1alpha1',
    kind: 'Scenario',
    name: 'kind-e2e',
    backend: { type: 'kind', nodes: [{ name: 'node' }] },
    workload: [],
    registries: [
      {
        name: 'hub',
        tls: true,
        auth: { mode: 'token', users: [{ username: 'ci', password: 'pw' }] },
        fixtures: { include: ['tiny'] },
      },
    ],
  }),
);

describe.skipIf(!hasKind)(`kind backend end to end${hasKind ? '' : ` (skipped: ${reason})`}`, () => {
  const runId = `e2e-${crypto.randomUUID().slice(0, 6)}`;
  const log: RunEvent[] = [];
  let backend: Backend;
  let cluster: BackendCluster;

  beforeAll(async () => {
    backend = kindBackend();
    const outDir = await mkdtemp(join(tmpdir(), 'pullstorm-kind-e2e-'));
    cluster = await backend.provision(scenario, {
      runId,
      outDir,
      emit: (e) => log.push(e),
      log: (l) => console.log(l),
    });
  }, 600_000);
  afterAll(async () => {
    await backend?.teardown();
  }, 300_000);

  it('pulls a fixture over TLS with a pull secret; kubelet’s events arrive as k8s.event', async () => {
    await cluster.createPod({
      name: 'tiny',
      image: 'hub.pullstorm.test:5000/pullstorm/tiny:1.0',
      imagePullSecrets: ['hub-ci'],
    });
    const pods = await cluster.waitFor(
      (p) => p.some((x) => x.name === 'tiny' && x.phase === 'Running'),
      180_000,
    );
    expect(pods.find((p) => p.name === 'tiny')?.imageDigest).toMatch(/^sha256:/);
    await waitForEvent(
      log,
      (e) => e.kind === 'k8s.event' && e.involvedObject.name === 'tiny' && e.reason === 'Pulled',
      60_000,
      "the pod's Pulled event",
    );
    const events = log.filter(
      (e): e is KubeEvent => e.kind === 'k8s.event' && e.involvedObject.name === 'tiny',
    );
    expect(events.map((e) => e.reason)).toEqual(expect.arrayContaining(['Scheduled', 'Pulling', 'Pulled']));
    expect(
      log.some((e) => e.kind === 'pod.state' && (e as PodState).pod === 'tiny' && e.phase === 'Running'),
    ).toBe(true);
  }, 240_000);

  it('an unknown tag fails the way containerd says it: not found', async () => {
    await cluster.createPod({
      name: 'missing',
      image: 'hub.pullstorm.test:5000/pullstorm/tiny:nope',
      imagePullSecrets: ['hub-ci'],
    });
    await cluster.waitFor(
      (p) => p.some((x) => x.name === 'missing' && /ErrImagePull|ImagePullBackOff/.test(x.reason ?? '')),
      180_000,
    );
    // The event comes on its own watch, maybe after the status: wait for it (test/helpers/wait-for-event.ts).
    const failed = await waitForEvent(
      log,
      (e): e is KubeEvent =>
        e.kind === 'k8s.event' && e.involvedObject.name === 'missing' && e.reason === 'Failed',
      60_000,
      "the pod's Failed event",
    );
    expect(failed.message).toMatch(/not found/);
  }, 240_000);

  it('a dns fault on the node makes pulls fail with no such host, and clearing it heals', async () => {
    const fault = {
      id: 'dns-1',
      fault: 'dns',
      options: {},
      scope: { route: 'any' as const, probability: 1 },
      atMs: 0,
    };
    const clear = await backend.applyNodeFault!(fault);
    await cluster.createPod({
      name: 'nodns',
      image: 'hub.pullstorm.test:5000/pullstorm/tiny:1.0',
      imagePullPolicy: 'Always',
      imagePullSecrets: ['hub-ci'],
    });
    await cluster.waitFor((p) => p.some((x) => x.name === 'nodns' && x.reason === 'ErrImagePull'), 180_000);
    await waitForEvent(
      log,
      (e) => e.kind === 'k8s.event' && e.involvedObject.name === 'nodns' && /no such host/.test(e.message),
      60_000,
      'a Failed event with "no such host"',
    );
    await clear();
  }, 240_000);

  it('a registry fault through the backend fails pulls as not found until cleared; the stub’s events are in the log', async () => {
    const clear = await backend.applyRegistryFault({
      id: 'gone',
      fault: 'unknown-tag',
      options: {},
      scope: { registry: 'hub', repository: 'pullstorm/tiny', route: 'manifest', probability: 1 },
      atMs: 0,
    });
    await cluster.createPod({
      name: 'faulted',
      image: 'hub.pullstorm.test:5000/pullstorm/tiny:1.0',
      imagePullPolicy: 'Always',
      imagePullSecrets: ['hub-ci'],
    });
    await cluster.waitFor((p) => p.some((x) => x.name === 'faulted' && x.reason === 'ErrImagePull'), 180_000);
    await waitForEvent(
      log,
      (e) => e.kind === 'k8s.event' && e.involvedObject.name === 'faulted' && /not found/.test(e.message),
      60_000,
      'a Failed event with "not found"',
    );
    await clear();
    // kubelet retries after its backoff (10 s, then 20 s …).
    await cluster.waitFor((p) => p.some((x) => x.name === 'faulted' && x.phase === 'Running'), 180_000);
    const relayed = (kind: RunEvent['kind']) =>
      log.filter((e) => e.kind === kind && 'id' in e && e.id === 'gone');
    expect([relayed('fault.applied').length, relayed('fault.cleared').length]).toEqual([1, 1]);
    expect(relayed('fault.hit').length).toBeGreaterThan(0);
    const requests = log.filter((e): e is RegistryRequest => e.kind === 'registry.request');
    expect(
      requests.some((r) => r.registry === 'hub' && r.status === 404 && r.faults?.includes('unknown-tag')),
    ).toBe(true);
    expect(requests.some((r) => r.registry === 'hub' && r.route === 'manifest' && r.status === 200)).toBe(
      true,
    );
  }, 420_000);

  it('teardown removes the cluster', async () => {
    await backend.teardown();
    const clusters = await execa('kind', ['get', 'clusters']);
    expect(clusters.stdout.split('\n')).not.toContain(clusterName(runId));
  }, 300_000);
});
