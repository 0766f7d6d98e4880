/**
 * One permission table for `pullstorm doctor --context` and `pullstorm rbac`: the role printed grants
 * exactly the set the doctor asks the API server about, in both namespace modes; a refused one is
 * listed by the doctor with why the run needs it.
 */
import type { V1Node } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { checkAccess, describeAccess } from '../../../harness/backends/kubeconfig/doctor.ts';
import { rbacManifests, renderRbac, requiredAccess } from '../../../harness/backends/kubeconfig/rbac.ts';
import { FakeApi } from './fake-api.ts';

type Rule = { apiGroups: string[]; resources: string[]; verbs: string[] };
type Obj = { kind: string; metadata: { name: string; namespace?: string }; rules?: Rule[] };

/** Every (scope, group, resource, verb) a set of printed roles grants. */
function granted(yamlText: string): string[] {
  const docs = parseAllDocuments(yamlText).map((d) => d.toJS() as Obj);
  return docs
    .filter((d) => d.rules)
    .flatMap((d) =>
      d.rules!.flatMap((r) =>
        r.apiGroups.flatMap((g) =>
          r.resources.flatMap((res) =>
            r.verbs.map(
              (v) => `${d.kind === 'Role' ? `ns:${d.metadata.namespace}` : d.metadata.name}|${g}|${res}|${v}`,
            ),
          ),
        ),
      ),
    )
    .sort();
}

/** Every question the doctor asked, in the same shape (cluster-scoped roles vs the namespaced one). */
async function asked(namespace?: string): Promise<string[]> {
  const api = new FakeApi();
  await checkAccess(api, namespace === undefined ? {} : { namespace });
  const clusterScoped = new Set(['namespaces', 'nodes']);
  return api.reviews
    .map((q) => {
      const res = q.subresource ? `${q.resource}/${q.subresource}` : q.resource;
      const holder = clusterScoped.has(q.resource)
        ? 'pullstorm'
        : namespace === undefined
          ? 'pullstorm-run'
          : `ns:${q.namespace}`;
      return `${holder}|${q.group}|${res}|${q.verb}`;
    })
    .sort();
}

describe('pullstorm rbac and doctor --context share one permission set', () => {
  it('own namespace (default): the printed ClusterRoles grant exactly what the doctor checks', async () => {
    const doctor = await asked();
    expect(granted(renderRbac())).toEqual(doctor);
    expect(doctor).toContain('pullstorm||namespaces|create');
    expect(doctor).toContain('pullstorm-run||services/proxy|create');
    expect(doctor).toContain('pullstorm-run|apps|deployments/scale|update');
    expect(doctor).not.toContain('pullstorm-run||services|delete');
  });

  it('--namespace: a ClusterRole for nodes and the namespace count, and a Role in that namespace only', async () => {
    const doctor = await asked('team-a');
    const text = renderRbac({ namespace: 'team-a' });
    expect(granted(text)).toEqual(doctor);
    expect(doctor).toContain('ns:team-a||services|delete');
    expect(doctor).not.toContain('pullstorm||namespaces|create');
    const kinds = rbacManifests({ namespace: 'team-a' }).map((o) => (o as Obj).kind);
    expect(kinds).toEqual(['ClusterRole', 'Role']);
  });

  it('with --subject the bindings are printed too, and a malformed subject is refused with what was expected', () => {
    const objects = rbacManifests({ namespace: 'team-a', subject: 'User:alice' }) as Obj[];
    expect(objects.map((o) => o.kind)).toEqual(['ClusterRole', 'Role', 'ClusterRoleBinding', 'RoleBinding']);
    expect(objects[3]).toMatchObject({
      metadata: { namespace: 'team-a' },
      roleRef: { kind: 'Role', name: 'pullstorm' },
      subjects: [{ kind: 'User', name: 'alice' }],
    });
    expect(() => rbacManifests({ subject: 'alice' })).toThrow(
      "--subject: expected User:<name>, Group:<name> or ServiceAccount:<namespace>:<name>, got 'alice'",
    );
  });

  it('the doctor lists each refused permission with why the run needs it', async () => {
    const api = new FakeApi();
    api.nodes = [{ metadata: { name: 'n' } } as V1Node];
    api.denied.add('create /services/proxy');
    api.denied.add('update apps/deployments/scale');
    const result = await checkAccess(api, { namespace: 'team-a' });
    expect(result.checked).toBe(requiredAccess({ namespace: 'team-a' }).length);
    expect(result.missing).toEqual([
      'update deployments/scale.apps in team-a — ramps and scale steps',
      "create services/proxy in team-a — faults and the stubs' event feed through the API server's service proxy (GET, POST, DELETE)",
    ]);
    const [first] = requiredAccess();
    expect(describeAccess(first!)).toMatch(/^list namespaces cluster-wide — /);
  });
});
