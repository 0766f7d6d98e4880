/** The Kubernetes objects a run creates: shapes as the API expects them, and the run's labels on each. */
// The generated models know every field of every built-in kind; serializing drops unknown ones.
import { ObjectSerializer } from '@kubernetes/client-node/dist/serializer.js';
import { describe, expect, it } from 'vitest';
import {
  deploymentManifest,
  namespaceManifest,
  podManifest,
  pullSecretManifest,
} from '../../../harness/backends/kubeconfig/manifests.ts';
import {
  controlSecret,
  serveArgs,
  stubObjects,
} from '../../../harness/backends/kubeconfig/stub-manifests.ts';
import type { Registry } from '../../../harness/scenario/resolved.ts';
import { matchesHash } from '../../../registry-stubs/auth/bcrypt.ts';
import { parseHtpasswd } from '../../../registry-stubs/serve/serve-secrets.ts';
import { parseServeArgs } from './serve-deployment.ts';

const runId = 'storm-20260302-101500-3f9a';
const ctx = { runId, namespace: `pullstorm-${runId}` };
const runLabel = { 'pullstorm.run-id': runId };

const registry = (over: Partial<Registry> = {}): Registry => ({
  name: 'hub',
  tls: false,
  fixtures: { include: ['tiny'] as Registry['fixtures']['include'], largeSizeBytes: 1024, largeLayers: 2 },
  mirrors: [],
  ...over,
});

describe('workload manifests', () => {
  it('a pod: one container, restartPolicy Always, pull secrets, node affinity on the scenario node label', () => {
    const pod = podManifest(
      {
        name: 'p',
        image: 'hub.pullstorm.test:5000/pullstorm/tiny:1.0',
        imagePullPolicy: 'Always',
        imagePullSecrets: ['hub-ci'],
        nodeSelector: ['worker-1'],
      },
      ctx,
    );
    expect(pod).toMatchObject({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'p',
        namespace: ctx.namespace,
        labels: { ...runLabel, 'pullstorm.component': 'workload' },
      },
      spec: {
        restartPolicy: 'Always',
        containers: [
          { name: 'app', image: 'hub.pullstorm.test:5000/pullstorm/tiny:1.0', imagePullPolicy: 'Always' },
        ],
        imagePullSecrets: [{ name: 'hub-ci' }],
      },
    });
    const terms =
      pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
    expect(terms).toEqual([
      { matchExpressions: [{ key: 'pullstorm.node', operator: 'In', values: ['worker-1'] }] },
    ]);
    const real = podManifest(
      { name: 'q', image: 'x', nodeSelector: ['n1'] },
      { ...ctx, nodeLabel: 'kubernetes.io/hostname' },
    );
    expect(JSON.stringify(real)).toContain('kubernetes.io/hostname');
    // No pull policy written: the API server defaults it as for any pod.
    expect(podManifest({ name: 'r', image: 'x' }, ctx).spec?.containers[0]).not.toHaveProperty(
      'imagePullPolicy',
    );
  });

  it('a deployment selects its pods by run id and name, and its template carries both', () => {
    const d = deploymentManifest({ name: 'storm', replicas: 3, template: { image: 'x' } }, ctx);
    const select = { ...runLabel, 'pullstorm.deployment': 'storm' };
    expect(d.spec?.selector.matchLabels).toEqual(select);
    expect(d.spec?.template.metadata?.labels).toMatchObject(select);
    expect(d.spec?.replicas).toBe(3);
    expect(d.metadata?.labels).toMatchObject(runLabel);
  });

  it('a pull secret is a kubernetes.io/dockerconfigjson keyed by the image host', () => {
    const s = pullSecretManifest('hub-ci', 'localhost:30500', { username: 'ci', password: 'p@ss' }, ctx);
    expect(s.type).toBe('kubernetes.io/dockerconfigjson');
    expect(s.metadata?.labels).toMatchObject(runLabel);
    const config = JSON.parse(Buffer.from(s.data!['.dockerconfigjson']!, 'base64').toString('utf8'));
    expect(config).toEqual({
      auths: {
        'localhost:30500': {
          username: 'ci',
          password: 'p@ss',
          auth: Buffer.from('ci:p@ss').toString('base64'),
        },
      },
    });
  });

  it('the namespace is labelled with the run id', () => {
    expect(namespaceManifest(runId, ctx.namespace).metadata?.labels).toMatchObject(runLabel);
  });
});

