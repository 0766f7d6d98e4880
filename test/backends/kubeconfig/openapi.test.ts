/**
 * Every object the harness sends to a Kubernetes API server, validated against the Kubernetes
 * OpenAPI schema as the `kubernetes-models` package ships it (5.1.0: the 1.34 API — it has
 * resource.k8s.io/v1 and PodSpec.hostnameOverride — which covers the kind node image's 1.35 for
 * these long-stable kinds). The schema checks types, enums and required fields but allows unknown
 * ones, as the API server's default field validation does, so each object is also round-tripped
 * through client-node's generated models, which drop any field the API does not know.
 *
 * The checker is shown to have teeth first: a wrong enum, a wrong type and an unknown field fail.
 */
import { isDeepStrictEqual } from 'node:util';
import { ObjectSerializer } from '@kubernetes/client-node/dist/serializer.js';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { SelfSubjectAccessReview } from 'kubernetes-models/authorization.k8s.io/v1/SelfSubjectAccessReview';
import { Scale } from 'kubernetes-models/autoscaling/v1/Scale';
import { ClusterRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import { ClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import { Role } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Pod } from 'kubernetes-models/v1/Pod';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { describe, expect, it } from 'vitest';
import { accessReviewBody, scaleBody } from '../../../harness/backends/kubeconfig/api.ts';
import {
  deploymentManifest,
  namespaceManifest,
  podManifest,
  pullSecretManifest,
} from '../../../harness/backends/kubeconfig/manifests.ts';
import { rbacManifests, requiredAccess } from '../../../harness/backends/kubeconfig/rbac.ts';
import { controlSecret, stubObjects } from '../../../harness/backends/kubeconfig/stub-manifests.ts';
import type { Registry } from '../../../harness/scenario/resolved.ts';

/** kind → the schema's model class and client-node's model type name. */
const MODELS: Record<string, { model: new (data: never) => { validate(): void }; type: string }> = {
  'v1/Namespace': { model: Namespace, type: 'V1Namespace' },
  'v1/Pod': { model: Pod, type: 'V1Pod' },
  'v1/Secret': { model: Secret, type: 'V1Secret' },
  'v1/Service': { model: Service, type: 'V1Service' },
  'apps/v1/Deployment': { model: Deployment, type: 'V1Deployment' },
  'autoscaling/v1/Scale': { model: Scale, type: 'V1Scale' },
  'authorization.k8s.io/v1/SelfSubjectAccessReview': {
    model: SelfSubjectAccessReview,
    type: 'V1SelfSubjectAccessReview',
  },
  'rbac.authorization.k8s.io/v1/ClusterRole': { model: ClusterRole, type: 'V1ClusterRole' },
  'rbac.authorization.k8s.io/v1/Role': { model: Role, type: 'V1Role' },
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': {
    model: ClusterRoleBinding,
    type: 'V1ClusterRoleBinding',
  },
  'rbac.authorization.k8s.io/v1/RoleBinding': { model: RoleBinding, type: 'V1RoleBinding' },
};

/** Every problem the schema and the generated models find in `object` (empty: valid). */
function problems(object: unknown): string[] {
  const o = object as { apiVersion?: string; kind?: string };
  const entry = MODELS[`${o.apiVersion}/${o.kind}`];
  if (!entry) return [`no schema for ${o.apiVersion}/${o.kind}`];
  const found: string[] = [];
  try {
    new entry.model(structuredClone(object) as never).validate();
  } catch (error) {
    found.push(`schema: ${(error as Error).message}`);
  }
  const plain = JSON.parse(JSON.stringify(object));
  const round = JSON.parse(
    JSON.stringify(ObjectSerializer.serialize(ObjectSerializer.deserialize(plain, entry.type), entry.type)),
  );
  // Key order differs (the models write fields in their own order); content must not.
  if (!isDeepStrictEqual(round, plain)) found.push('unknown fields: the generated models drop some');
  return found;
}

