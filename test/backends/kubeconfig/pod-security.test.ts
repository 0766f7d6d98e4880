/**
 * Every pod pullstorm creates on a cluster passes PodSecurity `restricted`, the level staging
 * namespaces often enforce: workload pods, deployment templates and the registry stub, with and
 * without TLS. The checker itself is shown to fail a pod without a securityContext.
 */
import { describe, expect, it } from 'vitest';
import { deploymentManifest, podManifest } from '../../../harness/backends/kubeconfig/manifests.ts';
import { stubObjects } from '../../../harness/backends/kubeconfig/stub-manifests.ts';
import type { Registry } from '../../../harness/scenario/resolved.ts';
import { restrictedViolations } from './pod-security.ts';

const ctx = { runId: 'run-1', namespace: 'pullstorm-run-1' };
const registry: Registry = {
  name: 'hub',
  tls: true,
  auth: {
    mode: 'token',
    users: [{ username: 'ci', password: 'pw', repositories: ['**'], actions: ['pull'] }],
    anonymous: [],
  },
  fixtures: { include: ['tiny'], largeSizeBytes: 1024, largeLayers: 1 },
  mirrors: [],
} as unknown as Registry;
const pem = { certPem: 'c', keyPem: 'k', caPem: 'a', caKeyPem: 'ak' };

describe('PodSecurity restricted', () => {
  it('the checker refuses a pod that sets nothing (so the passes below mean something)', () => {
    expect(restrictedViolations({ containers: [{ name: 'app', image: 'x' }] })).toEqual([
      'app: allowPrivilegeEscalation != false',
      'app: capabilities not dropping ALL',
      'app: runAsNonRoot != true',
      'app: seccompProfile not RuntimeDefault or Localhost',
    ]);
  });

  it('a workload pod passes, with a numeric non-root user (the fixture images set no USER)', () => {
    const pod = podManifest(
      { name: 'p', image: 'x', imagePullSecrets: ['hub-ci'], nodeSelector: ['n1'], command: ['/pullstorm'] },
      ctx,
    );
    expect(restrictedViolations(pod.spec!)).toEqual([]);
    expect(pod.spec?.securityContext?.runAsUser).toBe(65534);
  });

  it('a deployment template passes', () => {
    const d = deploymentManifest({ name: 'storm', replicas: 3, template: { image: 'x' } }, ctx);
    expect(restrictedViolations(d.spec!.template.spec!)).toEqual([]);
  });

  it('the registry stub passes, with its TLS and users Secret volumes and without', () => {
    const image = 'registry.example/stub:1';
    const tls = stubObjects(registry, { ...ctx, image }, pem);
    expect(tls.deployment.spec?.template.spec?.volumes?.map((v) => v.name)).toEqual(
      registry.auth ? ['tls', 'users'] : ['tls'],
    );
    expect(restrictedViolations(tls.deployment.spec!.template.spec!)).toEqual([]);
    const plain = stubObjects({ ...registry, tls: false }, { ...ctx, image });
    expect(restrictedViolations(plain.deployment.spec!.template.spec!)).toEqual([]);
  });
});
