/**
 * The `kubeconfig` backend: an existing cluster (staging, pre-production) from the current context
 * or `--context`. It creates one namespace `pullstorm-<run id>` labelled with the run id, deploys the
 * stubs and pull secrets there, drives the workload through the API, and deletes that namespace (by
 * label) at teardown. It never changes node configuration: mirrors and CAs are the user's, and the
 * doctor says what they must be. It refuses a context that looks like production (safety.ts).
 * Provisioning is a few phases (provision.ts), each pushing its undo on an ActionStack; teardown
 * undoes the stack in reverse.
 *
 * Registry faults and the stubs' events go through the API server's service proxy to each stub's
 * control listener (`services/<https:|http:>pullstorm-control-<r>:5001/proxy/_pullstorm/…`) with
 * the context's own credentials. Every permission a run needs is in one table (rbac.ts): `pullstorm
 * doctor --context` checks it and `pullstorm rbac` prints a role granting it. With `--namespace` the
 * run uses an existing namespace instead of creating one (for users who may not create namespaces)
 * and deletes its objects there by run label. That path is proven in tests against a
 * local HTTPS server that serves it as kube-apiserver does (test/backends/remote-stub/), not against
 * a real API server: no cluster runs on the development machine. The stub runs `pullstorm serve`
 * with the Deployment's own arguments and Secrets in test/backends/kubeconfig/served-stub.test.ts,
 * where connection and TLS faults applied through this backend are seen by real clients.
 */

import type { Scenario } from '../../scenario/resolved.ts';
import { ActionStack } from '../actions.ts';
import { registryHost } from '../names.ts';
import {
  type Backend,
  type BackendCandidate,
  type BackendCluster,
  type BackendInfo,
  CERTIFICATE_FAULTS,
  failProvision,
  type ProvisionContext,
} from '../provider.ts';
import type { StubAccess } from '../remote-stub.ts';
import { clientNodeApi, type KubeApi } from './api.ts';
import { type LoadContextOptions, loadContext } from './context.ts';
import { httpStatus, KubeRefusedError } from './errors.ts';
import {
  type Connection,
  checkScenario,
  connectTo,
  type KubeRun,
  openRun,
  provideNamespace,
  startStubs,
  watchCluster,
} from './provision.ts';
import { type ContextIdentity, type ProductionHeuristic, productionSignals } from './safety.ts';
import type { ClusterStub } from './stub.ts';
import { UNVERIFIED_TLS_REASON } from './tls-limits.ts';

/** Options of `kubeconfigBackend`. */
export interface KubeconfigBackendOptions extends LoadContextOptions, ProductionHeuristic {
  /** The stub image the nodes can pull (`--stub-image`); required to provision. */
  stubImage?: string;
  /** How long the stubs may take to be Ready; default 120 000 ms. */
  stubReadyTimeoutMs?: number;
  /** Run even when the context looks like production; default false. */
  allowProduction?: boolean;
  /**
   * An existing namespace to run in (`--namespace`), for users who may not create namespaces; the
   * run's objects there are deleted by run label at teardown. Default none: the run creates
   * `pullstorm-<run id>` and deletes it whole. Two runs cannot share one namespace (the stubs'
   * object names are fixed).
   */
  namespace?: string;
  /** An API to use instead of the context's (tests); default the real one. */
  api?: KubeApi;
  /** The identity to check when `api` is given; default read from the context. */
  identity?: ContextIdentity;
  /**
   * How the harness reaches a stub's control API and event feed (`namespace` is the run's); default
   * through the context's API server service proxy. Required with `api` (there is no context then).
   */
  stubAccess?: (stub: ClusterStub, namespace: string) => StubAccess;
}

/** What the kubeconfig backend can do: run real pods, nothing to nodes. */
export const KUBECONFIG_INFO: BackendInfo = {
  name: 'kubeconfig',
  capabilities: {
    provision: false,
    nodeFaults: false,
    diskFaults: false,
    startsContainers: true,
    perNodeNetwork: false,
    connectionFaults: true,
    verifiesTls: false,
  },
  tlsNote: UNVERIFIED_TLS_REASON,
  notes: [
    "the nodes are the user's: no node faults, no disk faults, no change to mirrors or CAs",
    'every node reaches the stub through the same NodePort, so faults cannot pick nodes',
    "connection and TLS faults act on the stub pod's registry port (serve's front door), behind the NodePort; proven against the stub run with the Deployment's arguments, not on a real cluster (none here)",
    `certificate faults (${CERTIFICATE_FAULTS.join(', ')}) are refused: ${UNVERIFIED_TLS_REASON}`,
    'faults and registry events go through the API server service proxy to the control Service: needs get/create/delete on services/proxy',
  ],
};

