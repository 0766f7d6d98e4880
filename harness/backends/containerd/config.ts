/**
 * The containerd 1.6 `config.toml` (version 2) of one pullstorm node. Everything a node writes
 * lives under its own directory, so several daemons run side by side without sharing state.
 *
 * Choices found on this machine (containerd 1.6.20, runc 1.1.5, cgroup v1, root):
 * - `restrict_oom_score_adj = true`: the CRI sandbox spec asks for oom_score_adj -998 and a host
 *   that refuses to lower it makes every RunPodSandbox fail with `runc create failed: unable to
 *   start container process: can't get final child's PID from pipe: EOF`; restricting caps the
 *   value at containerd's own. `disable_cgroup` stays false: cgroups work as root here.
 * - `io.containerd.runtime.v1.linux` cannot be disabled: the tasks service needs it and, without
 *   it, the CRI plugin fails to load.
 * - CNI is pointed at an empty per-node directory: pods use host networking (NamespaceMode NODE),
 *   which containerd sets up without CNI; it only logs `no network config found` at start.
 * - runc's state (`Root`) goes under the node's state dir instead of `/run/containerd/runc`.
 *   Shim sockets cannot move in 1.6 (always `/run/containerd/s/<sha256(address/ns/id)>`), but the
 *   hash includes the node's socket path, so nodes never collide.
 */

/** Inputs of {@link renderContainerdConfig}; all paths absolute. */
export interface ContainerdConfigInput {
  root: string;
  state: string;
  /** gRPC socket path; the ttrpc socket is `<socket>.ttrpc`. */
  socket: string;
  /** hosts.toml directory (`registry.config_path`). */
  configPath: string;
  /** Empty directory given to CNI (host-network pods need none). */
  cniDir: string;
  /** Directory for the `opt` plugin (default `/opt/containerd` would be shared). */
  optDir: string;
  sandboxImage: string;
  snapshotter: 'overlayfs' | 'native';
  /** Layer downloads per image; default 3 (containerd's and kubelet's default). */
  maxConcurrentDownloads?: number;
  /** containerd log level; default `info`. */
  logLevel?: 'trace' | 'debug' | 'info' | 'warn' | 'error';
}

const s = (v: string) => JSON.stringify(v); // a JSON string is a valid TOML basic string

/** Renders the node's config.toml (pure). */
export function renderContainerdConfig(c: ContainerdConfigInput): string {
  const cri = 'plugins."io.containerd.grpc.v1.cri"';
  return `# pullstorm containerd node (containerd 1.6 config version 2); generated, do not edit.
version = 2
root = ${s(c.root)}
state = ${s(c.state)}
# Snapshotters and tracing that can never work here only add log noise.
disabled_plugins = [
  "io.containerd.snapshotter.v1.aufs",
  "io.containerd.snapshotter.v1.btrfs",
  "io.containerd.snapshotter.v1.zfs",
  "io.containerd.snapshotter.v1.devmapper",
  "io.containerd.tracing.processor.v1.otlp",
  "io.containerd.internal.v1.tracing",
]

[grpc]
  address = ${s(c.socket)}

[ttrpc]
  address = ${s(`${c.socket}.ttrpc`)}

# No debug socket and no metrics listener: neither is needed and both would be shared addresses.
[debug]
  address = ""
  level = ${s(c.logLevel ?? 'info')}

[metrics]
  address = ""

[plugins]
  [plugins."io.containerd.internal.v1.opt"]
    path = ${s(c.optDir)}

  [${cri}]
    sandbox_image = ${s(c.sandboxImage)}
    max_concurrent_downloads = ${c.maxConcurrentDownloads ?? 3}
    disable_apparmor = true
    restrict_oom_score_adj = true
    disable_cgroup = false
    disable_tcp_service = true
    stream_server_address = "127.0.0.1"
    stream_server_port = "0"

    [${cri}.containerd]
      snapshotter = ${s(c.snapshotter)}
      default_runtime_name = "runc"

      [${cri}.containerd.runtimes.runc]
        runtime_type = "io.containerd.runc.v2"

        [${cri}.containerd.runtimes.runc.options]
          Root = ${s(`${c.state}/runc`)}

    [${cri}.cni]
      bin_dir = ${s(c.cniDir)}
      conf_dir = ${s(c.cniDir)}

    [${cri}.registry]
      config_path = ${s(c.configPath)}
`;
}
