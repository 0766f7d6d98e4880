/**
 * `rate-limit`: a pull quota per client address and/or credential, as token buckets of `burst`
 * tokens refilled at `limit` per `windowSeconds`. Over quota the registry answers 429
 * `TOOMANYREQUESTS`; containerd retries a 429 at once (no sleep, Retry-After ignored) and fails
 * with `429 Too Many Requests - Server message: toomanyrequests: …`.
 * - `style: 'dockerhub'` counts manifest GETs only (a HEAD neither counts nor is refused, as
 *   Docker Hub documents and shows: HEAD answers 200 with `ratelimit-remaining: 0`), sends
 *   `ratelimit-limit: N;w=S`, `ratelimit-remaining: R;w=S` and `docker-ratelimit-source` on
 *   manifest requests and no Retry-After;
 * - `style: 'generic'` counts every request in scope and sends `Retry-After` with the 429.
 */
import type { RegistryContext } from '../../context.ts';
import { RegistryError } from '../../errors.ts';
import { setHeaders } from '../http.ts';
import { choice, integer, type OptionSpecs, resolveOptions } from '../options.ts';
import type { HttpFault } from '../types.ts';
import { QuotaBuckets } from './bucket.ts';

/** Options of `rateLimit()`. */
export interface RateLimitOptions {
  /** Requests allowed per window; default 100 (Docker Hub, anonymous). */
  limit?: number;
  /** Window in seconds over which `limit` refills; default 21600 (6 h). */
  windowSeconds?: number;
  /** Most requests allowed at once (bucket size); default `limit`. */
  burst?: number;
  /** Bucket per `client` address, per `credential` (user; anonymous requests per address), or per pair (`both`); default `client`. */
  key?: 'client' | 'credential' | 'both';
  /** `dockerhub` (manifest GETs, quota headers) or `generic` (every request, Retry-After); default `dockerhub`. */
  style?: 'dockerhub' | 'generic';
}

/** Docker Hub's message in the 429 body. */
export const DOCKER_HUB_MESSAGE =
  'You have reached your pull rate limit. You may increase the limit by authenticating and upgrading: https://www.docker.com/increase-rate-limit';

/** The options, described once for the catalogue, the validator and the factory. */
export const RATE_LIMIT_OPTIONS: OptionSpecs = {
  limit: { type: 'integer', doc: 'requests allowed per window', default: 100, check: integer(1, 1e9) },
  windowSeconds: {
    type: 'integer',
    doc: 'window over which the limit refills',
    default: 21_600,
    unit: 'seconds',
    check: integer(1, 366 * 86_400),
  },
  burst: {
    type: 'integer',
    doc: 'bucket size: most requests at once; default limit',
    check: integer(1, 1e9),
  },
  key: {
    type: 'string',
    doc: 'bucket per client address, per credential (anonymous: per address), or per pair',
    default: 'client',
    check: choice(['client', 'credential', 'both']),
  },
  style: {
    type: 'string',
    doc: 'dockerhub: manifest GETs counted, quota headers; generic: every request, Retry-After',
    default: 'dockerhub',
    check: choice(['dockerhub', 'generic']),
  },
};

/** Which bucket a request draws from, and what `docker-ratelimit-source` shows. */
function keyOf(c: RegistryContext, key: RateLimitOptions['key']): { key: string; source: string } {
  const client = c.get('client') ?? 'unknown';
  const user = c.get('user');
  if (key === 'credential')
    return user === undefined ? { key: client, source: client } : { key: `user:${user}`, source: user };
  if (key === 'both') return { key: `${client}|${user ?? ''}`, source: client };
  return { key: client, source: client };
}

/** A pull quota; see the module doc. */
export function rateLimit(options: RateLimitOptions = {}): HttpFault {
  const resolved = resolveOptions<Required<Omit<RateLimitOptions, 'burst'>>>(
    'rate-limit',
    RATE_LIMIT_OPTIONS,
    options,
  );
  const { limit, windowSeconds, key, style } = resolved;
  const burst = options.burst ?? limit;
  return {
    name: 'rate-limit',
    options: { ...resolved, burst },
    start(run) {
      const buckets = new QuotaBuckets(burst, limit / windowSeconds, run.now);
      const quota = (bucket: string, source: string): Record<string, string> => ({
        'ratelimit-limit': `${limit};w=${windowSeconds}`,
        'ratelimit-remaining': `${buckets.remaining(bucket)};w=${windowSeconds}`,
        'docker-ratelimit-source': source,
      });
      return {
        wants: (c) =>
          style === 'generic' ||
          (c.get('route') === 'manifest' && (c.req.method === 'GET' || c.req.method === 'HEAD')),
        handle: async function rateLimit(c, next) {
          const { key: bucket, source } = keyOf(c, key);
          const counted = style === 'generic' || c.req.method === 'GET';
          if (counted && !buckets.take(bucket)) {
            if (style === 'dockerhub') {
              throw new RegistryError('TOOMANYREQUESTS', DOCKER_HUB_MESSAGE, {
                headers: quota(bucket, source),
              });
            }
            const wait = buckets.secondsUntilToken(bucket);
            throw new RegistryError('TOOMANYREQUESTS', `too many requests; retry after ${wait} s`, {
              headers: { 'Retry-After': String(wait) },
            });
          }
          await next();
          if (style === 'dockerhub') setHeaders(c, quota(bucket, source));
        },
      };
    },
  };
}
