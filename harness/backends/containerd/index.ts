/**
 * The embedded containerd backend: real containerd daemons as nodes, driven over CRI.
 * Start here: `startContainerdNode` / `startNodes`, then `node.cri` and `runPod`.
 */

export { type ContainerdConfigInput, renderContainerdConfig } from './config.ts';
export {
  type CallOptions,
  type CriClient,
  type CriClientOptions,
  createCriClient,
  criTarget,
  type PullImageOptions,
} from './cri/client.ts';
export {
  CriError,
  formatGrpcStatus,
  formatKubeletPullError,
  formatKubeletStartError,
  type GrpcCodeName,
  grpcCodeName,
  grpcCodeNames,
  isCriError,
} from './cri/errors.ts';
export { criProtoPath } from './cri/load.ts';
export type * from './cri/types.ts';
export {
  type HostCapability,
  type HostEntry,
  type HostSettings,
  type HostsConfig,
  hostNamespaceDir,
  renderHostsToml,
  writeHostsToml,
} from './hosts.ts';
export {
  type ContainerdNode,
  type ContainerdNodeOptions,
  type NodeRegistry,
  type StartNodesOptions,
  startContainerdNode,
  startNodes,
  writeNodeRegistry,
} from './node.ts';
export {
  acquireNxdomainResolver,
  type NxdomainResolver,
  nxdomainResponse,
  questionName,
} from './nxdomain.ts';
export { hostPlatform, resolveNodeOptions } from './options.ts';
export { LOCAL_NAMESERVER, renderResolvConf, withResolvConf } from './resolv-conf.ts';
export { type PodRun, parseCriLog, type RunPodOptions, runPod } from './run.ts';
