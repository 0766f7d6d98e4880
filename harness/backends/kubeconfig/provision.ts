/**
 * The kubeconfig backend's provisioning, phase by phase (backend.ts strings them together): connect to
 * the context, check the scenario read-only, open the run's namespace, deploy and follow the stubs,
 * then the pull secrets and the watched cluster. Each phase that makes something pushes its undo on
 * the run's ActionStack, so teardown is the stack undone in reverse: the stubs' last events drained
 * while they still answer, then the workload stopped, then the run's objects deleted by run label.
 */
import type { Registry, Scenario } from '../../scenario/resolved.ts';
import type { ActionStack } from '../actions.ts';
import type { BackendCluster, ProvisionContext } from '../provider.ts';
import {
  kubeProxyAccess,
  newControlToken,
  type RemoteStubs,
  remoteStubs,
  type StubAccess,
} from '../remote-stub.ts';
import { clientNodeApi, type KubeApi } from './api.ts';
import { createKubeCluster } from './cluster.ts';
import { type LoadContextOptions, loadContext } from './context.ts';
import { namespaceManifest } from './manifests.ts';
import { runNamespace, runSelector } from './names.ts';
import { unplaceable } from './placement.ts';
import { createPullSecrets } from './pull-secrets.ts';
import {
  type ContextIdentity,
  type ProductionHeuristic,
  productionSignals,
  refuseProduction,
} from './safety.ts';
import { type ClusterStub, deployStubs } from './stub.ts';
import { isStubObject, STUB_CONTROL_PORT } from './stub-manifests.ts';

/** How the harness reaches a stub's control API and event feed (`namespace` is the run's). */
type StubAccessOf = (stub: ClusterStub, namespace: string) => StubAccess;

/** The context, its API and how to reach a stub's control port. */
export interface Connection {
  api: KubeApi;
  id: ContextIdentity;
  access: StubAccessOf | undefined;
}

/** What connecting needs (KubeconfigBackendOptions has it). */
interface ConnectOptions extends LoadContextOptions {
  api?: KubeApi;
  identity?: ContextIdentity;
  stubAccess?: StubAccessOf;
}

/** Loads the context once per backend; a custom api (tests) with its identity needs no kubeconfig. */
export function connectTo(options: ConnectOptions): Connection {
  // A custom api (tests) with its identity needs no kubeconfig; otherwise the context is the truth.
  const loaded = options.api && options.identity ? undefined : loadContext(options);
  const api = options.api ?? clientNodeApi(loaded!.kc);
  const access =
    options.stubAccess ??
    (loaded &&
      ((stub: ClusterStub, namespace: string) =>
        kubeProxyAccess({
          kc: loaded.kc,
          namespace,
          service: stub.controlService,
          port: STUB_CONTROL_PORT,
          tls: stub.tls,
        })));
  const id = options.identity ?? loaded?.id;
  if (id === undefined) throw new TypeError('identity: with a custom api, pass the identity to check too');
  return { api, id, access };
}

/** What checking needs (KubeconfigBackendOptions has it). */
interface CheckOptions extends ProductionHeuristic {
  stubImage?: string;
  allowProduction?: boolean;
  namespace?: string;
}

/** Everything that can refuse `scenario` before anything is created (read-only calls only). */
export async function checkScenario(
  scenario: Scenario,
  options: CheckOptions,
  connect: () => Connection,
): Promise<void> {
  if (!options.stubImage) {
    throw new TypeError(
      'stubImage: the kubeconfig backend needs --stub-image <image the nodes can pull>; build one with `pullstorm image build`',
    );
  }
  const virtual = scenario.backend.nodes.filter((n) => n.kind === 'virtual').map((n) => n.name);
  if (virtual.length)
    throw new RangeError(`backend kubeconfig runs real nodes only; virtual: ${virtual.join(', ')}`);
  const { api, id } = connect();
  const namespaces = await api.listNamespaceNames();
  refuseProduction(id, productionSignals(id, namespaces.length, options), options.allowProduction ?? false);
  if (options.namespace !== undefined && !namespaces.includes(options.namespace))
    throw new RangeError(
      `--namespace: expected an existing namespace of context ${id.context}, got '${options.namespace}' (without --namespace the run creates its own)`,
    );
  const nodeNames = (await api.listNodes()).map((n) => n.metadata?.name ?? '');
  const unplaced = unplaceable(scenario, nodeNames);
  if (unplaced.length) throw new RangeError(`backend kubeconfig: ${unplaced.join('; ')}`);
}

