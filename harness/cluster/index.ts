/**
 * The embedded cluster: pods and deployments scheduled over nodes (real containerd or virtual), each
 * node's kubelet played by the image manager over the node's ImageService, containers really started
 * where the node can, everything observable as events. Start here: `createCluster`, `fromContainerdNode`.
 */

export { type Cluster, createCluster } from './cluster.ts';
export type { DeploymentSpec, ScaleOptions } from './deployments.ts';
export * from './messages.ts';
export { NodeAgent } from './node-agent.ts';
export { type ClusterOptions, type PullSecret, resolveClusterOptions } from './options.ts';
export { pickNode, type SchedulableNode } from './scheduler.ts';
export * from './timing.ts';
export type * from './types.ts';
