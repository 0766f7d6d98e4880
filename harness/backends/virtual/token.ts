/**
 * Token requests of Docker token auth as containerd sends them (remotes/docker/auth/fetch.go):
 * OAuth2 `POST <realm>` with a form when there is a secret, `GET <realm>?scope=…&service=…` with
 * optional Basic credentials otherwise, and the authorizer's fallback from POST to GET on 400,
 * 401, 404 and (with a username) 405 (remotes/docker/authorizer.go `doBearerAuth`).
 */
import { encodeValues } from './auth-parse.ts';
import { GoError } from './go-error.ts';
import type { HttpResponse } from './transport.ts';

/** What a token request needs. */
export interface TokenOptions {
  realm: string;
  service: string;
  scopes: string[];
  username: string;
  secret: string;
}

/** A token and when it stops being usable (epoch ms; undefined = no expiry given). */
export interface Token {
  value: string;
  expiresAt: number | undefined;
}

/** Sends one request and reads the whole body (token bodies are small). */
export type TokenSender = (
  method: 'GET' | 'POST',
  url: URL,
  headers: Record<string, string>,
  body?: string,
) => Promise<{ response: HttpResponse; text: string }>;

/** `remoteerrors.NewUnexpectedStatusErr`: `unexpected status from GET request to <url>: 401 Unauthorized`. */
export function unexpectedStatus(response: HttpResponse): GoError {
  return new GoError(
    `unexpected status from ${response.method} request to ${response.url}: ${response.status}`,
    ['unexpected-status'],
    response.statusCode,
  );
}

/** The words Go's encoding/json uses for the two ways a token body is usually broken. */
function decodeError(text: string): GoError {
  const first = text.trimStart()[0];
  const why = first === undefined ? 'EOF' : `invalid character '${first}' looking for beginning of value`;
  return new GoError(`unable to decode token response: ${why}`);
}

function parse(text: string, now: number, field: 'access_token' | 'token'): Token {
  let body: { token?: unknown; access_token?: unknown; expires_in?: unknown; issued_at?: unknown };
  try {
    body = JSON.parse(text);
  } catch {
    throw decodeError(text);
  }
  // `access_token` wins over `token` when both are present (fetch.go canonicalises that way).
  const value =
    typeof body.access_token === 'string' && body.access_token !== '' ? body.access_token : body[field];
  if (typeof value !== 'string' || value === '') {
    throw new GoError('authorization server did not include a token in the response');
  }
  const issued = typeof body.issued_at === 'string' ? Date.parse(body.issued_at) : Number.NaN;
  const seconds = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : undefined;
  const expiresAt =
    seconds === undefined ? undefined : (Number.isNaN(issued) ? now : issued) + seconds * 1000;
  return { value, expiresAt };
}

/** `auth.FetchToken`: GET with service and scopes in the query, Basic credentials when there is a secret. */
export async function fetchToken(send: TokenSender, to: TokenOptions, now: () => number): Promise<Token> {
  const url = new URL(to.realm);
  const pairs = [...url.searchParams.entries()];
  if (to.service !== '') pairs.push(['service', to.service]);
  for (const scope of to.scopes) pairs.push(['scope', scope]);
  url.search = encodeValues(pairs);
  const headers: Record<string, string> = {};
  if (to.secret !== '') {
    headers.authorization = `Basic ${Buffer.from(`${to.username}:${to.secret}`).toString('base64')}`;
  }
  const { response, text } = await send('GET', url, headers);
  if (response.statusCode < 200 || response.statusCode >= 400) throw unexpectedStatus(response);
  return parse(text, now(), 'token');
}

/** `auth.FetchTokenWithOAuth` with the authorizer's GET fallback around it. */
export async function fetchTokenWithOAuth(
  send: TokenSender,
  to: TokenOptions,
  now: () => number,
): Promise<Token> {
  const form: [string, string][] = [];
  if (to.scopes.length > 0) form.push(['scope', to.scopes.join(' ')]);
  form.push(['service', to.service], ['client_id', 'containerd-client']);
  if (to.username === '') form.push(['grant_type', 'refresh_token'], ['refresh_token', to.secret]);
  else form.push(['grant_type', 'password'], ['username', to.username], ['password', to.secret]);
  const headers = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };
  const { response, text } = await send('POST', new URL(to.realm), headers, encodeValues(form));
  const status = response.statusCode;
  if (status < 200 || status >= 400) {
    // Registries without the OAuth endpoint answer 404 (GCR), 401 (Artifactory), 400 (ACR) or 405.
    if ((status === 405 && to.username !== '') || [404, 401, 400].includes(status)) {
      return fetchToken(send, to, now);
    }
    throw unexpectedStatus(response);
  }
  return parse(text, now(), 'access_token');
}
