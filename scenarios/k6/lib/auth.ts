/**
 * Registry authentication as containerd does it: request anonymously, read the 401's
 * `WWW-Authenticate` challenge, then send Basic credentials or fetch a Bearer token from the realm
 * (`GET realm?service=…&scope=repository:<repo>:pull`, Basic credentials when the VU has some) and
 * retry. Tokens are kept per scope until `expires_in` (default 60 s); each VU has its own cache, as
 * each node has its own containerd.
 */
import encoding from 'k6/encoding';
import http from 'k6/http';
import { account } from './http.ts';
import type { Identity } from './identity.ts';

/** A parsed challenge: scheme and parameters. */
export interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

/** Parses `Bearer realm="…",service="…",scope="…"` (quoted or bare values). */
export function parseChallenge(value: string | undefined): Challenge | undefined {
  const m = value ? /^\s*(\w+)\s*(.*)$/.exec(value) : null;
  if (!m) return undefined;
  const params: Record<string, string> = {};
  const re = /(\w+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g;
  for (let p = re.exec(m[2] ?? ''); p; p = re.exec(m[2] ?? ''))
    params[(p[1] ?? '').toLowerCase()] = p[2] ?? p[3] ?? '';
  return { scheme: (m[1] ?? '').toLowerCase(), params };
}

const tokens: Record<string, { value: string; until: number }> = {};

/** The cached token for `scope`, as containerd sends it up front once it has one. */
export function cachedAuthorization(scope: string): string | undefined {
  const cached = tokens[scope];
  return cached && cached.until > Date.now() ? `Bearer ${cached.value}` : undefined;
}

const basic = (id: Identity) => `Basic ${encoding.b64encode(`${id.username}:${id.password}`)}`;

/** The Authorization header answering `challenge` for `scope`; undefined when it cannot be answered. */
export function authorize(challenge: Challenge, scope: string, id: Identity | undefined): string | undefined {
  if (challenge.scheme === 'basic') return id ? basic(id) : undefined;
  if (challenge.scheme !== 'bearer' || !challenge.params.realm) return undefined;
  const cached = cachedAuthorization(scope);
  if (cached) return cached;
  const query = [
    ...(challenge.params.service ? [`service=${encodeURIComponent(challenge.params.service)}`] : []),
    `scope=${encodeURIComponent(challenge.params.scope || scope)}`,
  ].join('&');
  const res = account(
    http.get(`${challenge.params.realm}?${query}`, {
      headers: id ? { Authorization: basic(id) } : {},
      tags: { route: 'token' },
    }),
    'token',
  );
  if (res.status !== 200) return undefined;
  const body = res.json() as { token?: string; access_token?: string; expires_in?: number };
  const value = body.token ?? body.access_token;
  if (!value) return undefined;
  tokens[scope] = { value, until: Date.now() + (body.expires_in ?? 60) * 1000 };
  return `Bearer ${value}`;
}
