/**
 * The causes an image-pull failure can have, each with the signals that identify it and what a
 * troubleshooting guide would tell an operator to do. Ids are stable: the fault catalogue,
 * scenario expectations and reports refer to them. Which text maps to which cause is decided in
 * one place only, the rule table in `rules.ts`.
 */

/** Every cause id, in the order reports list them; `unclassified` is never a guess. */
export const CAUSE_IDS = [
  'not-found',
  'unauthorized',
  'forbidden',
  'token-endpoint',
  'short-name',
  'proxy',
  'rate-limited',
  'tls-unknown-ca',
  'tls-expired',
  'tls-hostname',
  'tls-handshake-timeout',
  'http-to-https',
  'connection-refused',
  'network-unreachable',
  'timeout',
  'canceled',
  'dns',
  'connection-reset',
  'disk-full',
  'image-store',
  'wrong-platform',
  'exec-format',
  'digest-mismatch',
  'blob-truncated',
  'server-error',
  'qps-exceeded',
  'never-pull',
  'invalid-name',
  'pod-refused',
  'unclassified',
] as const;

/** A stable cause id, e.g. `rate-limited`. */
export type CauseId = (typeof CAUSE_IDS)[number];

/** What the catalogue knows about one cause. */
export interface CauseInfo {
  id: CauseId;
  /** Short human title, e.g. `Registry rate limit (HTTP 429)`. */
  title: string;
  /** The HTTP status, gRPC code, errno or message fragments that identify the cause. */
  signals: readonly string[];
  /** What to check and change: the setting, file or command. */
  remediation: string;
}

const hostsToml = '/etc/containerd/certs.d/<host:port>/hosts.toml';

