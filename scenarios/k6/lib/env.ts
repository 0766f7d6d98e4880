/**
 * What a script reads from its environment; `pullstorm k6` sets the first three.
 * - PULLSTORM_TARGET: registry base URL (required), e.g. `http://127.0.0.1:5000`;
 * - PULLSTORM_CONTROL, PULLSTORM_TOKEN: the stub's fault control endpoint and its token (optional);
 * - PULLSTORM_IMAGE: `repository:tag` to pull; default `pullstorm/tiny:1.0`;
 * - PULLSTORM_PLATFORM: platform picked from an index; default `linux/amd64`;
 * - PULLSTORM_USERS, PULLSTORM_USER_PREFIX, PULLSTORM_PASSWORD: per-VU credentials (identity.ts);
 * - VUS, DURATION: load shape; defaults 20 and `30s`.
 */

/** A required variable; throws (k6 aborts the test at init) when missing. */
export function required(name: string): string {
  const value = __ENV[name];
  if (!value)
    throw new Error(
      `${name} is not set; run through \`pullstorm k6 <script> --target <url>\` or pass -e ${name}=…`,
    );
  return value;
}

/** An optional variable with a default. */
export function optional(name: string, fallback: string): string {
  return __ENV[name] || fallback;
}

/** A whole number from the environment, or `fallback`. */
export function integer(name: string, fallback: number): number {
  const raw = __ENV[name];
  const n = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name}: expected a whole number, got '${raw}'`);
  return n;
}

/** The registry base URL without a trailing slash. */
export const target = (): string => required('PULLSTORM_TARGET').replace(/\/+$/, '');

/** `repository` and `reference` of PULLSTORM_IMAGE (tag or digest). */
export function image(): { repository: string; reference: string } {
  const ref = optional('PULLSTORM_IMAGE', 'pullstorm/tiny:1.0');
  const at = ref.indexOf('@');
  if (at > 0) return { repository: ref.slice(0, at), reference: ref.slice(at + 1) };
  const colon = ref.lastIndexOf(':');
  return colon > ref.lastIndexOf('/')
    ? { repository: ref.slice(0, colon), reference: ref.slice(colon + 1) }
    : { repository: ref, reference: 'latest' };
}
