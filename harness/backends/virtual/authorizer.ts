/**
 * containerd's `dockerAuthorizer` (remotes/docker/authorizer.go, 1.7): learns from 401 responses
 * (`AddResponses`), one handler per host, Bearer tokens cached per scope string (one fetch per
 * scope even under concurrency; failures are cached too) until `expires_in`, Basic credentials
 * attached as they are. A second identical challenge carrying `error=` means the token did not
 * help: `server message: insufficient_scope: authorization failed`.
 */
import { type Challenge, type Credentials, parseChallenges } from './auth-parse.ts';
import { asGoError, GoError, goErrorf } from './go-error.ts';
import { fetchToken, fetchTokenWithOAuth, type Token, type TokenOptions, type TokenSender } from './token.ts';

/** A response the authorizer is shown: what was asked and what came back. */
export interface ResponseRecord {
  method: string;
  url: string;
  statusCode: number;
  headers: NodeJS.Dict<string[]>;
}

type Handler =
  | { scheme: 'basic'; header: string }
  | { scheme: 'bearer'; common: TokenOptions; tokens: Map<string, CachedToken> };

/** A token fetch shared by every request of the same scope; `expiresAt` is set once it succeeded. */
interface CachedToken {
  token: Promise<Token>;
  expiresAt?: number | undefined;
}

/** What an authorizer needs from its node and pull. */
export interface AuthorizerOptions {
  /** The CRI plugin's credentials for a host (`ParseAuth`); may throw a GoError. */
  credentials: (host: string) => Credentials;
  /** Sends token requests through the pull's transport. */
  send: TokenSender;
  /** Scope of the pull: `repository:<name>:pull` (ContextWithRepositoryScope). */
  scope: string;
  now: () => number;
}

/** `GetTokenScopes`: the context scope plus the challenge's, sorted, duplicates dropped. */
function tokenScopes(scope: string, common: readonly string[]): string[] {
  return [...new Set([scope, ...common])].sort();
}

/** `invalidAuthorization`: the same request challenged twice with an `error` parameter. */
function invalidAuthorization(c: Challenge, responses: readonly ResponseRecord[]): GoError | undefined {
  const error = c.parameters.error;
  if (!error) return undefined;
  const [previous, last] = responses.slice(-2);
  if (previous === undefined || last === undefined) return undefined;
  if (previous.method !== last.method || previous.url !== last.url) return undefined;
  return goErrorf(`server message: ${error}`, 'invalid-authorization');
}

/** One authorizer, as containerd 1.7 creates one per resolver base (resolve, then fetch) of every pull. */
export class Authorizer {
  readonly #handlers = new Map<string, Handler>();
  readonly #options: AuthorizerOptions;

  constructor(options: AuthorizerOptions) {
    this.#options = options;
  }

  /** The Authorization header for a request to `url`, fetching a token if needed; undefined when none. */
  async authorize(url: URL): Promise<string | undefined> {
    const handler = this.#handlers.get(url.host);
    if (handler === undefined) return undefined;
    if (handler.scheme === 'basic') return handler.header;
    const to = { ...handler.common, scopes: tokenScopes(this.#options.scope, handler.common.scopes) };
    const key = to.scopes.join(' ');
    const cached = handler.tokens.get(key);
    if (
      cached !== undefined &&
      !(cached.expiresAt !== undefined && cached.expiresAt <= this.#options.now())
    ) {
      return `Bearer ${(await cached.token).value}`;
    }
    const { send, now } = this.#options;
    const fetched =
      to.secret !== ''
        ? fetchTokenWithOAuth(send, to, now).catch((e) =>
            Promise.reject(asGoError(e).wrap('failed to fetch oauth token')),
          )
        : fetchToken(send, to, now).catch((e) =>
            Promise.reject(asGoError(e).wrap('failed to fetch anonymous token')),
          );
    const entry: CachedToken = { token: fetched };
    handler.tokens.set(key, entry);
    const token = await fetched;
    entry.expiresAt = token.expiresAt;
    return `Bearer ${token.value}`;
  }

  /**
   * `AddResponses`: 'retry' when the challenge was understood, 'unsupported' when no scheme was
   * (the 401 then stands); throws the GoError containerd returns.
   */
  addResponses(responses: readonly ResponseRecord[]): 'retry' | 'unsupported' {
    const last = responses[responses.length - 1];
    if (last === undefined) return 'unsupported';
    const host = new URL(last.url).host;
    for (const c of parseChallenges(last.headers['www-authenticate'])) {
      if (c.scheme === 'bearer') {
        const invalid = invalidAuthorization(c, responses);
        if (invalid !== undefined) {
          this.#handlers.delete(host);
          throw invalid;
        }
        if (this.#handlers.has(host)) return 'retry';
        const { username, secret } = this.#options.credentials(host);
        const realm = c.parameters.realm;
        if (realm === undefined) throw new GoError('no realm specified for token auth challenge');
        if (!URL.canParse(realm)) throw new GoError(`invalid token auth challenge realm: parse ${realm}`);
        const scopes = c.parameters.scope === undefined ? [] : c.parameters.scope.split(' ');
        const common = { realm, service: c.parameters.service ?? '', scopes, username, secret };
        this.#handlers.set(host, { scheme: 'bearer', common, tokens: new Map() });
        return 'retry';
      }
      if (c.scheme === 'basic') {
        const { username, secret } = this.#options.credentials(host);
        if (username === '' || secret === '') {
          throw new GoError('authorization failed: no basic auth credentials', ['invalid-authorization']);
        }
        const header = `Basic ${Buffer.from(`${username}:${secret}`).toString('base64')}`;
        this.#handlers.set(host, { scheme: 'basic', header });
        return 'retry';
      }
    }
    return 'unsupported';
  }
}