/** Every cause with its title, signals and remediation, keyed by id. */
export const CAUSES: Readonly<Record<CauseId, CauseInfo>> = {
  'not-found': {
    id: 'not-found',
    title: 'Image or tag not found',
    signals: [
      'HTTP 404 on every host',
      'gRPC NotFound',
      '`<ref>: not found`',
      'MANIFEST_UNKNOWN',
      'NAME_UNKNOWN',
    ],
    remediation: `Check the repository and tag in spec.containers[].image for typos and that the tag was pushed: \`crane ls <repo>\` or \`skopeo list-tags docker://<repo>\`. containerd reports not found only after every host in ${hostsToml} answered 404, so a mirror that lacks the tag and a server that lacks it look the same; try \`crictl pull <image>\` on the node. A missing blob behind an existing tag means the registry or cache lost content: re-push the image or purge the cache.`,
  },
  unauthorized: {
    id: 'unauthorized',
    title: 'Registry wants credentials it did not get or accept (401)',
    signals: [
      'HTTP 401',
      '`pull access denied`',
      '`insufficient_scope`',
      '`authorization failed`',
      '`no basic auth credentials`',
      'UNAUTHORIZED, DENIED',
    ],
    remediation:
      'Give the pod credentials that may pull this repository: `kubectl create secret docker-registry regcred --docker-server=<host> --docker-username=<user> --docker-password=<token>` and reference it in spec.imagePullSecrets (or on the ServiceAccount); check the token has pull scope on the repository and has not expired; on managed clusters check the node role or the kubelet image credential provider. Docker Hub gives the same answer for a repository that does not exist, so check the name too.',
  },
  forbidden: {
    id: 'forbidden',
    title: 'Registry or its storage refused access (403)',
    signals: [
      'HTTP 403 Forbidden on a manifest or blob',
      '`<Code>AccessDenied</Code>` (S3/GCS behind a registry)',
      '`denied: Permission "…" denied`',
    ],
    remediation:
      "The request reached the registry (or the object storage its blobs redirect to) and was refused for this identity or network: a 403 is a decision, not missing credentials. Check the pull permission of the identity the node uses (ECR: the node or task role's ecr:BatchGetImage and ecr:GetDownloadUrlForLayer and the repository policy; Artifact Registry: roles/artifactregistry.reader for the node's service account; ACR: AcrPull), then policies on the path: VPC endpoint and S3 bucket policies for blob redirects (ECR layers come from S3 through the S3 gateway endpoint), IP allow lists and registry firewalls. `curl -sI` the blob URL from the node shows whether the 403 comes from the registry or from storage.",
  },
  'token-endpoint': {
    id: 'token-endpoint',
    title: 'Token service (auth realm) failed',
    signals: [
      '`failed to fetch anonymous token`',
      '`failed to fetch oauth token`',
      '5xx or network error from the realm',
    ],
    remediation:
      "The registry answered with a Bearer challenge but its token service (the realm URL in WWW-Authenticate) failed. From the node run `curl -v '<realm>?service=<service>&scope=repository:<name>:pull'`; allow egress to the realm host (e.g. auth.docker.io) through firewalls and the containerd service's HTTPS_PROXY/NO_PROXY; check the token service's health and logs.",
  },
  'short-name': {
    id: 'short-name',
    title: 'Short image name could not be resolved to a registry',
    signals: [
      '`short-name resolution enforced but cannot prompt without a TTY`',
      '`short-name "…" did not resolve to an alias and no unqualified-search registries are defined`',
      '`no registries configured while trying to pull an unqualified image`',
    ],
    remediation:
      'containers/image clients (podman, buildah, skopeo, CRI-O) do not assume docker.io for a name without a registry. Use the fully qualified name (`docker.io/library/nginx:1.27`, `quay.io/org/app:tag`) in spec.containers[].image or the Containerfile; or set `unqualified-search-registries = ["docker.io"]` and `short-name-mode = "permissive"` in /etc/containers/registries.conf (CRI-O: restart crio), or add an alias under /etc/containers/registries.conf.d/. In CI there is no TTY to answer the prompt, so enforcing mode fails outright.',
  },
  proxy: {
    id: 'proxy',
    title: 'HTTP(S) proxy between the node and the registry failed',
    signals: ['`proxyconnect tcp: …`', '`error connecting to proxy`', '`407 Proxy Authentication Required`'],
    remediation:
      'The client could not use the proxy it was configured with: the proxy address is wrong or down, refuses, or wants credentials. Check HTTP_PROXY/HTTPS_PROXY/NO_PROXY in the environment of the service that pulls (`systemctl show --property=Environment containerd` or docker, crio; /etc/systemd/system/<service>.service.d/http-proxy.conf), test the proxy from the node (`curl -v -x $HTTPS_PROXY https://<registry>/v2/`), and add the registry and cluster-internal names to NO_PROXY when they should not go through it.',
  },
  'rate-limited': {
    id: 'rate-limited',
    title: 'Registry rate limit (HTTP 429)',
    signals: ['HTTP 429', '`toomanyrequests`', 'TOOMANYREQUESTS', '`pull rate limit`'],
    remediation: `The registry throttled this client. containerd retries a 429 at once (up to 6 attempts, ignoring Retry-After) and kubelet then backs off 10 s doubling to 300 s, so a storm makes it worse. Authenticate pulls (imagePullSecrets) for a higher quota, pull through a mirror or pull-through cache (a [host."https://mirror"] entry in ${hostsToml}), and stagger rollouts (smaller maxSurge). Check the remaining quota from the ratelimit-remaining header of a manifest HEAD.`,
  },
  'tls-unknown-ca': {
    id: 'tls-unknown-ca',
    title: 'Registry certificate signed by an unknown CA',
    signals: ['`x509: certificate signed by unknown authority`'],
    remediation: `The node does not trust the CA that signed the registry's certificate. Set \`ca = "/etc/containerd/certs.d/<host:port>/ca.crt"\` under the host in ${hostsToml} (config_path must point at /etc/containerd/certs.d), or add the CA to the node's trust store (\`update-ca-certificates\`) and restart containerd; behind a TLS-intercepting proxy trust the proxy's CA. Inspect the chain with \`openssl s_client -connect <host:port> -showcerts\`. Use skip_verify only for throwaway registries.`,
  },
  'tls-expired': {
    id: 'tls-expired',
    title: 'Registry certificate expired or not yet valid',
    signals: ['`x509: certificate has expired or is not yet valid`'],
    remediation:
      'Compare the certificate dates (`openssl s_client -connect <host:port> </dev/null | openssl x509 -noout -dates`) with the node clock (`date -u`). Renew the registry certificate (cert-manager: `cmctl renew <certificate>`), or fix time sync on the node (`timedatectl status`, chrony/NTP) when the clock is off.',
  },
  'tls-hostname': {
    id: 'tls-hostname',
    title: 'Registry certificate does not match the host name',
    signals: [
      '`x509: certificate is valid for …, not …`',
      "`doesn't contain any IP SANs`",
      '`not valid for any names`',
    ],
    remediation:
      'Pull with a name the certificate covers, or reissue the certificate with that DNS name or IP address in subjectAltName (Go ignores the Common Name; an IP needs an IP SAN). Check with `openssl s_client -connect <host:port> </dev/null | openssl x509 -noout -ext subjectAltName`. A mirror is verified against its own host name, not the upstream one.',
  },
  'tls-handshake-timeout': {
    id: 'tls-handshake-timeout',
    title: 'TLS handshake timed out',
    signals: ['`net/http: TLS handshake timeout`'],
    remediation:
      "TCP connected but TLS did not finish within containerd's 10 s. Usually a proxy or firewall that accepts and stalls, an MTU problem, or an overloaded TLS terminator. Test from the node with `curl -v --max-time 20 https://<host>/v2/` and `openssl s_client -connect <host:port>`; check the containerd service's proxy environment and the load balancer's TLS capacity.",
  },
  'http-to-https': {
    id: 'http-to-https',
    title: 'Plain-HTTP registry contacted over HTTPS',
    signals: ['`http: server gave HTTP response to HTTPS client`'],
    remediation: `containerd spoke HTTPS to a registry that serves plain HTTP. Declare it in ${hostsToml}: \`server = "http://<host:port>"\` and a [host."http://<host:port>"] entry with capabilities ["pull", "resolve"] (only localhost on a port other than 443 is plain HTTP by default), or put TLS in front of the registry.`,
  },
  'connection-refused': {
    id: 'connection-refused',
    title: 'Connection refused by the registry address',
    signals: ['ECONNREFUSED', '`connect: connection refused`'],
    remediation:
      'Nothing accepts connections at that address: the registry or mirror is down, listens on another port, or a firewall rejects. From the node run `curl -v https://<host:port>/v2/`; check the registry pods and Service endpoints (`kubectl get endpoints <svc>`) and the port in the image reference or in hosts.toml `server`.',
  },
  'network-unreachable': {
    id: 'network-unreachable',
    title: 'No route to the registry',
    signals: ['EHOSTUNREACH `no route to host`', 'ENETUNREACH `network is unreachable`'],
    remediation:
      "The node has no route to the registry address: the host is down, a firewall answers ICMP unreachable, or egress routing is broken. Check `ip route get <ip>` and `traceroute <ip>` from the node, security groups and egress NetworkPolicy, and the node's default route.",
  },
  timeout: {
    id: 'timeout',
    title: 'Registry did not answer in time',
    signals: [
      '`dial tcp …: i/o timeout`',
      'ETIMEDOUT',
      '`Client.Timeout exceeded while awaiting headers`',
      '`net/http: request canceled while waiting for connection`',
    ],
    remediation:
      'Packets to the registry were dropped or the registry did not answer: containerd dials with a 30 s timeout, Docker waits about 15 s for response headers. Check egress firewalls, security groups, routes to the registry (NAT gateway or VPC endpoints in private subnets) and the proxy settings of the runtime service; run `curl -v --max-time 30 https://<host>/v2/` from the node.',
  },
  canceled: {
    id: 'canceled',
    title: 'Pull canceled or out of time (context canceled, DeadlineExceeded)',
    signals: [
      '`context canceled`',
      '`code = Canceled`',
      '`context deadline exceeded` from the runtime call',
      '`code = DeadlineExceeded`',
      "kubelet's image-pull progress deadline (dockershim `--image-pull-progress-deadline`)",
    ],
    remediation:
      "The pull was stopped by its caller, not refused by the network: containerd ≥ 1.7 cancels a pull that made no progress for image_pull_progress_timeout (5 m; 1 m in 1.7.0-1.7.9), dockershim-era kubelets did the same after --image-pull-progress-deadline (1 m), and a CRI call that outlives kubelet's --runtime-request-timeout (2 m) ends in DeadlineExceeded. Usually a very large image over a slow or stalled link, or a restart of the runtime or kubelet mid-pull. Pull it by hand on the node (`crictl pull <image>`) and watch whether bytes arrive; raise image_pull_progress_timeout for big images on slow links, pre-pull them, or pull through a nearby mirror.",
  },
  dns: {
    id: 'dns',
    title: 'Registry host name did not resolve',
    signals: [
      '`no such host`',
      '`server misbehaving`',
      '`Temporary failure in name resolution`',
      '`lookup <host> … i/o timeout`',
    ],
    remediation:
      "containerd resolves with the node's resolver, not cluster DNS. Check the host name in the image reference, /etc/resolv.conf on the node, `getent hosts <host>` and `dig <host>` from the node, and that the nameserver is reachable; add the record or search domain for private zones.",
  },
  'connection-reset': {
    id: 'connection-reset',
    title: 'Connection reset or closed mid-request',
    signals: [
      'ECONNRESET `connection reset by peer`',
      'EPIPE `broken pipe`',
      '`EOF` / `unexpected EOF` outside a blob body',
    ],
    remediation:
      "A proxy, load balancer or the registry tore the connection down. A retry usually succeeds; if it repeats, check proxy and load-balancer idle timeouts and body-size limits, the registry's logs for crashes, and the path MTU.",
  },
  'disk-full': {
    id: 'disk-full',
    title: "Node's image filesystem is full",
    signals: ['ENOSPC `no space left on device`'],
    remediation:
      'The containerd root (usually /var/lib/containerd) ran out of space while downloading (ingest) or unpacking (snapshots). Free space with `crictl rmi --prune`, check `crictl imagefsinfo` and `df -h /var/lib/containerd`; kubelet image GC starts only at imageGCHighThresholdPercent (85), so lower it or enlarge the disk. Unpacking needs room for both the compressed and the extracted layers.',
  },
  'image-store': {
    id: 'image-store',
    title: "Node's image store failed (I/O error, permissions, corrupt content)",
    signals: [
      'EIO `input/output error`',
      '`failed to register layer`',
      '`Error processing tar file … Permission denied`',
      '`failed to unpack image on snapshotter …: content digest …: not found`',
    ],
    remediation:
      "The bytes arrived but the node could not write, read or unpack them in its own store (containerd: /var/lib/containerd; Docker: /var/lib/docker; CRI-O and podman: /var/lib/containers/storage). Check the disk with `dmesg | grep -i -e 'i/o error' -e ext4 -e xfs` and `df -h`/`df -i` of that path, SELinux/AppArmor denials and the storage driver; a half-written or corrupt store is repaired by removing the image (`crictl rmi <image>`, `podman rmi -f`) or, as a last resort, draining the node and resetting the store. A failing disk needs the node replaced.",
  },
  'wrong-platform': {
    id: 'wrong-platform',
    title: "Image has no variant for the node's platform",
    signals: ['`no match for platform in manifest`', '`no matching manifest for <os/arch>`'],
    remediation:
      'The image index lists no manifest for the node\'s OS/architecture. Publish a multi-arch image (`docker buildx build --platform linux/amd64,linux/arm64 --push`) or keep the pod on matching nodes (nodeSelector kubernetes.io/arch). List the platforms with `crane manifest <image> | jq ".manifests[].platform"`.',
  },
  'exec-format': {
    id: 'exec-format',
    title: 'Binary built for another CPU architecture',
    signals: ['ENOEXEC `exec format error`'],
    remediation:
      "The pull succeeded but the container's program is for another architecture, so it exits at start and the pod goes to CrashLoopBackOff. Compare `crane config <image> | jq .architecture` with `kubectl get node <node> -o jsonpath='{.status.nodeInfo.architecture}'`; build for the node's architecture or publish a multi-arch index, and set a nodeSelector on kubernetes.io/arch.",
  },
  'digest-mismatch': {
    id: 'digest-mismatch',
    title: 'Downloaded content does not match its digest',
    signals: ['`unexpected commit digest`', '`failed precondition`', '`digest mismatch`'],
    remediation: `The bytes received hash to a different digest than the manifest promised; containerd refuses to store them. Retry; if it repeats from the same host, purge the blob from the mirror or pull-through cache (or bypass it by removing its [host] entry in ${hostsToml}) and compare \`crane blob <repo>@<digest> | sha256sum\` with the digest; look for proxies that rewrite content.`,
  },
  'blob-truncated': {
    id: 'blob-truncated',
    title: 'Blob ended before its announced size',
    signals: [
      '`failed to read expected number of bytes: unexpected EOF`',
      '`short read: expected N bytes but got M`',
      '`unexpected commit size`',
    ],
    remediation:
      'The body stopped short: the stored blob is truncated or a proxy closed the connection mid-transfer. Retry; if it stops at the same size every time, the blob in the registry or cache is short, so purge it there or re-push the image; otherwise raise proxy and load-balancer idle timeouts and body-size limits.',
  },
  'server-error': {
    id: 'server-error',
    title: 'Registry server error (5xx)',
    signals: ['HTTP 500', 'HTTP 502', 'HTTP 503', 'HTTP 504'],
    remediation: `The registry or a proxy in front of it failed. Check its status page, logs and storage backend (502/504 mean the proxy could not reach its upstream). containerd tries the next host in ${hostsToml} after a non-404 error, so a second mirror or the upstream as \`server\` gives a fallback; kubelet retries with backoff up to 300 s.`,
  },
  'qps-exceeded': {
    id: 'qps-exceeded',
    title: "kubelet's pull rate limit (pull QPS exceeded)",
    signals: ['`pull QPS exceeded`'],
    remediation:
      "kubelet's own token bucket (registryPullQPS 5, registryBurst 10) refused the pull before contacting any registry; normal backoff follows. Raise registryPullQPS and registryBurst in the KubeletConfiguration (0 disables the limit) or stagger rollouts so fewer pulls start per node at once.",
  },
  'never-pull': {
    id: 'never-pull',
    title: 'Image absent and imagePullPolicy is Never',
    signals: ['ErrImageNeverPull', '`is not present with pull policy of Never`'],
    remediation:
      'Preload the image on every node that may run the pod (`ctr -n k8s.io images import image.tar`, `kind load docker-image <image>`, `minikube image load <image>`) under exactly the name the pod uses, or set imagePullPolicy to IfNotPresent.',
  },
  'invalid-name': {
    id: 'invalid-name',
    title: 'Image reference cannot be parsed',
    signals: ['InvalidImageName', "`couldn't parse image reference`", '`invalid reference format`'],
    remediation:
      'Fix spec.containers[].image: repository names are lowercase, tags are at most 128 characters of [A-Za-z0-9_.-], a digest is `@sha256:` plus 64 hex digits, and no spaces. Check the reference with `crane digest <image>`.',
  },
  'pod-refused': {
    id: 'pod-refused',
    title: 'Pod refused at admission (PodSecurity, quota, webhook)',
    signals: [
      'FailedCreate on the ReplicaSet',
      '`is forbidden: violates PodSecurity`',
      '`is forbidden: exceeded quota`',
      '`admission webhook … denied the request`',
    ],
    remediation:
      "No pull happened: the API server refused to create the pod, and a Deployment's ReplicaSet keeps retrying (FailedCreate events, no pods). For PodSecurity, set what the message lists (runAsNonRoot, allowPrivilegeEscalation: false, capabilities drop ALL, seccompProfile RuntimeDefault) or check the namespace's pod-security.kubernetes.io/enforce label; for a quota, raise it or lower requests; for a webhook, read its policy.",
  },
  unclassified: {
    id: 'unclassified',
    title: 'Not recognised',
    signals: [],
    remediation:
      "pullstorm's table has no rule for this text. Read the full message, pull by hand on the node (`crictl pull <image>`) and read containerd's log (`journalctl -u containerd`); if the failure is real and recurring, add a rule to harness/classify/rules.ts.",
  },
};
