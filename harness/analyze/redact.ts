/**
 * Credentials never reach an event log or a report. `redact` replaces the value of every field
 * whose name says it holds a secret (`password`, `token`, `auth`, `authorization`, `secret`, and
 * spellings like `access_token` or `clientSecret`) with `[redacted]`, and scrubs strings too:
 * `Authorization: …` header values, JWTs, URL user-info passwords, and any secret value it has been
 * told about — so a password that leaks into an error message is caught as well as one in a field.
 */

/** What a redacted value is replaced with. */
export const REDACTED = '[redacted]';

// Field names compared lowercased without `-` and `_`: `access_token`, `Proxy-Authorization` …
const secretKeys = new Set([
  'password',
  'passwd',
  'token',
  'accesstoken',
  'refreshtoken',
  'identitytoken',
  'idtoken',
  'registrytoken',
  'auth',
  'authorization',
  'proxyauthorization',
  'secret',
  'clientsecret',
]);

/** True when a field of this name holds a credential. */
export function isSecretKey(key: string): boolean {
  // Every secret name contains one of these; most keys (`kind`, `time`, `pod`) are out at once.
  if (!/pass|tok|auth|secret/i.test(key)) return false;
  return secretKeys.has(key.toLowerCase().replaceAll(/[-_]/g, ''));
}

// Shorter known secrets are not scrubbed from free text: replacing every `ab` would garble it.
const minKnownLength = 4;
const textPatterns: readonly [RegExp, string][] = [
  // Only with a scheme: kubelet's own `may require authorization: server message` must survive.
  [/\b(authorization["']?\s*[:=]\s*["']?(?:Bearer|Basic)\s+)[^\s"',}]+/gi, `$1${REDACTED}`],
  [/\beyJ[\w-]{4,}\.[\w-]{4,}\.[\w-]*/g, REDACTED],
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@]+:)[^\s/@]+@/gi, `$1${REDACTED}@`],
];

/** Escapes a string for use inside a RegExp. */
function escapeRegExp(text: string): string {
  return text.replaceAll(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Scrubs one string: header values, JWTs, URL passwords and the known secrets. */
function scrub(text: string, known: RegExp | null): string {
  let out = text;
  // Cheap tests first: nearly every string in a log has none of these, and a log has millions.
  if (/uthorization|eyJ|:\/\//i.test(out)) {
    for (const [pattern, replacement] of textPatterns) out = out.replace(pattern, replacement);
  }
  return known === null ? out : out.replace(known, REDACTED);
}

/** Every string under a secret-named field of `value` (e.g. the passwords in a scenario's auth). */
export function secretValues(value: unknown, under = false, out: Set<string> = new Set()): Set<string> {
  if (typeof value === 'string') {
    if (under && value !== '') out.add(value);
  } else if (Array.isArray(value)) {
    for (const item of value) secretValues(item, under, out);
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      // `auth: { mode: 'basic', users: [...] }` holds secrets but also plain words such as `basic`:
      // only string leaves under a password/token/secret name are learned, never an auth block's words.
      const secret = isSecretKey(key) && !(typeof item === 'object' && item !== null);
      secretValues(item, under || secret, out);
    }
  }
  return out;
}

/** A matcher for the known secrets long enough to scrub from free text, or null. */
export function knownSecretsPattern(known: Iterable<string>): RegExp | null {
  const words = [...new Set(known)].filter((s) => s.length >= minKnownLength);
  if (words.length === 0) return null;
  // Longest first, so a secret that contains another is replaced whole.
  words.sort((a, b) => b.length - a.length);
  return new RegExp(words.map(escapeRegExp).join('|'), 'g');
}

/**
 * `value` with secret-named fields replaced by `[redacted]` and every string scrubbed; objects that
 * change are copied, the input is never modified. `known`: secret values to scrub wherever they
 * appear; default none (a pattern from {@link knownSecretsPattern} is accepted too, so a log reuses
 * one). `learn`: when given, receives the secret values the redacted fields held (as `secretValues`).
 */
export function redact<T>(value: T, known: Iterable<string> | RegExp | null = null, learn?: Set<string>): T {
  const pattern = known === null || known instanceof RegExp ? known : knownSecretsPattern(known);
  return walk(value, pattern, learn) as T;
}

/** The redacted value; the input itself when nothing changed, so clean events are not copied. */
function walk(value: unknown, known: RegExp | null, learn: Set<string> | undefined): unknown {
  if (typeof value === 'string') return scrub(value, known);
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item = walk(value[i], known, learn);
      if (item === value[i]) continue;
      copy ??= [...value];
      copy[i] = item;
    }
    return copy ?? value;
  }
  let copy: Record<string, unknown> | undefined;
  for (const [key, item] of Object.entries(value)) {
    const secret = item !== undefined && item !== null && isSecretKey(key);
    if (secret && learn !== undefined) {
      if (typeof item === 'string') {
        if (item !== '') learn.add(item);
      } else secretValues(item, false, learn);
    }
    const out = secret ? REDACTED : walk(item, known, learn);
    if (out === item) continue;
    copy ??= { ...value };
    copy[key] = out;
  }
  return copy ?? value;
}
