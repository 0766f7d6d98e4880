/**
 * What the kubeconfig backend tests share: fake APIs whose stub Deployments come up Ready, run as
 * real in-process stubs (with the token from the run's Secret), or run as `pullstorm serve` with
 * their own arguments and Secrets (serve-deployment.ts); the scenario and the cluster identity.
 */
import { join } from 'node:path';
import type { V1Deployment, V1Secret } from '@kubernetes/client-node';
import { expect } from 'vitest';
import { directAccess } from '../../../harness/backends/remote-stub.ts';
import type { Scenario } from '../../../harness/scenario/resolved.ts';
import { fixtureImages } from '../../../registry-stubs/fixtures/catalogue.ts';
import { type RunningRegistry, startRegistry } from '../../../registry-stubs/index.ts';
import { FakeApi } from './fake-api.ts';
import { serveDeployment } from './serve-deployment.ts';

/** A fake whose stub deployments come up Ready at once, as a kubelet would report them. */
export class ReadyStubs extends FakeApi {
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
export class RunningStubs extends ReadyStubs {
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
export class ServedStubs extends ReadyStubs {
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
export const nowhere = () => directAccess({ url: 'http://127.0.0.1:9' });

export const scenario = {
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
export const plain = {
  ...scenario,
  faults: [],
  registries: [{ ...scenario.registries[0]!, tls: false, auth: undefined, mirrors: [] }],
} as Scenario;

export const identity = { context: 'staging', cluster: 'staging', server: 'https://10.0.0.1:6443' };
