/**
 * Authentication in two steps, so fault layers can sit between them: `identify` reads the
 * credentials into a `Principal` (never rejecting), `authorize` decides after the layers ran,
 * answering like distribution: 401 with a Basic or Bearer challenge, 403 DENIED for a known user
 * without the access (Basic only; token mode always answers 401 with `error="insufficient_scope"`).
 */
import type { Action, Principal, RegistryContext, RegistryMiddleware } from '../context.ts';
import { RegistryError } from '../errors.ts';
import {
  allowedActions,
  challengeScope,
  formatScope,
  type Requirement,
  requirementOf,
  type ScopeEntry,
  scopeCovers,
} from './access.ts';
import { matchesHash } from './bcrypt.ts';
import { isCurrent, sameSecret, TokenSigner } from './jwt.ts';
import { type AuthOptions, type AuthUser, type ResolvedAuth, resolveAuth } from './options.ts';

/** Resolved auth configuration plus its token signer and clock. */
export interface AuthRuntime {
  config: ResolvedAuth;
  signer: TokenSigner;
  /** Milliseconds since the epoch. */
  now: () => number;
}

/** Builds the auth runtime; `now` defaults to `Date.now`. */
export function createAuthRuntime(
  options: AuthOptions | undefined,
  now: () => number = Date.now,
): AuthRuntime {
  const config = resolveAuth(options);
  return { config, signer: new TokenSigner(config.secret), now };
}

/** Decodes `Authorization: Basic …`; undefined when absent or malformed. Never logged. */
export function basicCredentials(
  header: string | undefined,
): { username: string; password: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (match === null) return undefined;
  try {
    const text = new TextDecoder().decode(Uint8Array.from(atob(match[1]!), (ch) => ch.charCodeAt(0)));
    const colon = text.indexOf(':');
    return colon < 0 ? undefined : { username: text.slice(0, colon), password: text.slice(colon + 1) };
  } catch {
    return undefined;
  }
}

/** The user whose password (or password hash) matches, or undefined. */
export async function checkPassword(
  config: ResolvedAuth,
  username: string,
  password: string,
): Promise<AuthUser | undefined> {
  const user = config.users.get(username);
  if (user === undefined) return undefined;
  if (user.passwordHash !== undefined)
    return (await matchesHash(user.passwordHash, password)) ? user : undefined;
  return sameSecret(user.password ?? '', password) ? user : undefined;
}

const everything: Principal = { via: 'anonymous', can: () => true, canCatalog: true };

/** Reads the request's credentials into a principal; bad credentials are recorded, not thrown. */
export async function identify(auth: AuthRuntime, authorization: string | undefined): Promise<Principal> {
  const { config } = auth;
  if (config.mode === 'none') return everything;
  const anonymous: Principal = {
    via: 'anonymous',
    // Token mode: a request without a token may do nothing; anonymous rules only shape anonymous tokens.
    can: (repo, action) => config.mode === 'basic' && allowedActions(config.anonymous, repo).has(action),
    canCatalog: false,
  };
  if (config.mode === 'basic') {
    const credentials = basicCredentials(authorization);
    if (authorization === undefined || credentials === undefined) return anonymous;
    const user = await checkPassword(config, credentials.username, credentials.password);
    if (user === undefined) return { ...anonymous, via: 'basic', problem: 'bad_credentials' };
    const rules = [...(user.access ?? []), ...config.anonymous];
    return {
      user: user.username,
      via: 'basic',
      can: (r, a) => allowedActions(rules, r).has(a),
      canCatalog: true,
    };
  }
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (bearer === null) return anonymous;
  const claims = await auth.signer.verify(bearer[1]!);
  if (claims === undefined || claims.typ !== 'access' || !isCurrent(claims, Math.floor(auth.now() / 1000))) {
    return { ...anonymous, via: 'bearer', problem: 'invalid_token' };
  }
  const principal: Principal = {
    via: 'bearer',
    can: (repo, action) => scopeCovers(claims.access, 'repository', repo, action),
    canCatalog: scopeCovers(claims.access, 'registry', 'catalog', '*'),
  };
  if (claims.sub !== '') principal.user = claims.sub;
  return principal;
}

function challenge(c: RegistryContext, auth: AuthRuntime, scope?: ScopeEntry, error?: string): string {
  const { config } = auth;
  if (config.mode === 'basic') return `Basic realm="${config.basicRealm}"`;
  const realm = config.tokenRealm ?? `${new URL(c.req.url).origin}/token`;
  let value = `Bearer realm="${realm}",service="${config.service}"`;
  if (scope !== undefined) value += `,scope="${formatScope(scope)}"`;
  if (error !== undefined) value += `,error="${error}"`;
  return value;
}

function describe(requirement: Requirement): string {
  if (requirement.kind === 'repository')
    return `${requirement.actions.join(',')} on repository '${requirement.repository}'`;
  if (requirement.kind === 'catalog') return 'listing the catalog';
  return 'this endpoint';
}

function satisfied(principal: Principal, requirement: Requirement, config: ResolvedAuth): boolean {
  switch (requirement.kind) {
    case 'none':
      return true;
    case 'authenticated':
      // Basic: a registry with anonymous rules answers the /v2/ ping without credentials.
      return (
        principal.via === 'bearer' ||
        principal.user !== undefined ||
        (config.mode === 'basic' && config.anonymous.length > 0)
      );
    case 'catalog':
      return principal.canCatalog;
    case 'repository':
      return requirement.actions.every((a: Action) => principal.can(requirement.repository, a));
  }
}

/** The middleware that rejects requests whose principal lacks what the route needs. */
export function authorize(auth: AuthRuntime): RegistryMiddleware {
  const { mode } = auth.config;
  return async function authorizeRequest(c, next) {
    const requirement = requirementOf(c.get('target'), c.req.method);
    // Routes needing nothing (the token endpoint, unknown paths) ignore even bad credentials.
    if (mode === 'none' || requirement.kind === 'none') return next();
    const principal = c.get('principal');
    const scope = challengeScope(requirement);
    const detail =
      scope === undefined
        ? undefined
        : scope.actions.map((a) => ({ Type: scope.type, Name: scope.name, Action: a }));
    if (principal.problem !== undefined) {
      const message =
        principal.problem === 'invalid_token'
          ? 'bearer token is invalid or expired'
          : 'invalid username or password';
      throw new RegistryError('UNAUTHORIZED', message, {
        detail,
        headers: {
          'WWW-Authenticate': challenge(
            c,
            auth,
            scope,
            principal.problem === 'invalid_token' ? 'invalid_token' : undefined,
          ),
        },
      });
    }
    if (satisfied(principal, requirement, auth.config)) return next();
    if (mode === 'basic' && principal.user !== undefined) {
      throw new RegistryError('DENIED', `user '${principal.user}' is not allowed ${describe(requirement)}`, {
        detail,
      });
    }
    const offered = principal.via === 'bearer';
    throw new RegistryError(
      'UNAUTHORIZED',
      offered
        ? `token does not grant ${describe(requirement)}`
        : `authentication required for ${describe(requirement)}`,
      {
        detail,
        headers: {
          'WWW-Authenticate': challenge(c, auth, scope, offered ? 'insufficient_scope' : undefined),
        },
      },
    );
  };
}
