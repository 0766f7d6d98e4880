/**
 * Deploying the scenario's registry stubs into the run's namespace and waiting until each answers
 * (its pod Ready). TLS material is generated here, so the CA is known before any pull: it is written
 * to `<outDir>/tls/<registry>/ca.crt` for the user to install on the nodes (pullstorm never changes
 * node configuration on a cluster it does not own). The CA's key goes only into the stub's TLS
 * Secret, for the TLS certificate faults. The run's control token goes into one Secret first; every
 * stub reads it (stub-manifests.ts).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { V1Pod } from '@kubernetes/client-node';
import { createCertificateAuthority, issueCertificate } from '../../../registry-stubs/tls/index.ts';
import type { Registry } from '../../scenario/resolved.ts';
import type { KubeApi } from './api.ts';
import { toPodStatus } from './mapping.ts';
import { LABEL_COMPONENT, runSelector } from './names.ts';
import { controlSecret, STUB_PORT, stubName, stubObjects } from './stub-manifests.ts';
import { reflect } from './watch.ts';

/** A deployed stub, as nodes reach it. */
export interface ClusterStub {
  registry: string;
  /** `localhost:<nodePort>`: the host part image references use on the nodes. */
  host: string;
  nodePort: number;
  /** In-cluster address `<service>.<namespace>.svc:5000` (for k6 in the cluster, not for nodes). */
  serviceHost: string;
  /** The registry Service's name (NodePort). */
  service: string;
  /** The control Service's name: the API server's service proxy reaches the control listener through it. */
  controlService: string;
  /** The stub serves TLS. */
  tls: boolean;
  /** Host path of the CA PEM for TLS registries; undefined for plain HTTP. */
  caFile?: string;
}

/** Options of `deployStubs`. */
export interface DeployStubsOptions {
  api: KubeApi;
  runId: string;
  namespace: string;
  /** Image with `pullstorm serve` as entrypoint, pullable by the nodes (`--stub-image`). */
  image: string;
  outDir: string;
  /** The run's control token (the stubs' `--control-token`); kept in the Secret `pullstorm-control`. */
  controlToken: string;
  /** How long to wait for every stub to be Ready; default 120 000 ms. */
  readyTimeoutMs?: number;
  /** Ends the wait for the stubs at once (Ctrl-C), rejecting with its reason; default never. */
  signal?: AbortSignal;
}

async function tlsFor(registry: Registry, names: string[], outDir: string) {
  const ca = await createCertificateAuthority({ commonName: `pullstorm CA (${registry.name})` });
  const leaf = await issueCertificate(ca, { hosts: ['localhost', ...names], ips: ['127.0.0.1', '::1'] });
  const dir = join(outDir, 'tls', registry.name);
  await mkdir(dir, { recursive: true });
  const caFile = join(dir, 'ca.crt');
  await writeFile(caFile, ca.certPem);
  return {
    pem: { certPem: leaf.certPem, keyPem: leaf.keyPem, caPem: ca.certPem, caKeyPem: ca.keyPem },
    caFile,
  };
}

/** Creates every registry's stub objects, then waits until all stub pods are Ready. */
export async function deployStubs(registries: Registry[], o: DeployStubsOptions): Promise<ClusterStub[]> {
  const stubs: ClusterStub[] = [];
  await o.api.createSecret(o.namespace, controlSecret(o, o.controlToken));
  for (const registry of registries) {
    const service = stubName(registry.name);
    const serviceHost = `${service}.${o.namespace}.svc`;
    const tls = registry.tls
      ? await tlsFor(registry, [service, serviceHost, `${serviceHost}.cluster.local`], o.outDir)
      : undefined;
    const objects = stubObjects(
      registry,
      { runId: o.runId, namespace: o.namespace, image: o.image },
      tls?.pem,
    );
    for (const secret of objects.secrets) await o.api.createSecret(o.namespace, secret);
    await o.api.createDeployment(o.namespace, objects.deployment);
    const created = await o.api.createService(o.namespace, objects.service);
    const nodePort = created.spec?.ports?.[0]?.nodePort;
    if (!nodePort) throw new Error(`service ${service}: the API server assigned no nodePort`);
    await o.api.createService(o.namespace, objects.controlService);
    stubs.push({
      registry: registry.name,
      host: `localhost:${nodePort}`,
      nodePort,
      serviceHost: `${serviceHost}:${STUB_PORT}`,
      service,
      controlService: objects.controlService.metadata!.name!,
      tls: registry.tls,
      ...(tls ? { caFile: tls.caFile } : {}),
    });
  }
  await waitStubsReady(o, registries.length);
  return stubs;
}

/** Resolves when `count` stub pods are Ready; rejects with each pod's waiting reason otherwise. */
async function waitStubsReady(o: DeployStubsOptions, count: number): Promise<void> {
  const pods = new Map<string, V1Pod>();
  const ready = (p: V1Pod) =>
    p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
  let settle: () => void = () => undefined;
  const allReady = new Promise<void>((resolve) => {
    settle = resolve;
  });
  const reflector = reflect(
    o.api.pods(o.namespace, runSelector(o.runId, { [LABEL_COMPONENT]: 'registry-stub' })),
    (type, pod) => {
      const key = pod.metadata?.name ?? '';
      if (type === 'DELETED') pods.delete(key);
      else pods.set(key, pod);
      if ([...pods.values()].filter(ready).length >= count) settle();
    },
    { what: `registry stub pods in namespace ${o.namespace}` },
  );
  // A refused list or watch (RBAC) is the answer at once, not after the ready timeout.
  const refused = reflector.synced.then(
    () => new Promise<never>(() => undefined),
    (error: unknown) => Promise.reject(error),
  );
  refused.catch(() => undefined); // read by the race below; after it settles, nobody listens
  const timeoutMs = o.readyTimeoutMs ?? 120_000;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    const aborted = new Promise<'aborted'>((resolve) => {
      if (o.signal?.aborted) resolve('aborted');
      o.signal?.addEventListener('abort', () => resolve('aborted'), { once: true });
    });
    const ended = await Promise.race([allReady, expired, aborted, refused]);
    if (ended === 'aborted') throw o.signal!.reason;
    if (ended !== 'timeout') return;
    const states = [...pods.values()].map((p) => {
      const s = toPodStatus(p);
      return `${s.name}: ${s.phase}${s.reason ? ` ${s.reason}` : ''}${s.message ? ` (${s.message})` : ''}`;
    });
    throw new Error(
      `registry stub not ready after ${timeoutMs} ms: ${states.join('; ') || 'no pod created'}. ` +
        `Is --stub-image ${o.image} pullable by the nodes? Build it with 'pullstorm image build' and push or load it. ` +
        `With no pod created, 'kubectl get events -n ${o.namespace}' shows why (FailedCreate: PodSecurity, quota, a webhook).`,
    );
  } finally {
    clearTimeout(timer);
    reflector.stop();
  }
}
