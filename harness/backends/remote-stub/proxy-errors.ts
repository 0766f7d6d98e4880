/**
 * When the API server, not the stub, answers through its service proxy. The stub never answers
 * with a Kubernetes `Status` object, so a Status body means the proxy itself refused or failed:
 * - 401/403: the user's credentials lack `services/proxy` (get, create, delete) in the run namespace;
 * - 502/503: the API server could not connect to the stub's pod. Managed control planes often run
 *   outside the cluster network and may reach pods only on a few ports: GKE private clusters allow
 *   the control plane to reach nodes on 443 and 10250 only (more needs a firewall rule), EKS on
 *   what the cluster security group allows, and some konnectivity set-ups not at all. Retrying
 *   cannot fix that, so the error says what to open, or to use another backend.
 * Everything else passes through to the caller unchanged.
 */
import { PullstormError } from '../../../vocab/errors.ts';
import type { StubFetch } from './access.ts';

/** The proxy path's own failure, with what to do about it; stable `code`: `SERVICE_PROXY`. */
export class ServiceProxyError extends PullstormError {
  readonly code = 'SERVICE_PROXY';
  override name = 'ServiceProxyError';
  readonly status: number;
  constructor(message: string, status: number) {
    super(message);
    this.status = status;
  }
}

/** The port the stubs' control listener is proxied to (kubeconfig: 5001), for the message. */
export interface ProxyContext {
  namespace: string;
  service: string;
  port: number;
}

/** The error for a proxy answer `status` with body `text`, or undefined when the stub answered. */
export function proxyFailure(status: number, text: string, o: ProxyContext): ServiceProxyError | undefined {
  let body: { kind?: unknown; message?: unknown } | undefined;
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    return undefined;
  }
  if (body?.kind !== 'Status') return undefined;
  const said = typeof body.message === 'string' && body.message ? body.message : `HTTP ${status}`;
  const via = `the API server's service proxy to ${o.namespace}/${o.service}:${o.port}`;
  if (status === 401 || status === 403)
    return new ServiceProxyError(
      `${via} refused (${status}: ${said}): faults and the stubs' event feed need get, create and delete on services/proxy in ${o.namespace} (pullstorm doctor --context lists what is missing; pullstorm rbac prints a role)`,
      status,
    );
  if (status === 503 && /no endpoints available/.test(said))
    return new ServiceProxyError(
      `${via}: no ready stub pod behind the Service (503: ${said}); the stub pod is not Ready or was deleted (kubectl get pods,events -n ${o.namespace})`,
      status,
    );
  if (status === 502 || status === 503)
    return new ServiceProxyError(
      `${via} could not reach the stub's pod (${status}: ${said}). Managed control planes often cannot connect to pod IPs on other ports than 443 and 10250: allow the control plane to reach the pods on TCP ${o.port} (GKE private cluster: a firewall rule from the control-plane range to the nodes; EKS: the cluster security group), or run on the kind backend (README: "When the service proxy answers 503")`,
      status,
    );
  return undefined;
}

/** `fetch`, throwing a ServiceProxyError when the proxy rather than the stub answered an error. */
export function guardProxy(fetch: StubFetch, o: ProxyContext): StubFetch {
  return async function proxied(url, init) {
    const response = await fetch(url, init);
    if (response.status < 400 || response.headers.get('content-type')?.includes('json') === false)
      return response;
    const text = await response.clone().text();
    const failure = proxyFailure(response.status, text, o);
    if (failure) throw failure;
    return response;
  };
}