/** `<registry>.pullstorm.test:5000/x` → `<stub host>/x` for every stub. */
export function imageRewriter(stubs: ClusterStub[]): (image: string) => string {
  const map = new Map(stubs.map((s) => [`${registryHost(s.registry)}/`, `${s.host}/`]));
  return (image) => {
    for (const [from, to] of map) if (image.startsWith(from)) return to + image.slice(from.length);
    return image;
  };
}

/** A kubeconfig backend; nothing is contacted until `provision`. */
export function kubeconfigBackend(options: KubeconfigBackendOptions = {}): Backend {
  const stack = new ActionStack();
  let run: KubeRun | undefined;
  let versions: Record<string, string> = {};
  let connection: Connection | undefined;
  const connect = () => (connection ??= connectTo(options));
  const check = (scenario: Scenario) => checkScenario(scenario, options, connect);

  async function provision(scenario: Scenario, ctx: ProvisionContext): Promise<BackendCluster> {
    await check(scenario);
    run = openRun(stack, connect(), options.namespace, ctx);
    await provideNamespace(run);
    try {
      const stubs = await startStubs(
        run,
        {
          image: options.stubImage!,
          registries: scenario.registries,
          ...(options.stubReadyTimeoutMs ? { readyTimeoutMs: options.stubReadyTimeoutMs } : {}),
        },
        ctx,
      );
      const made = await watchCluster(run, scenario.registries, stubs, imageRewriter(stubs), ctx);
      versions = made.versions;
      return made.cluster;
    } catch (error) {
      return failProvision(error, teardown, ctx.runId);
    }
  }

  /** Stops following the stubs after a last drain, so their final requests reach the log. */
  async function quiesce(): Promise<void> {
    const following = run?.relay;
    await following?.stop();
  }

  /** Undoes the run's phases in reverse; every step runs even when one fails (the namespace must go). */
  function teardown(): Promise<void> {
    return stack.undoAll({
      label: 'kubeconfig teardown',
      onStep: (step) => run?.log(`kubeconfig: teardown: undo ${step}`),
    });
  }

  return {
    info: () => KUBECONFIG_INFO,
    check,
    provision,
    quiesce,
    get cluster() {
      return run?.cluster;
    },
    versions: () => versions,
    async applyRegistryFault(fault) {
      const relay = run?.relay;
      if (relay === undefined)
        throw new RangeError(
          `fault ${fault.id}: the kubeconfig backend has no registry stubs (not provisioned)`,
        );
      return relay.applyFault(fault);
    },
    teardown,
    [Symbol.asyncDispose]: teardown,
  };
}

/** The detection candidate: not applicable without a context, broken when the API does not answer (production is refused by `check`). */
export function kubeconfigCandidate(options: KubeconfigBackendOptions = {}): BackendCandidate {
  const name = `kubeconfig${options.context ? ` (context ${options.context})` : ''}`;
  return {
    name,
    type: 'kubeconfig',
    async probe() {
      let loaded: ReturnType<typeof loadContext>;
      try {
        loaded = loadContext(options);
      } catch (error) {
        return { status: 'not-applicable', reason: (error as Error).message };
      }
      const api = options.api ?? clientNodeApi(loaded.kc);
      try {
        const [version, namespaces] = await Promise.all([api.version(), api.listNamespaceNames()]);
        // A production-looking context is the user's choice to confirm, not a broken machine: the
        // backend's check refuses it (exit 2, naming --i-know-this-is-production) before anything.
        const signals = productionSignals(loaded.id, namespaces.length, options);
        return {
          status: 'ready',
          detail: `${loaded.id.context}, Kubernetes ${version}${signals.length ? `; looks like production: ${signals.join('; ')}` : ''}`,
          // A fresh backend: it loads the context itself (the probe's api has no stub access).
          create: () => kubeconfigBackend(options),
        };
      } catch (error) {
        // An answer that refuses (401/403) is not silence: say what the server said and what to do.
        if (httpStatus(error) !== undefined) {
          const refused = new KubeRefusedError(
            `API server ${loaded.id.server} (server version, namespace list)`,
            error,
          );
          return { status: 'broken', reason: refused.message, cause: refused };
        }
        return {
          status: 'broken',
          reason: `API server ${loaded.id.server} did not answer: ${(error as Error).message}`,
          cause: error,
        };
      }
    },
  };
}
