/**
 * The few Kubernetes API calls pullstorm makes, behind one small interface so the cluster logic is
 * tested against a fake and the real calls live in one place (@kubernetes/client-node 2.x).
 *
 * Deletes take a label selector only, and every implementation refuses one without the run-id
 * label (`assertRunSelector`): pullstorm never deletes by name alone, so it cannot remove an object
 * it did not create. Namespaces and Services have no reliable `deletecollection` (Services gained it
 * late), so those are listed by the selector and each one found is deleted.
 */
import {
  AppsV1Api,
  AuthorizationV1Api,
  CoreV1Api,
  type CoreV1Event,
  type KubeConfig,
  type V1Deployment,
  type V1Namespace,
  type V1Node,
  type V1Pod,
  type V1Scale,
  type V1Secret,
  type V1SelfSubjectAccessReview,
  type V1Service,
  VersionApi,
  Watch,
} from '@kubernetes/client-node';
import { LABEL_PULLSTORM, LABEL_RUN_ID } from './names.ts';
import type { ListWatchSource, WatchType } from './watch.ts';

/** A run's namespace as `pullstorm clean --context` lists it. */
export interface RunNamespace {
  name: string;
  /** The `pullstorm.run-id` label's value (the run id, or its shortened form). */
  runId: string;
  /** ISO creation time, when the server gave one. */
  created?: string;
}

/** Kinds `deleteByLabel` removes. */
export type DeletableKind = 'pods' | 'deployments' | 'secrets' | 'services' | 'namespaces';

/** A SelfSubjectAccessReview's question: may I `verb` this resource (in `namespace`; '' is every namespace)? */
export interface AccessQuestion {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  namespace?: string;
}

/** The API calls pullstorm makes. Errors keep client-node's `code` (HTTP status). */
export interface KubeApi {
  /** The API server's `gitVersion`, e.g. `v1.35.1`. */
  version(): Promise<string>;
  listNodes(): Promise<V1Node[]>;
  /** Names of every namespace (the production heuristic counts them). */
  listNamespaceNames(): Promise<string[]>;
  /** pullstorm's run namespaces (label `pullstorm=true` and a run id), for `pullstorm clean --context`. */
  listRunNamespaces(): Promise<RunNamespace[]>;
  createNamespace(body: V1Namespace): Promise<void>;
  createPod(namespace: string, body: V1Pod): Promise<V1Pod>;
  createDeployment(namespace: string, body: V1Deployment): Promise<void>;
  /** Sets a deployment's replicas through its scale subresource. */
  scaleDeployment(namespace: string, name: string, replicas: number): Promise<void>;
  createSecret(namespace: string, body: V1Secret): Promise<void>;
  /** Creates a Service; resolves with it as stored (its assigned nodePort). */
  createService(namespace: string, body: V1Service): Promise<V1Service>;
  /** Deletes every `kind` matching `labelSelector` (must hold the run id) and, optionally, `fieldSelector`. */
  deleteByLabel(
    kind: DeletableKind,
    namespace: string,
    labelSelector: string,
    fieldSelector?: string,
  ): Promise<void>;
  /** Pods of `namespace` matching `labelSelector`, to list and watch. */
  pods(namespace: string, labelSelector: string): ListWatchSource<V1Pod>;
  /** Events of `namespace`, optionally narrowed by `fieldSelector` (e.g. `involvedObject.kind=Node`). */
  events(namespace: string, fieldSelector?: string): ListWatchSource<CoreV1Event>;
  /** Asks the API server whether the context's own identity may do `q` (SelfSubjectAccessReview, read-only). */
  reviewAccess(q: AccessQuestion): Promise<{ allowed: boolean; reason?: string }>;
}

/** Throws TypeError unless `selector` has a `pullstorm.run-id=<value>` term. */
export function assertRunSelector(selector: string): void {
  const terms = selector.split(',').map((t) => t.trim());
  if (!terms.some((t) => t.startsWith(`${LABEL_RUN_ID}=`) && t.length > LABEL_RUN_ID.length + 1)) {
    throw new TypeError(
      `refusing to delete with selector '${selector}': it must include ${LABEL_RUN_ID}=<run id>`,
    );
  }
}

/** The `autoscaling/v1` Scale a scale step sends (PUT deployments/scale). */
export function scaleBody(namespace: string, name: string, replicas: number): V1Scale {
  return { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name, namespace }, spec: { replicas } };
}

/** The SelfSubjectAccessReview asking `q` of the API server. */
export function accessReviewBody(q: AccessQuestion): V1SelfSubjectAccessReview {
  return {
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SelfSubjectAccessReview',
    spec: {
      resourceAttributes: {
        verb: q.verb,
        group: q.group,
        resource: q.resource,
        ...(q.subresource ? { subresource: q.subresource } : {}),
        ...(q.namespace ? { namespace: q.namespace } : {}),
      },
    },
  };
}

