/**
 * The PodSecurity `restricted` profile as admission checks it (kubernetes.io/docs/concepts/security/
 * pod-security-standards, the checks of k8s.io/pod-security-admission/policy), for the fields a
 * pullstorm manifest can set. Returns every violation, empty when the pod spec passes. Kept
 * independent of the manifests so a test that forgets a field fails.
 */
import type { V1Container, V1PodSpec } from '@kubernetes/client-node';

const ALLOWED_VOLUMES = new Set([
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
]);

/** Violations of `restricted:latest` in `spec`. */
export function restrictedViolations(spec: V1PodSpec): string[] {
  const out: string[] = [];
  const pod = spec.securityContext ?? {};
  const containers: V1Container[] = [...spec.containers, ...(spec.initContainers ?? [])];
  if (spec.hostNetwork || spec.hostPID || spec.hostIPC) out.push('host namespaces');
  for (const v of spec.volumes ?? []) {
    const type = Object.keys(v).find((k) => k !== 'name');
    if (type === undefined || !ALLOWED_VOLUMES.has(type)) out.push(`volume ${v.name} of type ${type}`);
  }
  if (pod.runAsUser === 0) out.push('pod runAsUser 0');
  for (const c of containers) {
    const sc = c.securityContext ?? {};
    if (sc.privileged) out.push(`${c.name}: privileged`);
    if (sc.allowPrivilegeEscalation !== false) out.push(`${c.name}: allowPrivilegeEscalation != false`);
    const drop = sc.capabilities?.drop ?? [];
    if (!drop.includes('ALL')) out.push(`${c.name}: capabilities not dropping ALL`);
    for (const add of sc.capabilities?.add ?? [])
      if (add !== 'NET_BIND_SERVICE') out.push(`${c.name}: adds capability ${add}`);
    if ((sc.runAsNonRoot ?? pod.runAsNonRoot) !== true) out.push(`${c.name}: runAsNonRoot != true`);
    if (sc.runAsUser === 0) out.push(`${c.name}: runAsUser 0`);
    const seccomp = sc.seccompProfile?.type ?? pod.seccompProfile?.type;
    if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost')
      out.push(`${c.name}: seccompProfile not RuntimeDefault or Localhost`);
    if (c.ports?.some((p) => p.hostPort)) out.push(`${c.name}: hostPort`);
  }
  return out;
}
