/**
 * The kind backend: a real Kubernetes cluster in Docker per run, created with a generated config,
 * the stubs on kind's network, workloads and events through the Kubernetes API (kubeconfig/).
 * Start here: `kindBackend`, `kindCandidate`, `cleanKindClusters`.
 */

export {
  followKindStubs,
  KIND_INFO,
  type KindBackendOptions,
  kindBackend,
  kindCandidate,
  nodeRegistries,
} from './backend.ts';
export { cleanKindClusters, type KindCleanOptions, type KindCleanReport } from './clean.ts';
export {
  type CreateClusterOptions,
  execaRun,
  type KindCli,
  KindCommandError,
  kindCli,
  type RunProgram,
} from './cli.ts';
export * from './config.ts';
export { BALLAST, fillRoot, prepareContainerdRoot, seedFromImage, unmountContainerdRoot } from './disk.ts';
export { applyKindNodeFault, brokenHosts, type KindNodeState, kindFaultTargets } from './faults.ts';
export { type NodeRegistryHost, nodeHostsConfig, removeNodeCertsD, writeNodeCertsD } from './hosts.ts';
export { CLUSTER_PREFIX, clusterName } from './names.ts';
export {
  KIND_NETWORK,
  type KindStub,
  kindServeArgs,
  STABLE_ALIAS,
  startKindStub,
  startKindStubs,
  stopKindStubs,
  stubAliases,
} from './registry.ts';
export { type KindMarker, markersDir, readMarkers } from './state.ts';
