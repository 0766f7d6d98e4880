/**
 * Kubernetes through its API: the `kubeconfig` backend (an existing cluster) and the pieces the kind
 * backend shares with it — manifests, list+watch, the mapping into pullstorm's events, and the
 * cluster surface the runner drives. Start here: `kubeconfigBackend`, `createKubeCluster`.
 */

export { assertRunSelector, clientNodeApi, type DeletableKind, type KubeApi } from './api.ts';
export {
  imageRewriter,
  KUBECONFIG_INFO,
  type KubeconfigBackendOptions,
  kubeconfigBackend,
  kubeconfigCandidate,
} from './backend.ts';
export { createKubeCluster, type KubeClusterOptions } from './cluster.ts';
export { type LoadContextOptions, loadContext, NoContextError } from './context.ts';
export {
  type ContextReport,
  checkAccess,
  doctorForContext,
  formatContextReport,
  type NodeRuntime,
} from './doctor.ts';
export { KubeRefusedError } from './errors.ts';
export * from './manifests.ts';
export * from './mapping.ts';
export * from './names.ts';
export { type Access, type AccessMode, rbacManifests, renderRbac, requiredAccess } from './rbac.ts';
export * from './safety.ts';
export { type ClusterStub, type DeployStubsOptions, deployStubs } from './stub.ts';
export {
  CONTROL_ENV,
  CONTROL_SECRET,
  controlSecret,
  controlServiceName,
  STUB_CONTROL_PORT,
  STUB_PORT,
  serveArgs,
  stubName,
  stubObjects,
} from './stub-manifests.ts';
export { isGone, type ListWatchSource, type Reflector, reflect, type WatchType } from './watch.ts';
