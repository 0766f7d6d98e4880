/**
 * Every API permission a kubeconfig run needs, in one table: `pullstorm doctor --context` asks the
 * API server about each row (SelfSubjectAccessReview), and `pullstorm rbac` prints a role granting
 * exactly these rows, so the two cannot disagree (test/backends/kubeconfig/rbac.test.ts).
 *
 * Where the run's objects live decides the shape:
 * - its own namespace `pullstorm-<run id>` (the default): pullstorm creates and deletes it, so it
 *   needs namespace create/delete, and the namespaced rows must hold in a namespace that does not
 *   exist yet. RBAC has no "namespaces I created": only a ClusterRoleBinding grants them there, so
 *   both roles are ClusterRoles and the namespaced one applies in every namespace.
 * - a namespace the user already has (`--namespace`): no namespace verbs, and the namespaced rows go
 *   in a Role bound in that namespace only — the minimal ClusterRole/Role pair. Teardown then deletes
 *   the run's objects by label, which needs list/delete rows the first shape does not.
 */
import { stringify } from 'yaml';

/** One permission: a verb on a resource (with its API group and subresource). */
export interface Access {
  /** `cluster` for cluster-scoped resources; `namespace` for the run's namespace. */
  scope: 'cluster' | 'namespace';
  /** API group; '' is the core group. */
  group: string;
  resource: string;
  subresource?: string;
  verb: string;
  /** The pullstorm call that needs it. */
  why: string;
}

/** Where a run puts its objects. */
export interface AccessMode {
  /** An existing namespace the run uses (`--namespace`); default none: the run creates its own. */
  namespace?: string;
}

type Row = Omit<Access, 'verb'> & { verbs: string[]; only?: 'own' | 'given' };

// The calls are in api.ts (clientNodeApi), backend.ts, stub.ts, cluster.ts and remote-stub.ts.
const TABLE: readonly Row[] = [
  {
    scope: 'cluster',
    group: '',
    resource: 'namespaces',
    verbs: ['list'],
    why: 'the production check counts namespaces; teardown and `pullstorm clean --context` find the run namespace by label',
  },
  {
    scope: 'cluster',
    group: '',
    resource: 'namespaces',
    verbs: ['create', 'delete'],
    only: 'own',
    why: "the run's own namespace, created at provisioning and deleted at teardown",
  },
  {
    scope: 'cluster',
    group: '',
    resource: 'nodes',
    verbs: ['list'],
    why: 'placement: every node a workload pins must exist',
  },
  {
    scope: 'namespace',
    group: '',
    resource: 'secrets',
    verbs: ['create'],
    why: 'pull secrets, the stub users, the TLS key pair and the control token',
  },
  {
    scope: 'namespace',
    group: '',
    resource: 'secrets',
    verbs: ['deletecollection'],
    only: 'given',
    why: "teardown deletes the run's Secrets by label",
  },
  {
    scope: 'namespace',
    group: 'apps',
    resource: 'deployments',
    verbs: ['create', 'deletecollection'],
    why: 'the stubs and the workload; workload Deployments are deleted by label when the run stops',
  },
  {
    scope: 'namespace',
    group: 'apps',
    resource: 'deployments',
    subresource: 'scale',
    verbs: ['update'],
    why: 'ramps and scale steps',
  },
  {
    scope: 'namespace',
    group: '',
    resource: 'services',
    verbs: ['create'],
    why: "each stub's NodePort and control Service",
  },
  {
    scope: 'namespace',
    group: '',
    resource: 'services',
    verbs: ['list', 'delete'],
    only: 'given',
    why: "teardown deletes the run's Services by label (Services have no deletecollection)",
  },
  {
    scope: 'namespace',
    group: '',
    resource: 'services',
    subresource: 'proxy',
    verbs: ['get', 'create', 'delete'],
    why: "faults and the stubs' event feed through the API server's service proxy (GET, POST, DELETE)",
  },
  {
    scope: 'namespace',
    group: '',
    resource: 'pods',
    verbs: ['create', 'list', 'watch', 'deletecollection'],
    why: 'workload pods, watched with the stub pods; deleted by label when the run stops',
  },
  {
    scope: 'namespace',
    group: '',
    resource: 'events',
    verbs: ['list', 'watch'],
    why: "kubelet's and the controllers' events: the run's evidence",
  },
];

/** Every permission a run in `mode` needs, one verb per entry, in table order. */
export function requiredAccess(mode: AccessMode = {}): Access[] {
  const given = mode.namespace !== undefined;
  return TABLE.filter((r) => r.only === undefined || (r.only === 'given') === given).flatMap(
    ({ verbs, only: _only, ...row }) => verbs.map((verb) => ({ ...row, verb })),
  );
}