const ctx = { runId: 'run-1', namespace: 'pullstorm-run-1' };
const registry = (over: Partial<Registry> = {}): Registry =>
  ({
    name: 'hub',
    tls: true,
    auth: {
      mode: 'token',
      users: [{ username: 'Build_Bot', password: 'pw', repositories: ['**'], actions: ['pull'] }],
      anonymous: [],
    },
    fixtures: { include: ['tiny'], largeSizeBytes: 1024, largeLayers: 1 },
    mirrors: [],
    ...over,
  }) as unknown as Registry;
const pem = { certPem: 'c', keyPem: 'k', caPem: 'a', caKeyPem: 'ak' };

/** Every object the kubeconfig and kind backends send, by name. */
function everything(): [string, unknown][] {
  const withTls = stubObjects(registry(), { ...ctx, image: 'registry.example/stub:1' }, pem);
  const plain = stubObjects(registry({ tls: false, auth: undefined }), { ...ctx, image: 'stub:1' });
  const objects: [string, unknown][] = [
    ['namespace', namespaceManifest('run-1', ctx.namespace)],
    [
      'workload pod',
      podManifest(
        {
          name: 'p',
          image: 'localhost:30500/pullstorm/tiny:1.0',
          imagePullPolicy: 'Always',
          imagePullSecrets: ['hub-Build_Bot'],
          nodeSelector: ['worker-1'],
          command: ['/pullstorm'],
          args: ['sleep'],
        },
        ctx,
      ),
    ],
    [
      'workload deployment',
      deploymentManifest(
        { name: 'web', replicas: 2, template: { image: 'x', imagePullPolicy: 'IfNotPresent' } },
        ctx,
      ),
    ],
    [
      'pull secret',
      pullSecretManifest('hub-Build_Bot', 'localhost:30500', { username: 'Build_Bot', password: 'pw' }, ctx),
    ],
    ['control secret', controlSecret(ctx, 'token')],
    ...withTls.secrets.map((s, i): [string, unknown] => [`stub secret ${i}`, s]),
    ['stub deployment (TLS)', withTls.deployment],
    ['stub deployment (plain)', plain.deployment],
    ['stub NodePort service', withTls.service],
    ['stub control service', withTls.controlService],
    ['scale', scaleBody(ctx.namespace, 'web', 3)],
    ...requiredAccess({ namespace: 'team-a' }).map((a, i): [string, unknown] => [
      `access review ${i}`,
      accessReviewBody({ ...a, ...(a.scope === 'namespace' ? { namespace: 'team-a' } : {}) }),
    ]),
    ...rbacManifests({ subject: 'User:alice' }).map((o, i): [string, unknown] => [`rbac ${i}`, o]),
    ...rbacManifests({ namespace: 'team-a', subject: 'ServiceAccount:ci:runner' }).map(
      (o, i): [string, unknown] => [`rbac --namespace ${i}`, o],
    ),
  ];
  return objects;
}

describe('every manifest against the Kubernetes OpenAPI schema', () => {
  it('the check has teeth: a wrong enum, a wrong type, an unknown field and a missing required field fail', () => {
    const pod = podManifest({ name: 'p', image: 'x' }, ctx);
    expect(problems({ ...pod, spec: { ...pod.spec, restartPolicy: 'Sometimes' } })[0]).toMatch(
      /restartPolicy must be equal to one of the allowed values/,
    );
    expect(problems({ ...pod, spec: { ...pod.spec, terminationGracePeriodSeconds: 'soon' } })[0]).toMatch(
      /terminationGracePeriodSeconds must be integer/,
    );
    expect(problems({ ...pod, spec: { ...pod.spec, restartPolcy: 'Always' } })).toEqual([
      'unknown fields: the generated models drop some',
    ]);
    const role = rbacManifests()[0] as { rules: { verbs?: string[] }[] };
    expect(problems({ ...role, rules: [{ ...role.rules[0], verbs: undefined }] })[0]).toMatch(
      /rules\/0 must have required property verbs/,
    );
  });

  it.each(everything())('%s is valid', (_name, object) => {
    expect(problems(object)).toEqual([]);
  });
});
