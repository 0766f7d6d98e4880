/**
 * How the harness reaches a stub that runs outside its process, for the control API and the event
 * feed (`/_pullstorm/…`). Two ways:
 *
 * - direct: http(s) to a base URL, trusting a CA PEM when given (kind: the mapped port of the stub
 *   container's control listener on this machine, `KindStub.controlUrl` + `caPem`);
 * - through the Kubernetes API server's service proxy,
 *   `<server>/api/v1/namespaces/<ns>/services/<https:|http:><svc>:<port>/proxy/_pullstorm/…`,
 *   authenticated with the user's kubeconfig (client certificates, tokens, exec plugins) by
 *   client-node's `KubeConfig.applyToHTTPSOptions`. The API server removes `Authorization` before
 *   proxying, which is why the control token travels in `X-Pullstorm-Control-Token`. For an
 *   `https:` service it does not verify the stub's certificate (the API server's proxy never does).
 *
 * Both are a `fetch`-shaped function over node:http(s), because the global `fetch` takes neither a
 * CA nor client certificates without undici's own dispatcher, which is not a dependency here.
 */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { guardProxy } from './proxy-errors.ts';

/** A `fetch` for the control client and the feed follower: string bodies, JSON-sized answers. */
export type StubFetch = (url: string, init: RequestInit) => Promise<Response>;

/** One stub's `/_pullstorm/…` API as the harness reaches it. */
export interface StubAccess {
  /** Base URL the API paths are appended to (no trailing slash). */
  url: string;
  fetch: StubFetch;
}

/** A fetch over node:http(s) whose connection options (CA, client certificate, agent, headers) come from `options()` per request. */
export function nodeFetch(options: () => RequestOptions | Promise<RequestOptions>): StubFetch {
  return async function nodeFetch(url, init) {
    const target = new URL(url);
    const base = await options();
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(base.headers ?? {})) if (v !== undefined) headers[k] = String(v);
    new Headers(init.headers).forEach((v, k) => {
      headers[k] = v;
    });
    const body = init.body == null ? undefined : String(init.body);
    if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<Response>((resolve, reject) => {
      const req = send(
        target,
        {
          ...base,
          method: init.method ?? 'GET',
          headers,
          ...(init.signal ? { signal: init.signal } : {}),
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const status = res.statusCode ?? 502;
            const empty = status === 204 || status === 304 || init.method === 'HEAD';
            resolve(
              new Response(empty ? null : Buffer.concat(chunks), { status, headers: toHeaders(res.headers) }),
            );
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  };
}

function toHeaders(raw: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [k, v] of Object.entries(raw)) {
    for (const value of Array.isArray(v) ? v : v === undefined ? [] : [v]) headers.append(k, value);
  }
  return headers;
}

/** Options of {@link directAccess}. */
export interface DirectAccessOptions {
  /** The stub's base URL, e.g. `https://localhost:32768`. */
  url: string;
  /** PEM of the CA to trust for an https URL; default the system's. */
  caPem?: string | undefined;
}

/** A stub reached directly. */
export function directAccess(options: DirectAccessOptions): StubAccess {
  const tls: RequestOptions = options.caPem === undefined ? {} : { ca: options.caPem };
  return { url: options.url.replace(/\/+$/, ''), fetch: nodeFetch(() => tls) };
}

/** Options of {@link kubeProxyAccess}. */
export interface KubeProxyAccessOptions {
  /** The user's kubeconfig, set to the context to use. */
  kc: KubeConfig;
  namespace: string;
  /** The Service in front of the stub's control listener (kubeconfig: `pullstorm-control-<registry>`). */
  service: string;
  /** The Service port; the control Service's is 5001. */
  port: number;
  /** The stub serves TLS (the proxy path then says `https:`). */
  tls: boolean;
}

/** The service-proxy base URL of a stub: `<server>/api/v1/namespaces/<ns>/services/<scheme>:<svc>:<port>/proxy`. */
export function serviceProxyUrl(server: string, o: Omit<KubeProxyAccessOptions, 'kc'>): string {
  // Names are DNS labels, written as kubectl writes them (`https:name:port`, colons unescaped).
  const name = `${o.tls ? 'https' : 'http'}:${o.service}:${o.port}`;
  return `${server.replace(/\/+$/, '')}/api/v1/namespaces/${o.namespace}/services/${name}/proxy`;
}

/** A stub reached through the API server of `kc`'s current context. */
export function kubeProxyAccess(options: KubeProxyAccessOptions): StubAccess {
  const server = options.kc.getCurrentCluster()?.server;
  if (!server)
    throw new TypeError(
      `kubeconfig: expected a current context with a cluster server, got context '${options.kc.getCurrentContext()}' without one`,
    );
  return {
    url: serviceProxyUrl(server, options),
    // Per request: exec plugins and token files renew credentials, and client-node caches them.
    // The proxy's own refusals and 503s become errors that say what to do (proxy-errors.ts).
    fetch: guardProxy(
      nodeFetch(async () => {
        const opts: RequestOptions = {};
        await options.kc.applyToHTTPSOptions(opts);
        return opts;
      }),
      options,
    ),
  };
}
