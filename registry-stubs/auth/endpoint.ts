/**
 * The token endpoint of Docker token auth: `GET /token?service=&scope=` (Basic credentials
 * optional; without them the anonymous rules decide) and OAuth2 `POST /token` (grant_type
 * `password` or `refresh_token`). A requested scope is granted only as far as the rules allow,
 * like Docker Hub: asking for more is not an error, the token just carries less.
 */
import { BodyTooLarge, readTextOnce } from '../body.ts';
import type { Action, RegistryContext } from '../context.ts';
import { RegistryError } from '../errors.ts';
import { allowedActions, catalogScope, parseScope, type ScopeEntry } from './access.ts';
import { type AuthRuntime, basicCredentials, checkPassword } from './guard.ts';
import { isCurrent, type TokenClaims } from './jwt.ts';
import type { AuthUser } from './options.ts';

/** Refresh tokens live a day; access tokens `tokenTtlSeconds`. */
const refreshTtlSeconds = 86_400;

/** The token endpoint's JSON answer. */
export interface TokenResponse {
  token: string;
  access_token: string;
  expires_in: number;
  issued_at: string;
  refresh_token?: string;
  scope?: string;
}

function grant(auth: AuthRuntime, user: AuthUser | undefined, requested: ScopeEntry[]): ScopeEntry[] {
  const rules = [...(user?.access ?? []), ...auth.config.anonymous];
  const granted: ScopeEntry[] = [];
  for (const scope of requested) {
    if (scope.type === 'registry') {
      if (user !== undefined && scope.name === 'catalog') granted.push(catalogScope);
      continue;
    }
    const allowed = allowedActions(rules, scope.name);
    const wanted = scope.actions.includes('*') ? [...allowed] : scope.actions;
    const actions = wanted.filter((a) => allowed.has(a as Action));
    if (actions.length > 0) granted.push({ type: 'repository', name: scope.name, actions });
  }
  return granted;
}

async function issue(
  auth: AuthRuntime,
  user: AuthUser | undefined,
  scopes: string[],
  service: string | undefined,
  withRefresh: boolean,
): Promise<TokenResponse> {
  const requested = scopes.flatMap((s) => s.split(' ')).flatMap((s) => parseScope(s) ?? []);
  const access = grant(auth, user, requested);
  const iat = Math.floor(auth.now() / 1000);
  const ttl = auth.config.tokenTtlSeconds;
  const base = {
    iss: 'pullstorm',
    sub: user?.username ?? '',
    aud: service ?? auth.config.service,
    iat,
    nbf: iat,
  };
  const claims: TokenClaims = { ...base, exp: iat + ttl, jti: crypto.randomUUID(), typ: 'access', access };
  const token = await auth.signer.sign(claims);
  const response: TokenResponse = {
    token,
    access_token: token,
    expires_in: ttl,
    issued_at: new Date(iat * 1000).toISOString(),
  };
  if (withRefresh && user !== undefined) {
    const refresh = {
      ...base,
      exp: iat + refreshTtlSeconds,
      jti: crypto.randomUUID(),
      typ: 'refresh' as const,
    };
    response.refresh_token = await auth.signer.sign({ ...refresh, access: [] });
  }
  if (access.length > 0)
    response.scope = access.map((a) => `${a.type}:${a.name}:${a.actions.join(',')}`).join(' ');
  return response;
}

function badCredentials(auth: AuthRuntime, message: string): RegistryError {
  return new RegistryError('UNAUTHORIZED', message, {
    headers: { 'WWW-Authenticate': `Basic realm="${auth.config.basicRealm}"` },
  });
}

/** `GET /token`: Docker's token request; Basic credentials optional, wrong ones are 401. */
export async function getToken(c: RegistryContext, auth: AuthRuntime): Promise<Response> {
  const header = c.req.header('Authorization');
  let user: AuthUser | undefined;
  // Only Basic credentials mean anything here; any other scheme is an anonymous request.
  if (header !== undefined && /^Basic\s/i.test(header)) {
    const credentials = basicCredentials(header);
    user = credentials && (await checkPassword(auth.config, credentials.username, credentials.password));
    if (user === undefined) throw badCredentials(auth, 'invalid username or password');
    c.set('user', user.username);
  }
  const offline = c.req.query('offline_token') === 'true';
  return c.json(await issue(auth, user, c.req.queries('scope') ?? [], c.req.query('service'), offline));
}

/** Largest token request form: 64 KiB (a password grant with a few scopes is well under 1 KiB). */
const MAX_FORM_BYTES = 64 * 1024;

/** The form body, read once (the fault layer may have read it) with a ceiling; 413 past it. */
export async function tokenForm(c: RegistryContext): Promise<string> {
  try {
    return await readTextOnce(c.req.raw, MAX_FORM_BYTES);
  } catch (err) {
    if (!(err instanceof BodyTooLarge)) throw err;
    throw new RegistryError('SIZE_INVALID', `token request form: ${err.message}`, {
      status: 413,
      headers: { Connection: 'close' },
    });
  }
}

/** `POST /token`: OAuth2 password and refresh_token grants (form-encoded, as containerd sends them). */
export async function postToken(c: RegistryContext, auth: AuthRuntime): Promise<Response> {
  const form = new URLSearchParams(await tokenForm(c));
  const grantType = form.get('grant_type');
  const scopes = form.getAll('scope');
  const service = form.get('service') ?? undefined;
  if (grantType === 'password') {
    const user = await checkPassword(auth.config, form.get('username') ?? '', form.get('password') ?? '');
    if (user === undefined) throw badCredentials(auth, 'invalid username or password');
    c.set('user', user.username);
    return c.json(await issue(auth, user, scopes, service, true));
  }
  if (grantType === 'refresh_token') {
    const claims = await auth.signer.verify(form.get('refresh_token') ?? '');
    const valid = claims?.typ === 'refresh' && isCurrent(claims, Math.floor(auth.now() / 1000));
    const user = valid ? auth.config.users.get(claims.sub) : undefined;
    if (user === undefined) throw badCredentials(auth, 'refresh token is invalid or expired');
    c.set('user', user.username);
    const response = await issue(auth, user, scopes, service, false);
    return c.json({ ...response, refresh_token: form.get('refresh_token') });
  }
  throw new RegistryError(
    'UNSUPPORTED',
    `grant_type must be 'password' or 'refresh_token'; got ${JSON.stringify(grantType)}`,
    { status: 400 },
  );
}
