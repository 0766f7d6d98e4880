/**
 * Virtual nodes: protocol-faithful containerd 1.7 pullers for storms of thousands of nodes in one
 * process. Start with `createVirtualNode`; errors are the containerd backend's `CriError`.
 */
export { type Challenge, type Credentials, encodeValues, parseAuth, parseChallenges } from './auth-parse.ts';
export { type Copied, refKey } from './fetch.ts';
export { asGoError, GoError, grpcCodeOf, type Sentinel, toCriError } from './go-error.ts';
export { GO_TEXT, goAddress, goNetText, type NetContext, type PeerCertificate, rfc3339 } from './go-text.ts';
export {
  type HostCapability,
  isLocalhost,
  type RegistryHost,
  registryHosts,
  type VirtualHostEntry,
  type VirtualHostSettings,
  type VirtualHostsConfig,
} from './hosts.ts';
export { createVirtualNode, type VirtualNode, type VirtualNodeStats } from './node.ts';
export {
  loopbackAddress,
  type ResolvedNodeOptions,
  resolveNodeOptions,
  type VirtualNodeOptions,
} from './options.ts';
export {
  chooseManifest,
  normalize as normalizePlatform,
  type Platform,
  parsePlatform,
  platformRank,
} from './platforms.ts';
export type { PullOutcome } from './pull.ts';
export { serverMessage } from './registry-errors.ts';
export type { Descriptor } from './resolve.ts';
export { normalizeRef } from './store.ts';
export { createVirtualNodePool, type VirtualNodePool, type VirtualNodePoolOptions } from './worker-pool.ts';