/** What one run's phases share; `relay` and `cluster` are set as the phases make them. */
export interface KubeRun {
  stack: ActionStack;
  api: KubeApi;
  access: StubAccessOf;
  runId: string;
  namespace: string;
  /** The run created its namespace (no `--namespace`), so teardown deletes it whole. */
  own: boolean;
  log: (line: string) => void;
  relay?: RemoteStubs;
  cluster?: BackendCluster;
}

/** Names the run's namespace and says where the run goes; refuses a custom api without stub access. */
export function openRun(
  stack: ActionStack,
  { api, id, access }: Connection,
  namespaceOption: string | undefined,
  ctx: ProvisionContext,
): KubeRun {
  if (access === undefined)
    throw new TypeError(
      'stubAccess: with a custom api there is no kubeconfig to reach the stubs through; pass stubAccess too',
    );
  const own = namespaceOption === undefined;
  const namespace = namespaceOption ?? runNamespace(ctx.runId);
  const log = ctx.log ?? (() => undefined);
  log(`kubeconfig: context ${id.context}, namespace ${namespace}`);
  return { stack, api, access, runId: ctx.runId, namespace, own, log };
}

/** Creates the run's own namespace, or takes the user's; the undo deletes by run label either way. */
export async function provideNamespace(run: KubeRun): Promise<void> {
  const { api, runId, namespace } = run;
  const selector = runSelector(runId);
  if (!run.own) {
    // A namespace the user owns stays; the run's objects in it go by their run label, every kind even
    // when one fails (pushed in reverse, so they are undone in this order).
    for (const kind of ['secrets', 'services', 'pods', 'deployments'] as const)
      run.stack.defer(`delete the run's ${kind} in ${namespace}`, () =>
        api.deleteByLabel(kind, namespace, selector),
      );
    return;
  }
  await api.createNamespace(namespaceManifest(runId, namespace));
  // The namespace goes by its run label, with everything in it (stubs, tokens, the CA key).
  run.stack.defer(`delete namespace ${namespace}`, () => api.deleteByLabel('namespaces', '', selector));
}

/** What deploying the stubs needs beyond the run. */
interface StubsOptions {
  image: string;
  registries: Registry[];
  readyTimeoutMs?: number;
}

/** Deploys the stubs and follows their event feeds through their control ports. */
export async function startStubs(
  run: KubeRun,
  o: StubsOptions,
  ctx: ProvisionContext,
): Promise<ClusterStub[]> {
  const { api, namespace, log } = run;
  const controlToken = newControlToken();
  const stubs = await deployStubs(o.registries, {
    api,
    runId: run.runId,
    namespace,
    image: o.image,
    outDir: ctx.outDir,
    controlToken,
    ...(o.readyTimeoutMs ? { readyTimeoutMs: o.readyTimeoutMs } : {}),
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
  // Registered before the relay, so teardown drains first, while the stubs still answer, then
  // stops the workload (watchCluster makes it).
  run.stack.defer('stop the workload', async () => {
    try {
      await run.cluster?.stop();
    } finally {
      run.cluster = undefined;
    }
  });
  const relay = remoteStubs(
    stubs.map((s) => ({ name: s.registry, access: run.access(s, namespace), token: controlToken })),
    {
      emit: ctx.emit,
      onError: (e) => log(`kubeconfig: ${e.message}`),
      log: (l) => log(`kubeconfig: ${l}`),
    },
  );
  run.relay = relay;
  run.stack.defer('stop following the stubs', async () => {
    try {
      await relay.stop();
    } finally {
      run.relay = undefined;
    }
  });
  for (const s of stubs)
    log(
      `kubeconfig: registry ${s.registry} at ${s.host} on every node${s.caFile ? ` (CA ${s.caFile})` : ''}`,
    );
  return stubs;
}

/**
 * Pull secrets for the stub hosts, the cluster's version for the report, then the watched cluster the
 * workload runs on (pod images rewritten to the stubs by `image`).
 */
export async function watchCluster(
  run: KubeRun,
  registries: Registry[],
  stubs: ClusterStub[],
  image: (image: string) => string,
  ctx: ProvisionContext,
): Promise<{ cluster: BackendCluster; versions: Record<string, string> }> {
  const { api, runId, namespace, log } = run;
  await createPullSecrets(api, registries, (name) => stubs.find((s) => s.registry === name)!.host, {
    runId,
    namespace,
  });
  const versions = { kubernetes: `${await api.version()} (real kubelet)` };
  run.cluster = await createKubeCluster({
    api,
    runId,
    namespace,
    nodeLabel: 'kubernetes.io/hostname',
    emit: ctx.emit,
    log: (line) => log(`kubeconfig: ${line}`),
    image,
    ignore: ({ name }) => isStubObject(name),
  });
  return { cluster: run.cluster, versions };
}
