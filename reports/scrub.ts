/**
 * Defensive secret scrubbing. Credentials never enter the analysis, but error texts are copied
 * verbatim from registries and proxies, and a misbehaving one may echo a header or a URL with a
 * password; every renderer passes its input through `scrubAnalysis` so nothing leaks into a file
 * that is uploaded as a CI artefact. Placeholders like `<token>` in remediation texts survive.
 */

/** What replaces a secret value. */
export const REDACTED = '[redacted]';

const secretKey = String.raw`[\w.-]*(?:password|passwd|token|secret|api[_-]?key|credentials?)`;
// A value ends at whitespace, quotes, separators or a placeholder bracket.
const value = String.raw`[^\s"'&,;<>\])}]+`;

type Replacement = string | ((match: string, ...groups: string[]) => string);

const patterns: readonly [RegExp, Replacement][] = [
  // Headers: any value at a line start, keeping its scheme; with a scheme, anywhere in a text.
  // Mid-sentence `may require authorization: server message …` is Docker Hub's wording, kept.
  [
    /^(\s*(?:proxy-)?authorization:\s*)(?:(bearer|basic|token)\s+)?\S.*$/gim,
    (_, head: string, scheme?: string) => `${head}${scheme ? `${scheme} ` : ''}${REDACTED}`,
  ],
  [
    /\b((?:proxy-)?authorization)(\s*[:=]\s*)(bearer|basic|token)\s+(?!\[redacted\])[^\s"',;]+/gi,
    `$1$2$3 ${REDACTED}`,
  ],
  // Credentials after a scheme: they have a digit or an inner capital, which `Bearer challenge` has not.
  [
    /\b(Bearer|Basic)\s+(?![\w-]+=")(?=[\w.~+/-]*?(?:\d|[a-z0-9._~+/-][A-Z]))[A-Za-z0-9._~+/-]{8,}=*/g,
    `$1 ${REDACTED}`,
  ],
  // key=value (query strings, flags, env): `?token=abc`, `--docker-password=abc`, `REG_PASSWORD=abc`.
  [new RegExp(`\\b(${secretKey})=${value}`, 'gi'), `$1=${REDACTED}`],
  // JSON members: `"password": "abc"`, docker config `"auth": "dXNlcjpwYXNz"`.
  [
    new RegExp(
      `"(${secretKey}|(?:proxy-)?authorization|auth|identitytoken|registrytoken)"(\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"`,
      'gi',
    ),
    `"$1"$2"${REDACTED}"`,
  ],
  // YAML/header lines only (`password: abc` at a line start): mid-sentence `token: unexpected
  // status …` is containerd's own wording and must stay exact.
  [new RegExp(`^(\\s*(?:${secretKey}):[ \\t]+)\\S.*$`, 'gim'), `$1${REDACTED}`],
  // userinfo in URLs: `https://user:pass@host`.
  [/\b([a-z][a-z0-9+.-]*:\/\/[^\s/:@]+):[^\s/@]+@/gi, `$1:${REDACTED}@`],
  // JWTs (registry bearer tokens) wherever they appear.
  [/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, REDACTED],
];

// Every pattern above needs one of these; testing for them first keeps a 10,000-pod analysis fast.
const trigger = /password|passwd|token|secret|api[_-]?key|credential|authoriz|bearer|basic|auth"|@|eyJ/i;

/** Replaces anything in `text` that looks like a password, token or Authorization value. */
export function scrubText(text: string): string {
  if (!trigger.test(text)) return text;
  let out = text;
  for (const [pattern, replacement] of patterns) {
    out =
      typeof replacement === 'string' ? out.replace(pattern, replacement) : out.replace(pattern, replacement);
  }
  return out;
}

const secretName = new RegExp(`^${secretKey}$|^(?:proxy-)?authorization$|^auth$`, 'i');

/** A deep copy of `value` with every string scrubbed, and string values under secret-looking keys redacted. */
export function scrubDeep<T>(input: T): T {
  return scrub(input) as T;
}

function scrub(input: unknown, key?: string): unknown {
  if (typeof input === 'string')
    return key !== undefined && secretName.test(key) ? REDACTED : scrubText(input);
  if (Array.isArray(input)) return input.map((item) => scrub(item));
  if (input === null || typeof input !== 'object') return input;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) out[k] = scrub(v, k);
  return out;
}

/**
 * `scrubDeep` of everything but the pods, which summaries (Markdown, JUnit, terminal) never show:
 * scrubbing 10,000 pods' events for a ten-line summary would cost most of its rendering time.
 */
export function scrubSummary<T extends { pods: readonly unknown[] }>(analysis: T): T {
  return { ...scrubDeep({ ...analysis, pods: [] }), pods: [] };
}