/** Whether `object` survives client-node's generated model for `type` unchanged (no unknown or misplaced field). */
function knownToSchema(object: unknown, type: string): void {
  const plain = JSON.parse(JSON.stringify(object));
  expect(JSON.parse(JSON.stringify(ObjectSerializer.serialize(plain, type)))).toEqual(plain);
}

describe('stub manifests (kubeconfig backend)', () => {
  const secured = registry({
    tls: true,
    auth: {
      mode: 'token',
      users: [{ username: 'ci', password: 's3cret', repositories: ['**'], actions: ['pull'] }],
      anonymous: [],
    },
  });
  const objects = stubObjects(
    secured,
    { ...ctx, image: 'registry.example/pullstorm/stub:abc' },
    { certPem: 'CERT', keyPem: 'KEY', caPem: 'CA', caKeyPem: 'CAKEY' },
  );

  it('a Deployment, a NodePort Service for the registry, a ClusterIP Service for control and Secrets, all with the run label', () => {
    const all = [objects.deployment, objects.service, objects.controlService, ...objects.secrets];
    for (const o of all)
      expect(o.metadata?.labels).toMatchObject({ ...runLabel, 'pullstorm.component': 'registry-stub' });
    expect(objects.service.spec).toMatchObject({
      type: 'NodePort',
      ports: [{ port: 5000, targetPort: 5000 }],
    });
    // The control listener is not opened on every node: only the API server's proxy reaches it.
    expect(objects.controlService.metadata?.name).toBe('pullstorm-control-hub');
    expect(objects.controlService.spec).toEqual({
      type: 'ClusterIP',
      selector: objects.deployment.spec?.selector.matchLabels,
      ports: [{ name: 'control', port: 5001, targetPort: 5001 }],
    });
    expect(objects.service.spec?.selector).toEqual(objects.deployment.spec?.selector.matchLabels);
    const container = objects.deployment.spec!.template.spec!.containers[0]!;
    expect(container.ports).toEqual([
      { name: 'registry', containerPort: 5000 },
      { name: 'control', containerPort: 5001 },
    ]);
    // Ready while a fault closes the registry port, so the pod stays behind both Services.
    expect(container.readinessProbe).toEqual({ tcpSocket: { port: 5001 }, periodSeconds: 2 });
    expect(objects.deployment.spec?.template.metadata?.labels).toMatchObject(
      objects.deployment.spec!.selector.matchLabels!,
    );
  });

  it('keeps passwords and the control token out of the pod spec and the command line: an htpasswd Secret file and an env var', async () => {
    const spec = JSON.stringify(objects.deployment);
    expect(spec).not.toContain('s3cret');
    const container = objects.deployment.spec!.template.spec!.containers[0]!;
    expect(container.args).toEqual(
      expect.arrayContaining(['--auth', 'token', '--users-file', '/etc/pullstorm/users/htpasswd']),
    );
    expect(container.args!.join(' ')).not.toMatch(/--user |--control-token|\$\(/);
    // serve reads PULLSTORM_CONTROL_TOKEN when no flag names a token: never expanded into the args.
    expect(container.env).toEqual([
      {
        name: 'PULLSTORM_CONTROL_TOKEN',
        valueFrom: { secretKeyRef: { name: 'pullstorm-control', key: 'token' } },
      },
    ]);
    expect(container.volumeMounts).toContainEqual({
      name: 'users',
      mountPath: '/etc/pullstorm/users',
      readOnly: true,
    });
    expect(objects.deployment.spec!.template.spec!.volumes).toContainEqual({
      name: 'users',
      secret: { secretName: 'pullstorm-registry-hub-users' },
    });
    const control = controlSecret(ctx, 'the-token');
    expect(control).toMatchObject({
      kind: 'Secret',
      type: 'Opaque',
      metadata: { name: 'pullstorm-control', namespace: ctx.namespace, labels: runLabel },
    });
    expect(Buffer.from(control.data!.token!, 'base64').toString()).toBe('the-token');
    knownToSchema(control, 'V1Secret');
    // The users Secret holds bcrypt hashes, not the password; serve's own parser reads it.
    const users = objects.secrets.find((s) => s.metadata?.name === 'pullstorm-registry-hub-users')!;
    const htpasswd = Buffer.from(users.data!.htpasswd!, 'base64').toString();
    expect(htpasswd).not.toContain('s3cret');
    const parsed = parseHtpasswd(htpasswd, 'htpasswd');
    expect(parsed).toMatchObject([{ username: 'ci' }]);
    expect(await matchesHash((parsed[0] as { passwordHash: string }).passwordHash, 's3cret')).toBe(true);
  });

  it('TLS: a kubernetes.io/tls Secret mounted read-only, served with --tls-cert/--tls-key/--tls-ca/--tls-ca-key', () => {
    const tls = objects.secrets.find((s) => s.type === 'kubernetes.io/tls')!;
    expect(Object.keys(tls.data!).sort()).toEqual(['ca.crt', 'ca.key', 'tls.crt', 'tls.key']);
    const pod = objects.deployment.spec!.template.spec!;
    expect(pod.volumes).toContainEqual({ name: 'tls', secret: { secretName: 'pullstorm-registry-hub-tls' } });
    expect(pod.containers[0]!.volumeMounts).toContainEqual({
      name: 'tls',
      mountPath: '/etc/pullstorm/tls',
      readOnly: true,
    });
    expect(pod.containers[0]!.args!.slice(0, 8)).toEqual([
      '--tls-cert',
      '/etc/pullstorm/tls/tls.crt',
      '--tls-key',
      '/etc/pullstorm/tls/tls.key',
      '--tls-ca',
      '/etc/pullstorm/tls/ca.crt',
      '--tls-ca-key',
      '/etc/pullstorm/tls/ca.key',
    ]);
    // Without the CA's key the Secret and the flags go without it.
    const keyless = stubObjects(
      secured,
      { ...ctx, image: 'i' },
      { certPem: 'CERT', keyPem: 'KEY', caPem: 'CA' },
    );
    expect(keyless.deployment.spec!.template.spec!.containers[0]!.args).not.toContain('--tls-ca-key');
    expect(Object.keys(keyless.secrets.find((s) => s.type === 'kubernetes.io/tls')!.data!)).not.toContain(
      'ca.key',
    );
  });

  it('the args are ones `pullstorm serve` accepts (its own parser, with the env the Secret gives)', async () => {
    const args = objects.deployment.spec!.template.spec!.containers[0]!.args!;
    // The image's entrypoint is `serve --host 0.0.0.0 --port 5000`; only the parse is checked here
    // (backend.test.ts runs them). Without the token in the environment, serve refuses the args.
    await expect(parseServeArgs(args, {})).rejects.toThrow('needs a control token');
    expect(await parseServeArgs(args, { PULLSTORM_CONTROL_TOKEN: 'tok' })).toMatchObject({
      'tls-cert': '/etc/pullstorm/tls/tls.crt',
      'tls-key': '/etc/pullstorm/tls/tls.key',
      'tls-ca': '/etc/pullstorm/tls/ca.crt',
      'tls-ca-key': '/etc/pullstorm/tls/ca.key',
      auth: 'token',
      'users-file': '/etc/pullstorm/users/htpasswd',
      'control-port': 5001,
    });
  });

  it('every field is one the Kubernetes API knows (client-node generated models)', () => {
    knownToSchema(objects.deployment, 'V1Deployment');
    knownToSchema(objects.service, 'V1Service');
    knownToSchema(objects.controlService, 'V1Service');
    for (const s of objects.secrets) knownToSchema(s, 'V1Secret');
    knownToSchema(
      podManifest(
        { name: 'p', image: 'x', imagePullSecrets: ['s'], nodeSelector: ['n'], command: ['a'], args: ['b'] },
        ctx,
      ),
      'V1Pod',
    );
    knownToSchema(
      deploymentManifest({ name: 'd', replicas: 1, template: { image: 'x', nodeSelector: ['n'] } }, ctx),
      'V1Deployment',
    );
    knownToSchema(pullSecretManifest('s', 'h:1', { username: 'u', password: 'p' }, ctx), 'V1Secret');
    knownToSchema(namespaceManifest(runId, 'ns'), 'V1Namespace');
    // The check itself catches a misplaced field.
    expect(() =>
      knownToSchema(
        { apiVersion: 'v1', kind: 'Pod', spec: { containers: [], nodeSelectorTerms: [] } },
        'V1Pod',
      ),
    ).toThrow();
  });

  it('restricted-PodSecurity compliant', () => {
    const pod = objects.deployment.spec!.template.spec!;
    expect(pod.securityContext).toMatchObject({
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(pod.containers[0]!.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
  });

  it('serve flags follow the registry', () => {
    expect(serveArgs(registry({ fixtures: { include: [], largeSizeBytes: 10, largeLayers: 1 } }))).toEqual([
      '--no-fixtures',
      '--large-size',
      '10',
      '--large-layers',
      '1',
    ]);
    // Users only ever come from a file: auth without one is a programming error, said as such.
    expect(() => serveArgs(secured)).toThrow(
      'serveArgs: registry hub has token auth; expected usersFile (its htpasswd in the stub), got none',
    );
  });
});
