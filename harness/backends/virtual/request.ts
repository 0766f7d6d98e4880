/**
 * containerd's `request.do` / `doWithRetries` / `retryRequest` (remotes/docker/resolver.go, 1.7):
 * authorize, send (following up to 10 redirects, re-authorizing each), then retry at once — no
 * sleep, no Retry-After — on 401 when the authorizer understood the challenge, on 405 to a HEAD
 * of a manifest (as a GET), and on 408 and 429; never more than 6 attempts in all.
 */
import type { Authorizer, ResponseRecord } from './authorizer.ts';
import { asGoError, GoError } from './go-error.ts';
import type { RegistryHost } from './hosts.ts';
import { discard, type HttpResponse, type Transport } from './transport.ts';

/** What every request of one pull shares. */
export interface PullSession {
  signal: AbortSignal;
  /** The transport for a host's TLS settings. */
  transport(host: RegistryHost): Transport;
  /** Headers on every request (User-Agent). */
  headers: Record<string, string>;
  /** Counts HTTP exchanges (for node statistics). */
  onExchange(): void;
  /** Body bytes arrived: the pull is making progress (resets the progress timeout). */
  progress(bytes: number): void;
}

/** One registry request: `path` already holds the API root, repository and any `?ns=`. */
export interface RegistryRequest {
  host: RegistryHost;
  method: 'HEAD' | 'GET';
  path: string;
  headers: Record<string, string>;
}

/** `request.String()`: the URL containerd prints in fetch errors. */
export function requestUrl(req: RegistryRequest): string {
  return `${req.host.scheme}://${req.host.host}${req.path}`;
}

const redirects = new Set([301, 302, 303, 307, 308]);
const maxAttempts = 6;

/** `request.do`: one exchange, redirects followed; errors are `failed to authorize: …` or `failed to do request: …`. */
async function doRequest(
  req: RegistryRequest,
  authorizer: Authorizer,
  session: PullSession,
): Promise<HttpResponse> {
  const headers = { ...session.headers, ...req.headers };
  for (const [name, values] of Object.entries(req.host.header))
    headers[name.toLowerCase()] = values.join(', ');
  let url = new URL(requestUrl(req));
  // Bounded: Go's http.Client stops after 10 redirects.
  for (let hop = 0; ; hop++) {
    let authorization: string | undefined;
    try {
      authorization = await authorizer.authorize(url);
    } catch (err) {
      throw asGoError(err).wrap(hop === 0 ? 'failed to authorize' : 'failed to authorize redirect');
    }
    const sent = { ...headers, ...(authorization !== undefined && { authorization }) };
    session.onExchange();
    let response: HttpResponse;
    try {
      response = await session
        .transport(req.host)
        .send({ method: req.method, url, headers: sent, signal: session.signal });
    } catch (err) {
      throw asGoError(err).wrap('failed to do request');
    }
    const location = response.header('location');
    if (!redirects.has(response.statusCode) || location === undefined) return response;
    discard(response);
    if (hop >= 9) {
      const op = req.method[0] + req.method.slice(1).toLowerCase();
      throw new GoError(`failed to do request: ${op} "${url.href}": stopped after 10 redirects`);
    }
    url = new URL(location, url);
  }
}

/** `request.doWithRetries`: the last response, or the error containerd would return. */
export async function doWithRetries(
  request: RegistryRequest,
  authorizer: Authorizer,
  session: PullSession,
): Promise<HttpResponse> {
  const req = { ...request };
  const responses: ResponseRecord[] = [];
  for (;;) {
    const response = await doRequest(req, authorizer, session);
    responses.push({
      method: response.method,
      url: response.url,
      statusCode: response.statusCode,
      headers: response.headers,
    });
    let retry = false;
    if (responses.length < maxAttempts) {
      try {
        retry = retryRequest(req, responses, authorizer);
      } catch (err) {
        discard(response);
        throw err;
      }
    }
    if (!retry) return response;
    discard(response);
  }
}

function retryRequest(req: RegistryRequest, responses: ResponseRecord[], authorizer: Authorizer): boolean {
  const last = responses[responses.length - 1]!;
  switch (last.statusCode) {
    case 401:
      return authorizer.addResponses(responses) === 'retry';
    case 405:
      // Registries that never implemented HEAD for manifests get the same request as a GET.
      if (req.method === 'HEAD' && req.path.includes('/manifests/')) {
        req.method = 'GET';
        return true;
      }
      return false;
    case 408:
    case 429:
      return true;
    default:
      return false;
  }
}
