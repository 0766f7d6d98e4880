/**
 * The registry stub inside an existing cluster, as objects (pure): a Deployment running `pullstorm
 * serve` from the user's `--stub-image`, a NodePort Service, a Secret with the scenario's users (an
 * htpasswd of bcrypt hashes, mounted as `--users-file`) and, for TLS, a `kubernetes.io/tls` Secret. All in the run's namespace with the run's labels.
 *
 * Nodes reach the stub at `localhost:<nodePort>`: containerd treats `localhost` on a port other than
 * 443 as plain HTTP without configuration, so a plain-HTTP stub needs no change on any node (where
 * kube-proxy serves NodePorts on 127.0.0.1: iptables and ipvs modes; not nftables mode, nor with
 * `--nodeport-addresses` excluding it). A TLS stub needs the nodes to trust its CA (the doctor says so).
 *
 * The pod is restricted-PodSecurity compliant (non-root, no privilege escalation, all capabilities
 * dropped, RuntimeDefault seccomp), because the clusters this backend targets often enforce it.
 *
 * The run's control token (one per run, for every stub) is in the Secret `pullstorm-control` and
 * reaches `serve` as `PULLSTORM_CONTROL_TOKEN` from a secretKeyRef, which serve reads when no flag
 * names a token: neither the pod spec nor the container's command line (`ps` on the node) holds it,
 * nor a password. The harness uses it to apply faults and follow the event feed through the
 * API server's service proxy (remote-stub.ts), on the stub's control listener (`--control-port
 * 5001`), which connection faults never touch. That port has its own ClusterIP Service, so it is
 * not opened on every node as a NodePort would be; the readiness probe watches it too, because a
 * `refused` registry port would otherwise make the pod unready and take it out of both Services.
 *
 * For the TLS certificate faults the stub issues expired and wrong-name certificates from the run's
 * CA, so the TLS Secret carries the CA's key (`ca.key`, passed as `--tls-ca-key`). It is the run's
 * own CA, made for this run and deleted with its namespace; but while a node trusts that CA, whoever
 * can read Secrets in the run namespace can mint certificates those nodes accept.
 *
 * Proven here against client-node's generated models and unit tests only (no cluster on the
 * development machine): that a secretKeyRef env and a Secret volume reach the container is
 * Kubernetes' documented behaviour, not something a test here observed.
 */
import type { V1Deployment, V1EnvVar, V1Secret, V1Service } from '@kubernetes/client-node';
import { htpasswdOf } from '../../../registry-stubs/auth/bcrypt.ts';
import type { Registry } from '../../scenario/resolved.ts';
import { base64, RESTRICTED_CONTAINER, RESTRICTED_POD } from './manifests.ts';
import { kubeRunLabels, LABEL_COMPONENT, LABEL_RUN_ID, runLabelValue } from './names.ts';

/** Port the stub listens on in its container: 5000 (the stub image's entrypoint). */
export const STUB_PORT = 5000;
/** Port of the stub's control listener in its container (`serve --control-port`): 5001. */
export const STUB_CONTROL_PORT = 5001;
/** Where the TLS Secret is mounted. */
export const TLS_MOUNT = '/etc/pullstorm/tls';
/** Where the stub's users Secret (key `htpasswd`) is mounted. */
export const USERS_MOUNT = '/etc/pullstorm/users';
/** The run's control-token Secret (key `token`), shared by every stub of the run. */
export const CONTROL_SECRET = 'pullstorm-control';
/** The env var the control token reaches the stub in. */
export const CONTROL_ENV = 'PULLSTORM_CONTROL_TOKEN';

/** The stub's object name for registry `registry`: `pullstorm-registry-<registry>` (≤ 63 chars). */
export function stubName(registry: string): string {
  return `pullstorm-registry-${registry}`.slice(0, 63).replace(/-+$/, '');
}

/** Whether `name` is one of the stubs' objects (Deployment, its ReplicaSets and pods, Services). */
export function isStubObject(name: string): boolean {
  return name.startsWith('pullstorm-registry-') || name.startsWith('pullstorm-control-');
}

