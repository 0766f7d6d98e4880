/**
 * An in-memory KubeApi for unit tests: creates are recorded and pushed onto the watches as the API
 * server would, deletes go through the same run-selector guard as the real one, and each watch
 * source can be made to fail, end or answer 410 on demand.
 */
import type { CoreV1Event, V1Node, V1Pod, V1Service } from '@kubernetes/client-node';
import {
  type AccessQuestion,
  assertRunSelector,
  type DeletableKind,
  type KubeApi,
  type RunNamespace,
} from '../../../harness/backends/kubeconfig/api.ts';
import type { ListWatchSource, WatchType } from '../../../harness/backends/kubeconfig/watch.ts';

type Subscriber = {
  onEvent: (type: WatchType, o: unknown) => void;
  onDone: (e: unknown) => void;
  closed: boolean;
};

/** A controllable list+watch source. */
export class FakeSource<T extends { metadata?: { resourceVersion?: string } }> implements ListWatchSource<T> {
  items: T[] = [];
  rv = 100;
  lists = 0;
  watches: string[] = [];
  listError: unknown;
  /** Every list fails with this (unlike `listError`, which fails one). */
  listAlways: unknown;
  /** Each watch ends at once with this, as client-node's Watch does on a non-200 answer. */
  watchError: unknown;
  subscribers: Subscriber[] = [];

  async list() {
    this.lists++;
    if (this.listAlways) throw this.listAlways;
    if (this.listError) {
      const e = this.listError;
      this.listError = undefined;
      throw e;
    }
    return { items: [...this.items], resourceVersion: String(this.rv) };
  }
  async watch(resourceVersion: string, onEvent: Subscriber['onEvent'], onDone: Subscriber['onDone']) {
    this.watches.push(resourceVersion);
    if (this.watchError) {
      onDone(this.watchError);
      return { abort: () => undefined };
    }
    const sub: Subscriber = { onEvent, onDone, closed: false };
    this.subscribers.push(sub);
    return {
      abort: () => {
        if (sub.closed) return;
        sub.closed = true;
        onDone(Object.assign(new Error('aborted'), { name: 'AbortError' }));
      },
    };
  }
  /** Sends an event to open watches, stamping a new resourceVersion on objects. */
  push(type: WatchType, object: T | Record<string, unknown>): void {
    this.rv++;
    if (type !== 'ERROR') {
      const o = object as T;
      o.metadata = { ...o.metadata, resourceVersion: o.metadata?.resourceVersion ?? String(this.rv) };
      if (type === 'ADDED' || type === 'MODIFIED') this.upsert(o);
    }
    for (const s of this.subscribers.filter((x) => !x.closed)) s.onEvent(type, object);
  }
  /** Ends open watches with `error` (null: cleanly). */
  end(error: unknown = null): void {
    for (const s of this.subscribers.filter((x) => !x.closed)) {
      s.closed = true;
      s.onDone(error);
    }
  }
  get open(): number {
    return this.subscribers.filter((s) => !s.closed).length;
  }
  private upsert(o: T): void {
    const name = (x: T) => (x as { metadata?: { name?: string } }).metadata?.name;
    const i = this.items.findIndex((x) => name(x) === name(o));
    if (i >= 0) this.items[i] = o;
    else this.items.push(o);
  }
}

/** The fake API; its sources and records are public for assertions. */
export class FakeApi implements KubeApi {
  podSource = new FakeSource<V1Pod>();
  eventSources = new Map<string, FakeSource<CoreV1Event>>();
  namespaces: string[] = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];
  created: { kind: string; namespace: string; body: unknown }[] = [];
  deletes: { kind: DeletableKind; namespace: string; labelSelector: string; fieldSelector?: string }[] = [];
  scales: { name: string; replicas: number; at: number }[] = [];
  podSelectors: string[] = [];
  nodes: V1Node[] = [];
  nextNodePort = 30500;

  async version() {
    return 'v1.35.1';
  }
  async listNodes() {
    return this.nodes;
  }
  async listNamespaceNames() {
    return this.namespaces;
  }
  /** Run namespaces `listRunNamespaces` answers; tests fill it. */
  runNamespaces: RunNamespace[] = [];
  async listRunNamespaces() {
    return this.runNamespaces;
  }
  async createNamespace(body: { metadata?: { name?: string } }) {
    this.created.push({ kind: 'Namespace', namespace: '', body });
    this.namespaces.push(body.metadata?.name ?? '');
  }
  async createPod(namespace: string, body: V1Pod) {
    const name = body.metadata?.name;
    if (this.podSource.items.some((p) => p.metadata?.name === name && p.metadata?.namespace === namespace)) {
      throw Object.assign(new Error('AlreadyExists'), { code: 409 });
    }
    const pod: V1Pod = structuredClone({
      ...body,
      metadata: {
        ...body.metadata,
        namespace,
        uid: crypto.randomUUID(),
        creationTimestamp: new Date() as never,
      },
      status: { phase: 'Pending' },
    });
    this.created.push({ kind: 'Pod', namespace, body });
    this.podSource.push('ADDED', pod);
    return pod;
  }
  async createDeployment(namespace: string, body: unknown) {
    this.created.push({ kind: 'Deployment', namespace, body });
  }
  async scaleDeployment(_namespace: string, name: string, replicas: number) {
    this.scales.push({ name, replicas, at: Date.now() });
  }
  async createSecret(namespace: string, body: unknown) {
    this.created.push({ kind: 'Secret', namespace, body });
  }
  async createService(namespace: string, body: V1Service) {
    this.created.push({ kind: 'Service', namespace, body });
    const ports = (body.spec?.ports ?? []).map((p) => ({ ...p, nodePort: this.nextNodePort++ }));
    return { ...body, spec: { ...body.spec, ports } };
  }
  async deleteByLabel(kind: DeletableKind, namespace: string, labelSelector: string, fieldSelector?: string) {
    assertRunSelector(labelSelector);
    this.deletes.push({ kind, namespace, labelSelector, ...(fieldSelector ? { fieldSelector } : {}) });
  }
  pods(_namespace: string, labelSelector: string) {
    this.podSelectors.push(labelSelector);
    return this.podSource;
  }
  /** Every SelfSubjectAccessReview asked; `denied` holds `verb group/resource[/sub]` strings refused. */
  reviews: AccessQuestion[] = [];
  denied = new Set<string>();
  async reviewAccess(q: AccessQuestion) {
    this.reviews.push(q);
    const key = `${q.verb} ${q.group}/${q.resource}${q.subresource ? `/${q.subresource}` : ''}`;
    return this.denied.has(key) ? { allowed: false, reason: 'no RBAC policy matched' } : { allowed: true };
  }
  events(namespace: string) {
    const found = this.eventSources.get(namespace);
    if (found) return found;
    const created = new FakeSource<CoreV1Event>();
    this.eventSources.set(namespace, created);
    return created;
  }
}
