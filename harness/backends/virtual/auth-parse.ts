/**
 * The small parsers of containerd's auth path: `WWW-Authenticate` challenges
 * (remotes/docker/auth/parse.go, one challenge per header value), the CRI plugin's `ParseAuth`
 * (pkg/cri/server/image_pull.go) turning a PullImageRequest's AuthConfig into a username and
 * secret, and Go's `url.Values.Encode` so token URLs and forms are byte for byte the same.
 */

import { goQuote } from '../../kubelet/gofmt.ts';
import type { AuthConfig } from '../../kubelet/image-service.ts';
import { GoError } from './go-error.ts';

/** A parsed challenge; parameter names are lower-cased. */
export interface Challenge {
  scheme: 'basic' | 'bearer' | 'digest';
  parameters: Record<string, string>;
}

const token = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+/;

function tokenOrQuoted(s: string): [string, string] {
  if (!s.startsWith('"')) {
    const m = token.exec(s)?.[0] ?? '';
    return [m, s.slice(m.length)];
  }
  let value = '';
  for (let i = 1; i < s.length; i++) {
    const ch = s[i]!;
    if (ch === '"') return [value, s.slice(i + 1)];
    if (ch === '\\' && i + 1 < s.length) value += s[++i];
    else value += ch;
  }
  return ['', ''];
}

/** `auth.ParseAuthHeader`: the basic, digest and bearer challenges of the response, in order. */
export function parseChallenges(values: readonly string[] | undefined): Challenge[] {
  const challenges: Challenge[] = [];
  for (const header of values ?? []) {
    const scheme = (token.exec(header)?.[0] ?? '').toLowerCase();
    if (scheme !== 'basic' && scheme !== 'bearer' && scheme !== 'digest') continue;
    const parameters: Record<string, string> = {};
    let rest = header.slice(scheme.length);
    // Bounded: every turn consumes at least the key and the `=`.
    for (;;) {
      rest = rest.trimStart();
      const key = token.exec(rest)?.[0] ?? '';
      if (key === '' || rest[key.length] !== '=') break;
      const [value, after] = tokenOrQuoted(rest.slice(key.length + 1));
      if (value === '') break;
      parameters[key.toLowerCase()] = value;
      rest = after.trimStart();
      if (!rest.startsWith(',')) break;
      rest = rest.slice(1);
    }
    challenges.push({ scheme, parameters });
  }
  return challenges;
}

/** Username and secret for a host; both empty means anonymous. */
export interface Credentials {
  username: string;
  secret: string;
}

/** Go's `url.Parse(s).Host` for the forms a server address takes, or the error url.Parse gives. */
function serverHost(address: string): string | GoError {
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(address);
  if (scheme === null) {
    const first = address.split('/')[0] ?? '';
    if (first.includes(':')) {
      return new GoError(`parse ${goQuote(address)}: first path segment in URL cannot contain colon`);
    }
    return address.startsWith('//') ? (address.slice(2).split('/')[0] ?? '') : '';
  }
  const rest = address.slice(scheme[0].length);
  return rest.startsWith('//') ? (rest.slice(2).split(/[/?#]/)[0] ?? '') : '';
}

/** The CRI plugin's `ParseAuth(auth, host)`; throws a GoError where it returns an error. */
export function parseAuth(auth: AuthConfig | undefined, host: string): Credentials {
  const anonymous = { username: '', secret: '' };
  if (auth === undefined) return anonymous;
  if (auth.serverAddress) {
    const server = serverHost(auth.serverAddress);
    if (server instanceof GoError) throw server.wrap('parse server address');
    if (server !== host) return anonymous;
  }
  if (auth.username) return { username: auth.username, secret: auth.password ?? '' };
  if (auth.identityToken) return { username: '', secret: auth.identityToken };
  if (auth.auth) {
    const bad = /[^A-Za-z0-9+/=]/.exec(auth.auth);
    if (bad !== null) throw new GoError(`illegal base64 data at input byte ${bad.index}`);
    const decoded = Buffer.from(auth.auth, 'base64').toString('latin1');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw new GoError(`invalid decoded auth: ${goQuote(decoded)}`);
    return { username: decoded.slice(0, colon), secret: decoded.slice(colon + 1).replace(/^\0+|\0+$/g, '') };
  }
  return anonymous;
}

/** Go's `url.QueryEscape`: unreserved characters stay, space becomes `+`. */
function queryEscape(s: string): string {
  return encodeURIComponent(s)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

/** Go's `url.Values.Encode`: keys sorted, values in the order added. */
export function encodeValues(pairs: readonly (readonly [string, string])[]): string {
  const keys = [...new Set(pairs.map(([k]) => k))].sort();
  return keys
    .flatMap((k) => pairs.filter(([key]) => key === k).map(([, v]) => `${queryEscape(k)}=${queryEscape(v)}`))
    .join('&');
}