/** The Service of stub `registry`'s control listener: `pullstorm-control-<registry>` (≤ 63 chars). */
export function controlServiceName(registry: string): string {
  return `pullstorm-control-${registry}`.slice(0, 63).replace(/-+$/, '');
}

/** Extra `serve` flags of {@link serveArgs}. */
export interface ServeArgsExtra {
  /** Files `serve` reads (`--tls-cert`, `--tls-key`, `--tls-ca`, `--tls-ca-key`); default none (kind generates). */
  tls?: { cert: string; key: string; ca?: string; caKey?: string } | undefined;
  /** `--users-file`: the htpasswd of the registry's users, inside the stub; required when it has auth. */
  usersFile?: string;
  /** `--control-token-file`; default none (serve then reads `PULLSTORM_CONTROL_TOKEN`). */
  controlTokenFile?: string;
  /** `--control-port`: the control listener's port; default none (serve picks a free one). */
  controlPort?: number;
}

/**
 * `pullstorm serve` flags for `registry`, after the image's entrypoint. No secret is ever a flag
 * (the command line shows in `ps`, `docker inspect` and the pod spec): users come from an htpasswd
 * file (`extra.usersFile`, required with auth), the control token from a file or the environment.
 * Per-repository access rules and anonymous access are not expressible with `serve`: each user gets
 * pull/push/delete everywhere.
 */
export function serveArgs(registry: Registry, extra: ServeArgsExtra = {}): string[] {
  const args: string[] = [];
  const tls = extra.tls;
  if (registry.tls && tls) {
    args.push('--tls-cert', tls.cert, '--tls-key', tls.key, ...(tls.ca ? ['--tls-ca', tls.ca] : []));
    if (tls.ca && tls.caKey) args.push('--tls-ca-key', tls.caKey);
  }
  if (registry.auth) {
    if (extra.usersFile === undefined) {
      throw new TypeError(
        `serveArgs: registry ${registry.name} has ${registry.auth.mode} auth; expected usersFile (its htpasswd in the stub), got none`,
      );
    }
    args.push('--auth', registry.auth.mode, '--users-file', extra.usersFile);
  }
  if (registry.fixtures.include.length === 0) args.push('--no-fixtures');
  args.push('--large-size', String(registry.fixtures.largeSizeBytes));
  args.push('--large-layers', String(registry.fixtures.largeLayers));
  if (extra.controlPort !== undefined) args.push('--control-port', String(extra.controlPort));
  if (extra.controlTokenFile !== undefined) args.push('--control-token-file', extra.controlTokenFile);
  return args;
}

/** The run's control-token Secret: created once, before the stubs that read it. */
export function controlSecret(ctx: { runId: string; namespace: string }, token: string): V1Secret {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'Opaque',
    metadata: {
      name: CONTROL_SECRET,
      namespace: ctx.namespace,
      labels: kubeRunLabels(ctx.runId, 'registry-stub'),
    },
    data: { token: base64(token) },
  };
}

/** Everything to create for one registry, in creation order (Secrets before the Deployment). */
export interface StubObjects {
  secrets: V1Secret[];
  deployment: V1Deployment;
  /** NodePort Service of the registry port: how the nodes pull. */
  service: V1Service;
  /** ClusterIP Service of the control listener: how the harness steers the stub (API server proxy). */
  controlService: V1Service;
}

const b64 = base64;

/**
 * The stub objects of `registry`; `tls` is the PEM material when the registry serves TLS, with the
 * CA's key when the TLS certificate faults should apply.
 */
