// What pullstorm needs from the machine, which Debian package brings it, and what is lost without it.
export const requirements = [
  { bin: 'containerd', apt: 'containerd', disables: 'the embedded containerd backend (real pulls)' },
  { bin: 'ctr', apt: 'containerd', disables: 'debugging containerd nodes by hand' },
  { bin: 'runc', apt: 'runc', disables: 'starting containers on containerd nodes' },
  { bin: 'skopeo', apt: 'skopeo', disables: 'the real-client checks of the registry stub' },
  { bin: 'dockerd', apt: 'docker.io', disables: 'container-mode nodes and the stub as a container' },
  {
    bin: 'docker-registry',
    apt: 'docker-registry',
    disables: 'the reference registry in benchmarks and mirror scenarios',
  },
  { bin: 'curl', apt: 'curl', disables: 'the blob throughput benchmark (its download client)' },
  { bin: 'openssl', apt: 'openssl', disables: 'certificate checks in tests' },
];
