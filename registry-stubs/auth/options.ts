/**
 * Auth configuration: typed options, defaults computed once, every problem reported at once.
 */
import type { Action } from '../context.ts';
import { BCRYPT_HASH } from './bcrypt.ts';

/** Actions granted on repositories matching a glob (`*` matches any characters, `/` included). */
export interface AccessRule {
  /** Repository glob, e.g. `team/*` or `*`. */
  repository: string;
  actions: Action[];
}

/** A user for Basic auth and for the token endpoint: a password, or its bcrypt hash (htpasswd). */
export interface AuthUser {
  username: string;
  /** The password in the clear; give this or `passwordHash`. */
  password?: string;
  /** A bcrypt hash of the password (`$2y$…`, as `htpasswd -B` writes); give this or `password`. */
  passwordHash?: string;
  /** What this user may do; anonymous rules apply on top. Default none. */
  access?: AccessRule[];
}

/** How the registry authenticates; default `{ mode: 'none' }` (everything allowed). */
export interface AuthOptions {
  /** `none`, `basic` (WWW-Authenticate: Basic) or `token` (Docker token auth with a /token endpoint). */
  mode: 'none' | 'basic' | 'token';
  /** Known users; default none. Authenticated users may also list the catalog. */
  users?: AuthUser[];
  /** What requests without credentials may do (anonymous tokens in token mode); default nothing. */
  anonymous?: AccessRule[];
  /** Lifetime of issued access tokens; default 300 s. */
  tokenTtlSeconds?: number;
  /** `service` in the challenge and tokens; default `pullstorm`. */
  service?: string;
  /** Basic realm; default `pullstorm`. */
  basicRealm?: string;
  /** Token realm URL; default `<request origin>/token`, so clients reach the token endpoint by the same host. */
  tokenRealm?: string;
  /** HMAC key for tokens; default 32 random bytes per app (tokens die with the app). */
  secret?: Uint8Array;
}

/** Auth options with defaults filled in. */
export interface ResolvedAuth {
  mode: AuthOptions['mode'];
  users: Map<string, AuthUser>;
  anonymous: AccessRule[];
  tokenTtlSeconds: number;
  service: string;
  basicRealm: string;
  tokenRealm: string | undefined;
  secret: Uint8Array;
}

const actions: readonly Action[] = ['pull', 'push', 'delete'];

function ruleProblems(rules: unknown, where: string): string[] {
  if (rules === undefined) return [];
  if (!Array.isArray(rules))
    return [`${where} must be an array of { repository, actions }; got ${JSON.stringify(rules)}`];
  return rules.flatMap((rule: Partial<AccessRule>, i) => {
    const problems: string[] = [];
    if (typeof rule?.repository !== 'string' || rule.repository === '') {
      problems.push(
        `${where}[${i}].repository must be a non-empty glob; got ${JSON.stringify(rule?.repository)}`,
      );
    }
    if (!Array.isArray(rule?.actions) || rule.actions.some((a) => !actions.includes(a))) {
      problems.push(
        `${where}[${i}].actions must list ${actions.join(', ')}; got ${JSON.stringify(rule?.actions)}`,
      );
    }
    return problems;
  });
}

/** Validates and defaults auth options; throws one TypeError naming every problem. */
export function resolveAuth(options: AuthOptions = { mode: 'none' }): ResolvedAuth {
  const problems: string[] = [];
  if (!['none', 'basic', 'token'].includes(options.mode)) {
    problems.push(`auth.mode must be 'none', 'basic' or 'token'; got ${JSON.stringify(options.mode)}`);
  }
  const users = new Map<string, AuthUser>();
  (options.users ?? []).forEach((user, i) => {
    if (typeof user?.username !== 'string' || user.username === '' || user.username.includes(':')) {
      problems.push(
        `auth.users[${i}].username must be a non-empty string without ':'; got ${JSON.stringify(user?.username)}`,
      );
    } else if (users.has(user.username)) {
      problems.push(`auth.users[${i}].username '${user.username}' appears twice`);
    } else users.set(user.username, user);
    // Never echo the password itself, even in a configuration error.
    const hashed = user?.passwordHash !== undefined;
    if (hashed === (user?.password !== undefined)) {
      problems.push(`auth.users[${i}]: expected exactly one of password and passwordHash`);
    } else if (!hashed && typeof user?.password !== 'string') {
      problems.push(`auth.users[${i}].password must be a string`);
    } else if (hashed && !BCRYPT_HASH.test(String(user?.passwordHash))) {
      problems.push(
        `auth.users[${i}].passwordHash must be a bcrypt hash ($2a$, $2b$ or $2y$, 60 characters)`,
      );
    }
    problems.push(...ruleProblems(user?.access, `auth.users[${i}].access`));
  });
  problems.push(...ruleProblems(options.anonymous, 'auth.anonymous'));
  const ttl = options.tokenTtlSeconds ?? 300;
  if (!Number.isFinite(ttl) || ttl <= 0) {
    problems.push(
      `auth.tokenTtlSeconds must be a positive number; got ${JSON.stringify(options.tokenTtlSeconds)}`,
    );
  }
  if (problems.length > 0) throw new TypeError(`invalid auth options:\n- ${problems.join('\n- ')}`);
  return {
    mode: options.mode,
    users,
    anonymous: options.anonymous ?? [],
    tokenTtlSeconds: ttl,
    service: options.service ?? 'pullstorm',
    basicRealm: options.basicRealm ?? 'pullstorm',
    tokenRealm: options.tokenRealm,
    secret: options.secret ?? crypto.getRandomValues(new Uint8Array(32)),
  };
}
