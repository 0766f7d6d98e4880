/**
 * A local HTTPS server that serves one path of a Kubernetes API server — the service proxy,
 * `/api/v1/namespaces/<ns>/services/<scheme>:<svc>:<port>/proxy/<rest>` — to test the remote-stub
 * transport that goes through it. It is NOT a fake cluster: no objects, no other routes. It does
 * what kube-apiserver does on that path and what the transport depends on: authenticates the caller
 * by a client certificate signed by its client CA (as `--client-ca-file`) or by a bearer token,
 * answers 401/503 as a `Status`, deletes `Authorization` before proxying (k8s.io/apiserver
 * WithAuthentication: `req.Header.Del("Authorization")`), and forwards method, path, query, the
 * other headers and the body to the Service's backend without verifying its certificate.
 *
 * Certificates are made with the `openssl` CLI the way cluster tooling makes them (a CA, then a
 * user certificate with CN=<user>, O=<group> and extendedKeyUsage clientAuth).
 */
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer, request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { promisify } from 'node:util';
import { createCertificateAuthority, issueCertificate } from '../../../registry-stubs/tls/index.ts';

const run = promisify(execFile);

/** A Service the proxy knows: its namespace, name, port, and where its one backend listens. */
export interface ProxiedService {
  namespace: string;
  name: string;
  port: number;
  /** `http://127.0.0.1:…` or `https://…` of the backend (the stub). */
  backend: string;
}

/** What a test needs to write a kubeconfig for the server and to check what it saw. */
export interface ServiceProxyServer extends AsyncDisposable {
  /** `https://127.0.0.1:<port>`. */
  server: string;
  /** PEM of the CA the server's certificate chains to (kubeconfig `certificate-authority-data`). */
  caPem: string;
  /** A client certificate and key for user `alice` (kubeconfig `client-certificate-data` / `client-key-data`). */
  client: { certPem: string; keyPem: string };
  /** The bearer token it also accepts (kubeconfig `token`). */
  token: string;
  /** Every proxied request: who made it and the headers the backend got. */
  seen: {
    user: string;
    method: string;
    path: string;
    headers: Record<string, string | string[] | undefined>;
  }[];
  close(): Promise<void>;
}

/** Makes a client CA and a client certificate for `user` in `dir` with openssl. */
async function clientCertificate(dir: string, user: string, group: string) {
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  const f = (name: string) => join(dir, name);
  await writeFile(f('client.ext'), 'extendedKeyUsage=clientAuth\n');
  const caSubject = ['-subj', '/CN=test client CA', '-days', '1'];
  await run('openssl', [
    'req',
    '-x509',
    ...ec,
    '-keyout',
    f('client-ca.key'),
    '-out',
    f('client-ca.crt'),
    ...caSubject,
  ]);
  await run('openssl', [
    'req',
    ...ec,
    '-keyout',
    f('user.key'),
    '-out',
    f('user.csr'),
    '-subj',
    `/CN=${user}/O=${group}`,
  ]);
  const sign = ['-CA', f('client-ca.crt'), '-CAkey', f('client-ca.key'), '-CAcreateserial'];
  await run('openssl', [
    'x509',
    '-req',
    '-in',
    f('user.csr'),
    ...sign,
    '-out',
    f('user.crt'),
    '-days',
    '1',
    '-extfile',
    f('client.ext'),
  ]);
  return {
    caPem: await readFile(f('client-ca.crt'), 'utf8'),
    certPem: await readFile(f('user.crt'), 'utf8'),
    keyPem: await readFile(f('user.key'), 'utf8'),
  };
}

const PROXY = /^\/api\/v1\/namespaces\/([^/]+)\/services\/(?:(https?):)?([^/:]+):([^/]+)\/proxy(\/.*)?$/;

function status(res: ServerResponse, code: number, reason: string, message: string): void {
  res.writeHead(code, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message, reason, code }));
}

/** Starts the server on 127.0.0.1 for `services`; `dir` receives the openssl files. */
export async function startServiceProxy(
  dir: string,
  services: ProxiedService[],
): Promise<ServiceProxyServer> {
  const client = await clientCertificate(dir, 'alice', 'system:masters');
  const ca = await createCertificateAuthority({ commonName: 'test apiserver CA' });
  const leaf = await issueCertificate(ca, { hosts: ['localhost'], ips: ['127.0.0.1'] });
  const token = `kube-token-${crypto.randomUUID()}`;
  const seen: ServiceProxyServer['seen'] = [];

  function handle(req: IncomingMessage, res: ServerResponse) {
    const socket = req.socket as TLSSocket;
    const cert = socket.authorized ? socket.getPeerCertificate() : undefined;
    const user = cert?.subject?.CN
      ? `cert:${cert.subject.CN}`
      : req.headers.authorization === `Bearer ${token}`
        ? 'token'
        : undefined;
    if (user === undefined) return status(res, 401, 'Unauthorized', 'Unauthorized');
    const url = new URL(req.url ?? '/', 'https://apiserver');
    const m = PROXY.exec(url.pathname);
    if (!m) return status(res, 404, 'NotFound', `the server could not find the requested resource`);
    const [, namespace, scheme, name, port, rest] = m;
    const service = services.find(
      (s) => s.namespace === namespace && s.name === name && String(s.port) === port,
    );
    if (!service)
      return status(res, 503, 'ServiceUnavailable', `no endpoints available for service "${name}"`);
    const backend = new URL(service.backend);
    if ((scheme ?? 'http') !== backend.protocol.slice(0, -1))
      return status(
        res,
        502,
        'BadGateway',
        `error trying to reach service: ${scheme} to a ${backend.protocol} backend`,
      );
    // What WithAuthentication does before any handler: the credential never goes upstream.
    const headers = { ...req.headers };
    delete headers.authorization;
    delete headers.host;
    seen.push({ user, method: req.method ?? 'GET', path: `${rest ?? '/'}${url.search}`, headers });
    const send = backend.protocol === 'https:' ? httpsRequest : httpRequest;
    const upstream = send(
      new URL(`${rest ?? '/'}${url.search}`, backend),
      { method: req.method, headers, rejectUnauthorized: false },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', (e) =>
      status(res, 503, 'ServiceUnavailable', `error trying to reach service: ${e.message}`),
    );
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
  }

  const server = createServer(
    { cert: leaf.certPem, key: leaf.keyPem, ca: client.caPem, requestCert: true, rejectUnauthorized: false },
    handle,
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return {
    server: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    caPem: ca.certPem,
    client: { certPem: client.certPem, keyPem: client.keyPem },
    token,
    seen,
    close,
    [Symbol.asyncDispose]: close,
  };
}

/** A kubeconfig (YAML) for `server` with user `alice` by client certificate, or by `token`. */
export function kubeconfigYaml(p: ServiceProxyServer, auth: 'client-cert' | 'token'): string {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  const user =
    auth === 'client-cert'
      ? `    client-certificate-data: ${b64(p.client.certPem)}\n    client-key-data: ${b64(p.client.keyPem)}`
      : `    token: ${p.token}`;
  return `apiVersion: v1
kind: Config
clusters:
- name: test
  cluster:
    server: ${p.server}
    certificate-authority-data: ${b64(p.caPem)}
users:
- name: alice
  user:
${user}
contexts:
- name: test
  context:
    cluster: test
    user: alice
current-context: test
`;
}
