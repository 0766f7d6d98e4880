/**
 * What pullstorm needs from the machine, how to get it, and what is lost without it. The set-up
 * script installs the Debian ones; `pullstorm doctor` reports all of them.
 */

/** One tool or condition pullstorm uses. */
export interface Requirement {
  /** Executable looked up on PATH. */
  bin: string;
  /** Arguments that print its version. */
  versionArgs: string[];
  /** Debian package that brings it, when Debian has one. */
  apt?: string;
  /** How to install it when Debian does not. */
  install?: string;
  /** What does not work without it. */
  disables: string;
  /** Needed by the default suite on the embedded backend. */
  essential: boolean;
}

/** Every external tool, in the order `doctor` lists them. */
export const REQUIREMENTS: readonly Requirement[] = [
  {
    bin: 'containerd',
    versionArgs: ['--version'],
    apt: 'containerd',
    disables: 'the embedded containerd backend (real pulls)',
    essential: true,
  },
  {
    bin: 'runc',
    versionArgs: ['--version'],
    apt: 'runc',
    disables: 'starting containers on containerd nodes (exec format error, CrashLoopBackOff)',
    essential: true,
  },
  {
    bin: 'unshare',
    versionArgs: ['--version'],
    apt: 'util-linux',
    disables:
      "the embedded containerd backend (each node's own resolv.conf, so no lookup leaves the machine)",
    essential: true,
  },
  {
    bin: 'ctr',
    versionArgs: ['--version'],
    apt: 'containerd',
    disables: 'debugging containerd nodes by hand',
    essential: false,
  },
  {
    bin: 'skopeo',
    versionArgs: ['--version'],
    apt: 'skopeo',
    disables: 'the real-client checks of the registry stub',
    essential: false,
  },
  {
    bin: 'podman',
    versionArgs: ['--version'],
    apt: 'podman',
    disables:
      'the containers/image client family (podman; skopeo covers the same library) in the fault tests',
    essential: false,
  },
  {
    bin: 'dockerd',
    versionArgs: ['--version'],
    apt: 'docker.io',
    disables:
      'the stub as a container (`pullstorm image build`), container mirrors, the kind backend, the Docker tests',
    essential: false,
  },
  {
    bin: 'docker-registry',
    versionArgs: ['--version'],
    apt: 'docker-registry',
    disables: 'the reference registry in benchmarks and `type: distribution` mirrors (pull-through caches)',
    essential: false,
  },
  {
    bin: 'nginx',
    versionArgs: ['-v'],
    apt: 'nginx-light',
    disables: '`type: nginx` mirrors (proxy_cache in front of the registry)',
    essential: false,
  },
  {
    bin: 'curl',
    versionArgs: ['--version'],
    apt: 'curl',
    disables: 'the blob throughput benchmark (its download client)',
    essential: false,
  },
  {
    bin: 'openssl',
    versionArgs: ['version'],
    apt: 'openssl',
    disables: 'certificate checks in tests',
    essential: false,
  },
  {
    bin: 'chromium',
    versionArgs: ['--version'],
    apt: 'chromium',
    disables: 'the browser test of report.html',
    essential: false,
  },
  {
    bin: 'xmllint',
    versionArgs: ['--version'],
    apt: 'libxml2-utils',
    disables: 'the junit.xml schema check',
    essential: false,
  },
  {
    bin: 'kind',
    versionArgs: ['version'],
    install: 'go install sigs.k8s.io/kind@latest, or a release binary from the kind project',
    disables: 'the kind backend',
    essential: false,
  },
  {
    bin: 'kubectl',
    versionArgs: ['version', '--client'],
    install: "the Kubernetes release binary or your distribution's kubernetes-client package",
    disables: 'the kind and kubeconfig backends',
    essential: false,
  },
  {
    bin: 'k6',
    versionArgs: ['version'],
    install: 'a release binary from the k6 project (grafana/k6)',
    disables: '`pullstorm k6` load scripts',
    essential: false,
  },
];
