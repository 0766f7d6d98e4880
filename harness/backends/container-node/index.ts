/**
 * Container mode of the containerd backend: each node a container running containerd from a locally
 * built image, with its own network namespace, /etc/hosts and disk, driven over CRI from the host.
 * Process mode (`../containerd`) stays the default; use this one for per-node DNS and network faults.
 * Start here: `startContainerNode` / `startContainerNodes`, then `node.cri`.
 *
 * How a node reaches the registry: nodes join the default `bridge` network; the stub runs in the
 * harness process bound to the bridge's gateway (`networkGateway()`, the host's own address on the
 * bridge), and image references use a name (e.g. `registry.pullstorm:<port>`) that each node's
 * /etc/hosts maps to that address. Chosen over the stub as a container because the harness keeps
 * the stub's store, fault controller and event stream in process, and the traffic stays on this
 * machine's bridge. The stub as a container (`startStubContainer`) works too: map the name to its
 * bridge IP, or join a user-defined network and use `dns: 'docker'` for its alias.
 *
 * Per-node faults: DNS by rewriting a node's /etc/hosts (`setHostsEntry`; a missing name gets
 * NXDOMAIN, `… no such host`); network faults by giving each node its own registry endpoint — a
 * front door of registry-stubs/faults/net on the gateway address with its own port — in the node's
 * hosts.toml. Nothing is injected inside the node: the image has no tc or iptables.
 *
 * Not yet: running pods. The container's /sys/fs/cgroup is read-only, so RunPodSandbox fails
 * (`runc create failed: … unable to apply cgroup configuration: mkdir /sys/fs/cgroup/cpuset/k8s.io:
 * read-only file system`); bind-mounting the host's cgroupfs read-write with a per-node cgroup
 * parent made pods run in a trial, but is not wired in.
 */

export { acquireNxdomainResolver, DNS_PORT, type NxdomainResolver, nxdomainResponse } from './dns.ts';
export {
  NODE_DIR,
  NODE_PATHS,
  renderHostsFile,
  renderNodeConfig,
  renderResolvConf,
  writeContainerRegistry,
} from './files.ts';
export { type HostsEntries, hostsEntries } from './hosts-file.ts';
export {
  type BuildNodeImageOptions,
  buildNodeImage,
  findHostBinary,
  NODE_BINARIES,
  NODE_COMPONENT,
  NODE_IMAGE_REPOSITORY,
  type NodeImage,
  nodeImage,
} from './image.ts';
export { cleanupContainerNodes, LABEL_NODE, LABEL_NODE_DIR, type NodeMemory } from './lifecycle.ts';
export { networkGateway } from './network.ts';
export {
  type ContainerNode,
  type StartContainerNodesOptions,
  startContainerNode,
  startContainerNodes,
} from './node.ts';
export {
  type ContainerNodeOptions,
  DEFAULT_DISK_BYTES,
  type ResolvedContainerNodeOptions,
  resolveContainerNodeOptions,
} from './options.ts';
