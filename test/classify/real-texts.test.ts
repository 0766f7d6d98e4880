import { describe, expect, it } from 'vitest';
import { type CauseId, classify } from '../../harness/classify/index.ts';

// Error texts as real kubelets, containerd, Docker and Go printed them, copied from public issue
// threads and sources (ellipses in the threads kept as they were; placeholders like XXXX are the
// reporters'). `source` says where each came from; `evidence` is a line the verdict must carry.
const rows: { source: string; text: string; cause: CauseId; evidence?: string }[] = [
  {
    source:
      'containerd 1.6.20 on this machine (kubelet event, reset fault cutting the response head at 100 bytes)',
    text: 'Failed to pull image "registry.pullstorm.test:5000/pullstorm/tiny:1.0": failed to pull and unpack image "registry.pullstorm.test:5000/pullstorm/tiny:1.0": failed to resolve reference "registry.pullstorm.test:5000/pullstorm/tiny:1.0": failed to do request: Head "http://127.0.0.3:41447/v2/pullstorm/tiny/manifests/1.0?ns=registry.pullstorm.test%3A5000": net/http: HTTP/1.x transport connection broken: malformed MIME header: missing colon: "dock"',
    cause: 'connection-reset',
  },
  {
    source: 'github.com/namespacelabs/foundation/issues/846 (kubelet event, containerd, Docker Hub)',
    text: 'Failed to pull image "index.docker.io/jaegertracing/all-in-one@sha256:8d0bff43db3ce5c528cb6f957520511d263d7cceee012696e4afdc9087919bb9": rpc error: code = Unknown desc = failed to pull and unpack image "docker.io/jaegertracing/all-in-one@sha256:8d0bff43db3ce5c528cb6f957520511d263d7cceee012696e4afdc9087919bb9": failed to copy: httpReadSeeker: failed open: unexpected status code https://registry-1.docker.io/v2/jaegertracing/all-in-one/manifests/sha256:8d0bff43db3ce5c528cb6f957520511d263d7cceee012696e4afdc9087919bb9: 429 Too Many Requests - Server message: toomanyrequests: You have reached your pull rate limit. You may increase the limit by authenticating and upg',
    cause: 'rate-limited',
    evidence: 'status: 429 Too Many Requests',
  },
  {
    source: 'github.com/ScribeMD/docker-cache/issues/829 (containerd fetch)',
    text: 'ERROR: failed to copy: httpReadSeeker: failed open: unexpected status code https://registry-1.docker.io/v2/library/rust/manifests/sha256:de6e081a4e9c10e70731071cec6f629892da1bbaa24b478a96bdc59060674117: 429 Too Many Requests - Server message: toomanyrequests: You have reached your pull rate limit. You may increase the limit by authenticating and upgrading: https://www.docker.com/increase-rate-limit',
    cause: 'rate-limited',
    evidence: 'host: registry-1.docker.io',
  },
  {
    source: 'github.com/docker/hub-feedback/issues/2464 (dockerd)',
    text: 'Error response from daemon: toomanyrequests: You have reached your unauthenticated pull rate limit. https://www.docker.com/increase-rate-limit',
    cause: 'rate-limited',
  },
  {
    source: 'github.com/GoogleCloudPlatform/horizon-sdv/issues/8 (kubectl describe, containerd)',
    text: 'Failed to pull image "harbor.scpmtk.com/mtk-connect/mtk-connect-installers:v1.8.1": failed to pull and unpack image "harbor.scpmtk.com/mtk-connect/mtk-connect-installers:v1.8.1": failed to resolve reference "harbor.scpmtk.com/mtk-connect/mtk-connect-installers:v1.8.1": failed to do request: Head "https://harbor.scpmtk.com/v2/mtk-connect/mtk-connect-installers/manifests/v1.8.1": tls: failed to verify certificate: x509: certificate has expired or is not yet valid: current time 2025-06-12T03:05:25Z is after 2025-06-07T05:48:45Z',
    cause: 'tls-expired',
    evidence: 'detail: current time 2025-06-12T03:05:25Z is after 2025-06-07T05:48:45Z',
  },
  {
    source:
      'github.com/kubernetes-sigs/nfs-subdir-external-provisioner/issues/81 (kubelet, containerd, Go < 1.20)',
    text: 'Failed to pull image "gcr.io/k8s-staging-sig-storage/nfs-subdir-external-provisioner:v4.0.1": rpc error: code = Unknown desc = failed to pull and unpack image "gcr.io/k8s-staging-sig-storage/nfs-subdir-external-provisioner:v4.0.1": failed to resolve reference "gcr.io/k8s-staging-sig-storage/nfs-subdir-external-provisioner:v4.0.1": failed to do request: Head https://gcr.io/v2/k8s-staging-sig-storage/nfs-subdir-external-provisioner/manifests/v4.0.1: x509: certificate has expired or is not yet valid',
    cause: 'tls-expired',
  },
  {
    source: 'github.com/containerd/containerd/issues/6097 (crictl)',
    text: 'pulling image: rpc error: code = Unknown desc = failed to pull and unpack image "repo.intranet.pags/base-imaes/centos:7": failed to resolve reference "repo.intranet.pags/base-imaes/centos:7": failed to do request: Head "https://repo.intranet.pags/v2/base-imaes/centos/manifests/7": x509: certificate signed by unknown authority',
    cause: 'tls-unknown-ca',
    evidence: 'host: repo.intranet.pags',
  },
  {
    source: 'github.com/containerd/containerd/issues/6141 (kubelet; TLS error from the token realm)',
    text: 'Failed to pull image "localhost:32121/root/docker_registry/xxxxxxxxx/zap:v2": rpc error: code = Unknown desc = failed to pull and unpack image "localhost:32121/root/docker_registry/xxxxxxxxxxxx/zap:v2": failed to resolve reference "localhost:32121/root/docker_registry/xxxxxxxxxxx/zap:v2": failed to authorize: failed to fetch oauth token: Post "https://########################-1108042010.ca-central-1.elb.amazonaws.com/gitlab//jwt/auth": x509: certificate is not valid for any names, but wanted to match xxxxxxxxxxxxxxxxxxxxxxxx-1108042010.ca-central-1.elb.amazonaws.com',
    cause: 'tls-hostname',
  },
  {
    source: 'github.com/moby/moby/issues/38787 (dockerd)',
    text: 'x509: certificate is valid for *.channeladvisor.com, not registry-1.docker.io',
    cause: 'tls-hostname',
    evidence: 'valid for: *.channeladvisor.com',
  },
  {
    source: 'github.com/inclavare-containers/inclavare-containers/issues/1293 (crictl, containerd)',
    text: 'running container: creating container failed: rpc error: code = Unknown desc = failed to pull and unpack image "docker.io/inclavarecontainers/occlum-hello-world:scratch": failed to resolve reference "docker.io/inclavarecontainers/occlum-hello-world:scratch": failed to do request: Head "https://registry-1.docker.io/v2/inclavarecontainers/occlum-hello-world/manifests/scratch": net/http: TLS handshake timeout',
    cause: 'tls-handshake-timeout',
  },
  {
    source: 'github.com/enix/kube-image-keeper/issues/60 (kubectl get events, containerd)',
    text: 'Failed to pull image "localhost:7439/docker.io/xxxsoftware/xxx-redis:2023.1.2": rpc error: code = Unknown desc = failed to pull and unpack image "localhost:7439/docker.io/xxxsoftware/xxx-redis:2023.1.2": failed to resolve reference "localhost:7439/docker.io/xxxsoftware/xxx-redis:2023.1.2": failed to do request: Head "https://localhost:7439/v2/docker.io/xxxsoftware/xxx-redis/manifests/2023.1.2": http: server gave HTTP response to HTTPS client',
    cause: 'http-to-https',
    evidence: 'host: localhost:7439',
  },
  {
    source:
      'github.com/nloui/paperless-mcp/issues/10 (kubelet; ghcr.io token endpoint answers 403 for a private package)',
    text: 'Failed to pull image "ghcr.io/nloui/paperless-mcp:latest": failed to pull and unpack image "ghcr.io/nloui/paperless-mcp:latest": failed to resolve reference "ghcr.io/nloui/paperless-mcp:latest": failed to authorize: failed to fetch anonymous token: unexpected status from GET request to https://ghcr.io/token?scope=repository%3Anloui%2Fpaperless-mcp%3Apull&service=ghcr.io: 403 Forbidden',
    cause: 'unauthorized',
    evidence: 'status: 403 Forbidden',
  },
  {
    source: 'github.com/NVIDIA/retinanet-examples/issues/252 (buildkit, containerd < 1.6 wording)',
    text: 'failed to solve with frontend dockerfile.v0: failed to build LLB: failed to copy: httpReaderSeeker: failed open: failed to fetch anonymous token: unexpected status: 401 Unauthorized',
    cause: 'unauthorized',
  },
  {
    source:
      'GKE v1.36.2-gke.2064000 capture quoted in a Google LLC test of a pull-failure classifier (Artifact Registry, repository does not exist)',
    text: 'Failed to pull image "us-docker.pkg.dev/gke-demos-345619/does-not-exist/nope:v1": failed to pull and unpack image "us-docker.pkg.dev/gke-demos-345619/does-not-exist/nope:v1": failed to resolve reference "us-docker.pkg.dev/gke-demos-345619/does-not-exist/nope:v1": failed to authorize: failed to fetch oauth token: unexpected status from GET request to https://us-docker.pkg.dev/v2/token?scope=repository%3Agke-demos-345619%2Fdoes-not-exist%2Fnope%3Apull&service=us-docker.pkg.dev: 404 Not Found',
    cause: 'not-found',
  },
  {
    source: 'same GKE capture (unreachable registry, DeadlineExceeded)',
    text: 'Failed to pull image "10.255.255.1:5000/app/nope:v1": rpc error: code = DeadlineExceeded desc = failed to pull and unpack image "10.255.255.1:5000/app/nope:v1": failed to resolve reference "10.255.255.1:5000/app/nope:v1": failed to do request: Head "https://10.255.255.1:5000/v2/app/nope/manifests/v1": dial tcp 10.255.255.1:5000: i/o timeout',
    cause: 'timeout',
    evidence: 'address: 10.255.255.1:5000',
  },
  {
    source: 'github.com/ciiiii/cloudflare-docker-proxy/issues/62 (containerd log, token realm unreachable)',
    text: 'rpc error: code = DeadlineExceeded desc = failed to pull and unpack image "docker.io/library/redis:latest": failed to resolve reference "docker.io/library/redis:latest": failed to authorize: failed to fetch anonymous token: Get "https://auth.docker.io/token?scope=repository%!A(MISSING)library%!F(MISSING)redis%!A(MISSING)pull&service=registry.docker.io": dial tcp 108.160.165.48:443: i/o timeout',
    cause: 'token-endpoint',
    evidence: 'host: auth.docker.io',
  },
  {
    source: 'github.com/ketches/registry-proxy/issues/3 (ctr)',
    text: 'ctr: failed to resolve reference "docker.ketches.cn/library/nginx:latest": failed to authorize: failed to fetch anonymous token: Get "https://auth.docker.io/token?scope=repository%3Alibrary%2Fnginx%3Apull&service=registry.docker.io": dial tcp 199.59.148.222:443: i/o timeout',
    cause: 'token-endpoint',
  },
  {
    source: 'github.com/router-for-me/CLIProxyAPI/issues/2668 (dockerd with containerd store)',
    text: 'Error response from daemon: failed to resolve reference "docker.io/eceasy/cli-proxy-api-plus:latest": failed to authorize: failed to fetch anonymous token: Get "https://auth.docker.io/token?scope=repository%3Aeceasy%2Fcli-proxy-api-plus%3Apull&service=registry.docker.io": EOF',
    cause: 'token-endpoint',
    evidence: 'detail: EOF',
  },
  {
    source: 'github.com/LeoMartinDev/voy/issues/3 (dockerd with containerd store; private ghcr package)',
    text: 'Error response from daemon: unknown: failed to resolve reference "ghcr.io/leomartindev/voy:latest": unexpected status from HEAD request to https://ghcr.io/v2/leomartindev/voy/manifests/latest: 403 Forbidden',
    cause: 'forbidden',
    evidence: 'request: HEAD https://ghcr.io/v2/leomartindev/voy/manifests/latest',
  },
  {
    source: 'github.com/kubesphere/kubekey/issues/1165 (crictl, Harbor)',
    text: 'pulling image: rpc error: code = Unknown desc = failed to pull and unpack image "yhub.ssl.ysten.com/kube/pause:3.5": failed to resolve reference "yhub.ssl.ysten.com/kube/pause:3.5": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed',
    cause: 'unauthorized',
    evidence: 'server message: insufficient_scope: authorization failed',
  },
  {
    source: 'github.com/kubernetes/kops/issues/16762 (kubelet log, ECR)',
    text: 'failed to resolve reference "123456789101.dkr.ecr.ap-southeast-2.amazonaws.com/k8s-example/pause@sha256:7031c1b283388d2c2e09b57badb803c05ebed362dc88d84b480cc47f72a21097": pull access denied, repository does not exist or may require authorization: authorization failed: no basic auth credentials',
    cause: 'unauthorized',
  },
  {
    source: 'github.com/kubernetes/kubernetes/issues/83348 (kubelet, dockershim, ECR)',
    text: 'Failed to pull image "XXXXXXXX.dkr.ecr.ap-XXXXXX.amazonaws.com/isam:9.0.7.0": rpc error: code = Unknown desc = Error response from daemon: Get https://XXXXXXX.dkr.ecr.ap-XXXXX.amazonaws.com/v2/ndi-spcp-isam/manifests/9.0.7.0: no basic auth credentials',
    cause: 'unauthorized',
  },
  {
    source: 'github.com/kubernetes/kubeadm/issues/2936 (crictl; SYN unanswered)',
    text: 'rpc error: code = Unknown desc = failed to pull and unpack image "registry.k8s.io/kube-proxy:v1.28.2": failed to resolve reference "registry.k8s.io/kube-proxy:v1.28.2": failed to do request: Head "https://registry.k8s.io/v2/kube-proxy/manifests/v1.28.2": dial tcp 34.96.108.209:443: connect: connection timed out',
    cause: 'timeout',
  },
  {
    source: 'github.com/kubernetes/registry.k8s.io/issues/306',
    text: 'dial tcp 34.96.108.209:443: connect: connection refused',
    cause: 'connection-refused',
    evidence: 'address: 34.96.108.209:443',
  },
  {
    source: 'github.com/siderolabs/talos/issues/11052 (containerd; the DNS query itself timed out)',
    text: 'fetch failed error=failed to do request: Head "https://ghcr.io/v2/siderolabs/kubelet/manifests/sha256:5bcfb0bb5643cac7161a6f72fc4f71d33a865f3049b99f3807f1b8d85f916bfe": dial tcp: lookup ghcr.io on 8.8.8.8:53: read udp 10.128.152.4:41986->8.8.8.8:53: i/o timeout host=ghcr.io',
    cause: 'dns',
    evidence: 'resolver: 8.8.8.8:53',
  },
  {
    source: 'github.com/hjacobs/kube-ops-view/issues/176 (kubelet, dockershim)',
    text: 'Failed to pull image "hjacobs/kube-ops-view:0.8.1": rpc error: code = Unknown desc = Error response from daemon: Get https://registry-1.docker.io/v2/: dial tcp: lookup registry-1.docker.io on 127.0.0.53:53: server misbehaving',
    cause: 'dns',
    evidence: 'host: registry-1.docker.io',
  },
  {
    source: 'github.com/rancher/k3os/issues/431 (containerd log, musl resolver)',
    text: 'failed to pull and unpack image "docker.io/rancher/pause:3.1": failed to resolve reference "docker.io/rancher/pause:3.1": failed to do request: Head https://registry-1.docker.io/v2/rancher/pause/manifests/3.1: dial tcp: lookup registry-1.docker.io: Try again',
    cause: 'dns',
  },
  {
    source: 'github.com/docker/compose/issues/5533 (the resolver refused, not the registry)',
    text: 'Error response from daemon: Get https://registry-1.docker.io/v2/: dial tcp: lookup registry-1.docker.io on [::1]:53: read udp [::1]:60341->[::1]:53: read: connection refused',
    cause: 'dns',
  },
  {
    source: 'github.com/kubernetes/kubernetes/issues/6888 (kubelet, docker)',
    text: 'v2 ping attempt failed with error: Get https://gcr.io/v2/: dial tcp: lookup gcr.io: Temporary failure in name resolution',
    cause: 'dns',
  },
  {
    source: 'github.com/litmuschaos/litmus/issues/5046 (kubelet; reset while fetching a blob from the CDN)',
    text: 'Failed to pull image "litmuschaos.docker.scarf.sh/litmuschaos/litmusportal-frontend:3.15.0": failed to pull and unpack image "litmuschaos.docker.scarf.sh/litmuschaos/litmusportal-frontend:3.15.0": failed to copy: httpReadSeeker: failed open: failed to do request: Get "https://docker-images-prod.6aa30f8b08e16409b46e0173d6de2f56.r2.cloudflarestorage.com/registry-v2/docker/registry/v2/blobs/sha256/66/66a62ee936755212645672d659ec89d09fdd76985316659a3351f913ba84d52c/data?X-Amz-Algorithm=AWS4-HMAC-SHA256": read tcp 10.204.11.114:58158->172.66.1.46:443: read: connection reset by peer',
    cause: 'connection-reset',
    evidence: 'address: 172.66.1.46:443',
  },
  {
    source: 'github.com/forcedotcom/salesforcedx-docker/issues/35',
    text: 'rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/salesforce/salesforcedx:latest": failed to resolve reference "docker.io/salesforce/salesforcedx:latest": docker.io/salesforce/salesforcedx:latest: not found',
    cause: 'not-found',
    evidence: 'reference: docker.io/salesforce/salesforcedx:latest',
  },
  {
    source: 'github.com/cvisionai/tator/issues/439 (kubelet)',
    text: 'Failed to pull image "cvisionai/tator_online:b51d8990fc4c560c0a2c64d6ddd753aedb9bdeab": rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/cvisionai/tator_online:b51d8990fc4c560c0a2c64d6ddd753aedb9bdeab": failed to resolve reference "docker.io/cvisionai/tator_online:b51d8990fc4c560c0a2c64d6ddd753aedb9bdeab": docker.io/cvisionai/tator_online:b51d8990fc4c560c0a2c64d6ddd753aedb9bdeab: not found',
    cause: 'not-found',
  },
  {
    source: 'github.com/RX-M/web-public self-study/cka-mod-5 (kubectl get events, dockershim)',
    text: 'Failed to pull image "redis:0.2": rpc error: code = Unknown desc = Error response from daemon: manifest for redis:0.2 not found: manifest unknown: manifest unknown',
    cause: 'not-found',
  },
  {
    source: 'github.com/kubernetes/kubernetes/issues/131521 (containerd log; no-progress cancel after 1m0s)',
    text: 'PullImage "private_registery.mydomain/csg/idrac_to_kafka:20250429T0012" failed error="rpc error: code = Canceled desc = failed to pull and unpack image \\"private_registery.mydomain/csg/idrac_to_kafka:20250429T0012\\": context canceled"',
    cause: 'canceled',
  },
  {
    source: 'github.com/kubernetes/test-infra/issues/15102 (kubelet, GKE, 6 GB image)',
    text: 'Failed to pull image "gcr.io/istio-testing/prowbazel:0.5.14": rpc error: code = Unknown desc = context canceled',
    cause: 'canceled',
  },
  {
    source: 'github.com/cri-o/cri-o/pull/189 (kubelet)',
    text: 'Failed to pull image "nginx": rpc error: code = 4 desc = context deadline exceeded',
    cause: 'canceled',
  },
  {
    source: 'github.com/bodastage/bts-ce/issues/45',
    text: 'ERROR: Get https://registry.gitlab.com/v2/: net/http: request canceled while waiting for connection (Client.Timeout exceeded while awaiting headers)',
    cause: 'timeout',
  },
  {
    source: 'github.com/docker/hub-feedback/issues/2482 (kubelet, 500 on a blob)',
    text: 'Failed to pull image "shivamstryke/stockwiz:postgres": failed to pull and unpack image "docker.io/shivamstryke/stockwiz:postgres": failed to copy: httpReadSeeker: failed open: unexpected status code https://registry-1.docker.io/v2/shivamstryke/stockwiz/blobs/sha256:3ddbf88db716b08dd4e798c48bb4080495e406dd9f50a858b9e693c7a19bfa6b: 500 Internal Server Error',
    cause: 'server-error',
    evidence: 'status: 500 Internal Server Error',
  },
  {
    source: 'github.com/siderolabs/talos/pull/8439 (containerd resolve)',
    text: 'failed to pull image "factory.talos.dev/installer/6905bc709e5947573a4ec2d11723b58882936d3d0e15c708f7d78f0c689684a5:v1.7.0-alpha.1": failed to resolve reference "factory.talos.dev/installer/6905bc709e5947573a4ec2d11723b58882936d3d0e15c708f7d78f0c689684a5:v1.7.0-alpha.1": unexpected status from HEAD request to https://factory.talos.dev/v2/installer/6905bc709e5947573a4ec2d11723b58882936d3d0e15c708f7d78f0c689684a5/manifests/v1.7.0-alpha.1: 500 Internal Server Error',
    cause: 'server-error',
  },
  {
    source: 'github.com/kubernetes-retired/external-storage/issues/1323 (kubelet, dockershim)',
    text: 'Failed to pull image "quay.io/external_storage/nfs-client-provisioner:latest": rpc error: code = Unknown desc = Error response from daemon: Get https://quay.io/v2/external_storage/nfs-client-provisioner/manifests/latest: received unexpected HTTP status: 500 Internal Server Error',
    cause: 'server-error',
  },
  {
    source: 'github.com/kubernetes-sigs/kind/issues/1413 (ctr import on a full node)',
    text: 'ctr: failed to extract layer sha256:3f09a2bf43387901722db74487ef6ca4e4d1dd5c7d682e4856118684f1c96b91: write /var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots/26/fs/opt/zing/zing-jdk.x.y.z.tar.gz: no space left on device: unknown',
    cause: 'disk-full',
    evidence:
      'path: /var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots/26/fs/opt/zing/zing-jdk.x.y.z.tar.gz',
  },
  {
    source: 'github.com/kubearmor/KubeArmor/issues/2767 (container log on an arm64 node)',
    text: 'exec /manager: exec format error',
    cause: 'exec-format',
  },
  {
    source: 'github.com/canonical/microk8s/issues/1118 (older runc wording)',
    text: 'standard_init_linux.go:207: exec user process caused "exec format error"',
    cause: 'exec-format',
  },
  {
    source:
      'containerd core/content/helpers.go + content/local/writer.go format strings, as in many public reports',
    text: `failed commit on ref "layer-sha256:1953a5f9db288f25e73653c276da7baef424fe5ff5196516e2386f0770d9f82e": commit failed: unexpected commit digest sha256:d0fbaabf68559fe825c111ccb7cca21a8a6c9c92562b6a7d9eb5341b1b1d77f0, expected sha256:1953a5f9db288f25e73653c276da7baef424fe5ff5196516e2386f0770d9f82e: failed precondition`,
    cause: 'digest-mismatch',
    evidence: 'expected: sha256:1953a5f9db288f25e73653c276da7baef424fe5ff5196516e2386f0770d9f82e',
  },
  {
    source: 'containerd 2.x core/content/helpers.go Copy (`short read: expected %d bytes but got %d: %w`)',
    text: 'failed to pull and unpack image "docker.io/library/postgres:16": failed to copy: short read: expected 45219328 bytes but got 45219327: unexpected EOF',
    cause: 'blob-truncated',
    evidence: 'received: 45219327',
  },
  {
    source: 'kubernetes pkg/kubelet/images/throttled_puller.go (pre-1.27 wording, trailing period)',
    text: 'Failed to pull image "busybox:1.36": pull QPS exceeded.',
    cause: 'qps-exceeded',
  },
];

describe('real error texts', () => {
  it.each(rows)('$cause ← $source', ({ text, cause, evidence }) => {
    const verdict = classify(text);
    expect(verdict.cause).toBe(cause);
    if (evidence !== undefined) expect(verdict.evidence).toContain(evidence);
  });
});

describe('missing blob as containerd 1.7 reports it', () => {
  it('is blob-not-found, not an unknown reference', () => {
    // remotes/docker/fetcher.go wraps a 404 on a blob; text as produced by the virtual nodes (test/backends/virtual).
    const text =
      'failed to pull and unpack image "127.0.0.1:5000/pullstorm/tiny:1.0": failed to copy: httpReadSeeker: failed open: could not fetch content descriptor sha256:4c1f3d5e (application/vnd.oci.image.layer.v1.tar+gzip) from remote: not found';
    const result = classify(text);
    expect(result.cause).toBe('not-found');
    expect(result.matchedRule).toBe('blob-not-found');
  });
});