/** `resource` or `resource/subresource`, as RBAC rules name it. */
export function ruleResource(a: Pick<Access, 'resource' | 'subresource'>): string {
  return a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
}

interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

/** Rules for `access`: one per group and resource, verbs in table order. */
function rulesOf(access: readonly Access[]): PolicyRule[] {
  const rules = new Map<string, PolicyRule>();
  for (const a of access) {
    const key = `${a.group}|${ruleResource(a)}`;
    const rule = rules.get(key) ?? { apiGroups: [a.group], resources: [ruleResource(a)], verbs: [] };
    if (!rule.verbs.includes(a.verb)) rule.verbs.push(a.verb);
    rules.set(key, rule);
  }
  return [...rules.values()];
}

/** Options of `rbacManifests`. */
export interface RbacOptions extends AccessMode {
  /** The user or group to bind, e.g. `User:alice` or `Group:ci`; default none (no bindings printed). */
  subject?: string;
  /** Name of the roles and bindings; default `pullstorm`. */
  name?: string;
}

/** Throws TypeError for a subject not of the form `User:<name>`, `Group:<name>` or `ServiceAccount:<ns>:<name>`. */
function subjectOf(text: string): Record<string, string> {
  const [kind, ...rest] = text.split(':');
  if ((kind === 'User' || kind === 'Group') && rest.length === 1 && rest[0])
    return { kind, apiGroup: 'rbac.authorization.k8s.io', name: rest[0] };
  if (kind === 'ServiceAccount' && rest.length === 2 && rest[0] && rest[1])
    return { kind, namespace: rest[0], name: rest[1] };
  throw new TypeError(
    `--subject: expected User:<name>, Group:<name> or ServiceAccount:<namespace>:<name>, got '${text}'`,
  );
}

/** The roles (and, with a subject, their bindings) granting exactly `requiredAccess(options)`. */
export function rbacManifests(options: RbacOptions = {}): Record<string, unknown>[] {
  const name = options.name ?? 'pullstorm';
  const access = requiredAccess(options);
  const ns = options.namespace;
  const labels = { 'app.kubernetes.io/name': 'pullstorm' };
  const clusterRole = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name, labels },
    rules: rulesOf(access.filter((a) => a.scope === 'cluster')),
  };
  // Own namespace: the run namespace does not exist before the run, so its rows are cluster-wide.
  const runRole =
    ns === undefined
      ? {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'ClusterRole',
          metadata: { name: `${name}-run`, labels },
        }
      : {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'Role',
          metadata: { name, namespace: ns, labels },
        };
  const role = { ...runRole, rules: rulesOf(access.filter((a) => a.scope === 'namespace')) };
  const objects: Record<string, unknown>[] = [clusterRole, role];
  if (options.subject !== undefined) {
    const subjects = [subjectOf(options.subject)];
    const roleRef = (kind: string, n: string) => ({ apiGroup: 'rbac.authorization.k8s.io', kind, name: n });
    objects.push({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name, labels },
      roleRef: roleRef('ClusterRole', name),
      subjects,
    });
    objects.push(
      ns === undefined
        ? {
            apiVersion: 'rbac.authorization.k8s.io/v1',
            kind: 'ClusterRoleBinding',
            metadata: { name: `${name}-run`, labels },
            roleRef: roleRef('ClusterRole', `${name}-run`),
            subjects,
          }
        : {
            apiVersion: 'rbac.authorization.k8s.io/v1',
            kind: 'RoleBinding',
            metadata: { name, namespace: ns, labels },
            roleRef: roleRef('Role', name),
            subjects,
          },
    );
  }
  return objects;
}

/** The manifests as one multi-document YAML, with a header saying what it grants and why. */
export function renderRbac(options: RbacOptions = {}): string {
  const header = [
    '# The permissions a pullstorm run on an existing cluster needs (pullstorm doctor --context checks the same set).',
    options.namespace === undefined
      ? '# Each run creates its own namespace pullstorm-<run id>, so the namespaced rules (second role) must be bound\n# cluster-wide; to keep them to one namespace, run with --namespace <ns> and print this with --namespace <ns>.'
      : `# The run uses the existing namespace ${options.namespace}; the Role grants the namespaced rules there only.`,
    ...(options.subject === undefined
      ? ['# Bind them to your user or CI identity (or print bindings with --subject User:<name>).']
      : []),
  ];
  return `${header.join('\n')}\n${rbacManifests(options)
    .map((o) => `---\n${stringify(o, { lineWidth: 0 })}`)
    .join('')}`;
}
