/**
 * The API server's service proxy failing, as managed control planes make it fail: a Status body
 * from the proxy (not the stub) becomes an error that says which path failed and what to open; the
 * stub's own error answers pass through untouched.
 */
import { describe, expect, it } from 'vitest';
import type { StubFetch } from '../../../harness/backends/remote-stub/access.ts';
import { guardProxy, ServiceProxyError } from '../../../harness/backends/remote-stub/proxy-errors.ts';

const ctx = { namespace: 'pullstorm-r', service: 'pullstorm-control-hub', port: 5001 };
const answering =
  (status: number, body: unknown, type = 'application/json'): StubFetch =>
  async () =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': type } });
const kubeStatus = (code: number, message: string) => ({
  kind: 'Status',
  apiVersion: 'v1',
  status: 'Failure',
  code,
  message,
});

describe('service proxy failures', () => {
  it('503 "error trying to reach service" (a control plane that cannot reach pod IPs): names the port to open and the fallback', async () => {
    const fetch = guardProxy(
      answering(503, kubeStatus(503, 'error trying to reach service: dial tcp 10.8.1.12:5001: i/o timeout')),
      ctx,
    );
    const error = await fetch('https://api/x', {}).catch((e: unknown) => e as ServiceProxyError);
    expect(error).toBeInstanceOf(ServiceProxyError);
    expect((error as Error).message).toBe(
      'the API server\'s service proxy to pullstorm-r/pullstorm-control-hub:5001 could not reach the stub\'s pod (503: error trying to reach service: dial tcp 10.8.1.12:5001: i/o timeout). Managed control planes often cannot connect to pod IPs on other ports than 443 and 10250: allow the control plane to reach the pods on TCP 5001 (GKE private cluster: a firewall rule from the control-plane range to the nodes; EKS: the cluster security group), or run on the kind backend (README: "When the service proxy answers 503")',
    );
  });

  it('403 on services/proxy: names the permission, and where to see what is missing', async () => {
    const fetch = guardProxy(
      answering(
        403,
        kubeStatus(
          403,
          'services "pullstorm-control-hub" is forbidden: User "ci" cannot create resource "services/proxy"',
        ),
      ),
      ctx,
    );
    await expect(fetch('https://api/x', { method: 'POST' })).rejects.toThrow(
      /refused \(403: services "pullstorm-control-hub" is forbidden: .*\): faults and the stubs' event feed need get, create and delete on services\/proxy in pullstorm-r \(pullstorm doctor --context/,
    );
  });

  it("the stub's own error answers (an OCI error body, a 401 for a wrong token) pass through", async () => {
    const oci = { errors: [{ code: 'UNAUTHORIZED', message: 'control token required' }] };
    expect((await guardProxy(answering(401, oci), ctx)('https://api/x', {})).status).toBe(401);
    expect((await guardProxy(answering(503, 'down', 'text/plain'), ctx)('https://api/x', {})).status).toBe(
      503,
    );
    expect((await guardProxy(answering(200, { ok: true }), ctx)('https://api/x', {})).status).toBe(200);
  });
});