// The server closes a watch after this, before client-node's 30 s inactivity timer fires.
const WATCH_TIMEOUT_SECONDS = 25;

function source<T>(
  kc: KubeConfig,
  path: string,
  query: Record<string, string>,
  list: () => Promise<{ items: T[]; metadata?: { resourceVersion?: string } }>,
): ListWatchSource<T> {
  return {
    async list() {
      const result = await list();
      return { items: result.items, resourceVersion: result.metadata?.resourceVersion ?? '' };
    },
    async watch(resourceVersion, onEvent, onDone) {
      const params = {
        ...query,
        resourceVersion,
        allowWatchBookmarks: true,
        timeoutSeconds: WATCH_TIMEOUT_SECONDS,
      };
      const controller = await new Watch(kc).watch(
        path,
        params,
        (type, object) => onEvent(type as WatchType, object),
        onDone,
      );
      return { abort: () => controller.abort() };
    },
  };
}

/** The real API for `kc` (its current context). */
export function clientNodeApi(kc: KubeConfig): KubeApi {
  const core = kc.makeApiClient(CoreV1Api);
  const apps = kc.makeApiClient(AppsV1Api);
  const authz = kc.makeApiClient(AuthorizationV1Api);
  const deleteEach = async (names: string[], remove: (name: string) => Promise<unknown>) => {
    await Promise.all(
      names.map((name) =>
        remove(name).catch((e: { code?: number }) => (e.code === 404 ? undefined : Promise.reject(e))),
      ),
    );
  };
  return {
    version: async () => (await kc.makeApiClient(VersionApi).getCode()).gitVersion,
    listNodes: async () => (await core.listNode()).items,
    listNamespaceNames: async () => (await core.listNamespace()).items.map((n) => n.metadata?.name ?? ''),
    listRunNamespaces: async () =>
      (await core.listNamespace({ labelSelector: `${LABEL_PULLSTORM}=true,${LABEL_RUN_ID}` })).items.map(
        (n) => ({
          name: n.metadata?.name ?? '',
          runId: n.metadata?.labels?.[LABEL_RUN_ID] ?? '',
          ...(n.metadata?.creationTimestamp
            ? { created: new Date(n.metadata.creationTimestamp).toISOString() }
            : {}),
        }),
      ),
    createNamespace: async (body) => void (await core.createNamespace({ body })),
    createPod: (namespace, body) => core.createNamespacedPod({ namespace, body }),
    createDeployment: async (namespace, body) =>
      void (await apps.createNamespacedDeployment({ namespace, body })),
    scaleDeployment: async (namespace, name, replicas) =>
      void (await apps.replaceNamespacedDeploymentScale({
        name,
        namespace,
        body: scaleBody(namespace, name, replicas),
      })),
    createSecret: async (namespace, body) => void (await core.createNamespacedSecret({ namespace, body })),
    createService: (namespace, body) => core.createNamespacedService({ namespace, body }),
    async deleteByLabel(kind, namespace, labelSelector, fieldSelector) {
      assertRunSelector(labelSelector);
      const q = {
        namespace,
        labelSelector,
        ...(fieldSelector ? { fieldSelector } : {}),
        gracePeriodSeconds: 0,
      };
      if (kind === 'pods') await core.deleteCollectionNamespacedPod(q);
      else if (kind === 'deployments')
        await apps.deleteCollectionNamespacedDeployment({ ...q, propagationPolicy: 'Background' });
      else if (kind === 'secrets') await core.deleteCollectionNamespacedSecret(q);
      else if (kind === 'services') {
        const found = await core.listNamespacedService({ namespace, labelSelector });
        await deleteEach(
          found.items.map((s) => s.metadata?.name ?? ''),
          (name) => core.deleteNamespacedService({ name, namespace }),
        );
      } else {
        const found = await core.listNamespace({ labelSelector });
        await deleteEach(
          found.items.map((n) => n.metadata?.name ?? ''),
          (name) => core.deleteNamespace({ name }),
        );
      }
    },
    async reviewAccess(q) {
      const review = await authz.createSelfSubjectAccessReview({ body: accessReviewBody(q) });
      const status = review.status;
      const reason = status?.reason || status?.evaluationError;
      return { allowed: status?.allowed === true && status.denied !== true, ...(reason ? { reason } : {}) };
    },
    pods: (namespace, labelSelector) =>
      source(kc, `/api/v1/namespaces/${namespace}/pods`, { labelSelector }, () =>
        core.listNamespacedPod({ namespace, labelSelector }),
      ),
    events: (namespace, fieldSelector) =>
      source(kc, `/api/v1/namespaces/${namespace}/events`, fieldSelector ? { fieldSelector } : {}, () =>
        core.listNamespacedEvent({ namespace, ...(fieldSelector ? { fieldSelector } : {}) }),
      ),
  };
}