export function stubObjects(
  registry: Registry,
  ctx: { runId: string; namespace: string; image: string },
  tls?: { certPem: string; keyPem: string; caPem: string; caKeyPem?: string },
): StubObjects {
  const name = stubName(registry.name);
  const labels = kubeRunLabels(ctx.runId, 'registry-stub');
  const select = {
    [LABEL_RUN_ID]: runLabelValue(ctx.runId),
    [LABEL_COMPONENT]: 'registry-stub',
    'pullstorm.registry': registry.name,
  };
  const meta = (n: string) => ({
    name: n,
    namespace: ctx.namespace,
    labels: { ...labels, 'pullstorm.registry': registry.name },
  });
  const users = registry.auth?.users ?? [];
  const secrets: V1Secret[] = [];
  // serve reads the token from the environment when no flag names it: never in the container's args.
  const env: V1EnvVar[] = [
    { name: CONTROL_ENV, valueFrom: { secretKeyRef: { name: CONTROL_SECRET, key: 'token' } } },
  ];
  const usersSecret = `${name}-users`.slice(0, 253);
  if (users.length) {
    const data = { htpasswd: b64(htpasswdOf(users)) };
    secrets.push({ apiVersion: 'v1', kind: 'Secret', type: 'Opaque', metadata: meta(usersSecret), data });
  }
  const useTls = registry.tls && tls !== undefined;
  if (useTls) {
    secrets.push({
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'kubernetes.io/tls',
      metadata: meta(`${name}-tls`),
      data: {
        'tls.crt': b64(tls.certPem),
        'tls.key': b64(tls.keyPem),
        'ca.crt': b64(tls.caPem),
        ...(tls.caKeyPem !== undefined && { 'ca.key': b64(tls.caKeyPem) }),
      },
    });
  }
  const args = serveArgs(registry, {
    ...(users.length && { usersFile: `${USERS_MOUNT}/htpasswd` }),
    tls: useTls
      ? {
          cert: `${TLS_MOUNT}/tls.crt`,
          key: `${TLS_MOUNT}/tls.key`,
          ca: `${TLS_MOUNT}/ca.crt`,
          ...(tls.caKeyPem !== undefined && { caKey: `${TLS_MOUNT}/ca.key` }),
        }
      : undefined,
    controlPort: STUB_CONTROL_PORT,
  });
  const mounts = [
    ...(useTls ? [{ name: 'tls', mountPath: TLS_MOUNT, readOnly: true }] : []),
    ...(users.length ? [{ name: 'users', mountPath: USERS_MOUNT, readOnly: true }] : []),
  ];
  const volumes = [
    ...(useTls ? [{ name: 'tls', secret: { secretName: `${name}-tls` } }] : []),
    ...(users.length ? [{ name: 'users', secret: { secretName: usersSecret } }] : []),
  ];
  const deployment: V1Deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(name),
    spec: {
      replicas: 1,
      selector: { matchLabels: select },
      template: {
        metadata: { labels: { ...labels, ...select } },
        spec: {
          automountServiceAccountToken: false,
          securityContext: RESTRICTED_POD,
          containers: [
            {
              name: 'stub',
              image: ctx.image,
              imagePullPolicy: 'IfNotPresent',
              args,
              env,
              ports: [
                { name: 'registry', containerPort: STUB_PORT },
                { name: 'control', containerPort: STUB_CONTROL_PORT },
              ],
              // The control port, which faults never close (see above); a TCP probe, because an
              // httpGet without the token gets 401, which a probe counts as failure.
              readinessProbe: { tcpSocket: { port: STUB_CONTROL_PORT }, periodSeconds: 2 },
              resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '1Gi' } },
              securityContext: RESTRICTED_CONTAINER,
              ...(mounts.length ? { volumeMounts: mounts } : {}),
            },
          ],
          ...(volumes.length ? { volumes } : {}),
        },
      },
    },
  };
  const service: V1Service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(name),
    spec: {
      type: 'NodePort',
      selector: select,
      ports: [{ name: 'registry', port: STUB_PORT, targetPort: STUB_PORT }],
    },
  };
  const controlService: V1Service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(controlServiceName(registry.name)),
    spec: {
      type: 'ClusterIP',
      selector: select,
      ports: [{ name: 'control', port: STUB_CONTROL_PORT, targetPort: STUB_CONTROL_PORT }],
    },
  };
  return { secrets, deployment, service, controlService };
}
