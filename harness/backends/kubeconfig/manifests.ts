/**
 * The Kubernetes objects a run creates for its workload, as plain objects (pure functions, no API
 * calls): the namespace, pods and deployments from the embedded cluster's PodSpec/DeploymentSpec,
 * and image pull secrets. Each carries the run's labels, so teardown finds them by selector.
 *
 * Pods meet the PodSecurity `restricted` profile (the level staging namespaces often enforce, and
 * the one a run namespace may inherit from a cluster default): non-root as a fixed numeric user
 * (the fixture images set no USER, so `runAsNonRoot` alone would fail with "image will run as
 * root"), no privilege escalation, every capability dropped, the runtime's default seccomp profile.
 * The fixture program is mode 0755, so it starts as any user.
 */
import type {
  V1Deployment,
  V1Namespace,
  V1Pod,
  V1PodSecurityContext,
  V1PodSpec,
  V1Secret,
  V1SecurityContext,
} from '@kubernetes/client-node';
import type { DeploymentSpec } from '../../cluster/deployments.ts';
import type { PodSpec } from '../../cluster/types.ts';
import {
  kubeObjectName,
  kubeRunLabels,
  LABEL_DEPLOYMENT,
  LABEL_NODE,
  LABEL_RUN_ID,
  runLabelValue,
} from './names.ts';

/** Where and for whom objects are made. */
export interface ManifestContext {
  runId: string;
  namespace: string;
  /**
   * Node label whose values a PodSpec's `nodeSelector` names; default `pullstorm.node` (kind sets it
   * to the scenario node name). Use `kubernetes.io/hostname` for real node names.
   */
  nodeLabel?: string;
}

/** The run's own namespace, labelled with the run id. */
export function namespaceManifest(runId: string, name: string): V1Namespace {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, labels: kubeRunLabels(runId, 'namespace') },
  };
}

/** Pod-level settings of the PodSecurity `restricted` profile; user 65534 is `nobody`. */
export const RESTRICTED_POD: V1PodSecurityContext = {
  runAsNonRoot: true,
  runAsUser: 65534,
  seccompProfile: { type: 'RuntimeDefault' },
};

/** Container-level settings of the PodSecurity `restricted` profile. */
export const RESTRICTED_CONTAINER: V1SecurityContext = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
};

/** The pod spec part shared by pods and deployment templates. */
function podSpecOf(spec: Omit<PodSpec, 'name'>, ctx: ManifestContext): V1PodSpec {
  const container = {
    name: spec.containerName ?? 'app',
    image: spec.image,
    ...(spec.imagePullPolicy ? { imagePullPolicy: spec.imagePullPolicy } : {}),
    ...(spec.command ? { command: spec.command } : {}),
    ...(spec.args ? { args: spec.args } : {}),
    securityContext: RESTRICTED_CONTAINER,
  };
  const nodes = spec.nodeSelector ?? [];
  return {
    securityContext: RESTRICTED_POD,
    containers: [container],
    restartPolicy: 'Always',
    // Teardown should not wait 30 s per pod for fixture processes that ignore SIGTERM.
    terminationGracePeriodSeconds: 0,
    // No service account token: the fixtures never call the API, and it keeps pods minimal.
    automountServiceAccountToken: false,
    ...(spec.imagePullSecrets?.length
      ? { imagePullSecrets: spec.imagePullSecrets.map((name) => ({ name: kubeObjectName(name) })) }
      : {}),
    ...(nodes.length
      ? {
          affinity: {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: {
                nodeSelectorTerms: [
                  {
                    matchExpressions: [
                      { key: ctx.nodeLabel ?? LABEL_NODE, operator: 'In', values: [...nodes] },
                    ],
                  },
                ],
              },
            },
          },
        }
      : {}),
  };
}

/** A pod, in the run's namespace unless the spec names one. */
export function podManifest(spec: PodSpec, ctx: ManifestContext): V1Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: spec.name,
      namespace: spec.namespace ?? ctx.namespace,
      labels: kubeRunLabels(ctx.runId, 'workload'),
    },
    spec: podSpecOf(spec, ctx),
  };
}

/** A deployment whose selector is the run id plus the deployment name. */
export function deploymentManifest(spec: DeploymentSpec, ctx: ManifestContext): V1Deployment {
  const select = { [LABEL_RUN_ID]: runLabelValue(ctx.runId), [LABEL_DEPLOYMENT]: spec.name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: spec.name, namespace: ctx.namespace, labels: kubeRunLabels(ctx.runId, 'workload') },
    spec: {
      replicas: spec.replicas ?? 0,
      selector: { matchLabels: select },
      template: {
        metadata: { labels: { ...kubeRunLabels(ctx.runId, 'workload'), ...select } },
        spec: podSpecOf(spec.template, ctx),
      },
    },
  };
}

/** Base64 of UTF-8 text, with Web APIs only (DESIGN: Web APIs first, Deno runs the same source). */
export function base64(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}
const b64 = base64;

/**
 * An image pull secret (`kubernetes.io/dockerconfigjson`) for `registryHost` (`host:port` exactly as
 * in image references: kubelet matches credentials by that key).
 */
export function pullSecretManifest(
  name: string,
  registryHost: string,
  credential: { username: string; password: string },
  ctx: ManifestContext,
): V1Secret {
  const { username, password } = credential;
  const config = { auths: { [registryHost]: { username, password, auth: b64(`${username}:${password}`) } } };
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'kubernetes.io/dockerconfigjson',
    metadata: {
      name: kubeObjectName(name),
      namespace: ctx.namespace,
      labels: kubeRunLabels(ctx.runId, 'pull-secret'),
    },
    data: { '.dockerconfigjson': b64(JSON.stringify(config)) },
  };
}
