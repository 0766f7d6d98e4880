/**
 * Many clients against a pull quota. With PULLSTORM_CONTROL set, setup() applies a Docker Hub-style
 * `rate-limit` fault on the stub (LIMIT manifest GETs per client, default 5, keyed by credential
 * when PULLSTORM_USERS is set, else by client address) and teardown() clears it; against a registry
 * that already limits, leave PULLSTORM_CONTROL unset. Every 429 must look like Docker Hub's:
 * `TOOMANYREQUESTS` in the body and the `ratelimit-*` headers — what containerd surfaces as
 * `429 Too Many Requests - Server message: toomanyrequests: …`.
 *
 *   pullstorm serve --port 5000 --control-token t &
 *   pullstorm k6 scenarios/k6/rate-limit.ts --target http://127.0.0.1:5000 --control http://127.0.0.1:5000 --token t
 */
import { check } from 'k6';
import http from 'k6/http';
import { Rate } from 'k6/metrics';
import type { Options } from 'k6/options';
import { cachedAuthorization } from './lib/auth.ts';
import { applyFault, clearFault } from './lib/control.ts';
import { image, integer, optional, target } from './lib/env.ts';
import { account, header } from './lib/http.ts';
import { identity } from './lib/identity.ts';
import { pull } from './lib/pull.ts';

/** VUS clients (10) for DURATION (20s); the quota must bite, and bite the Docker Hub way. */
export const options: Options = {
  vus: integer('VUS', 10),
  duration: optional('DURATION', '20s'),
  thresholds: {
    // The quota must bite: with LIMIT pulls allowed per client, the storm goes over it.
    registry_429s: ['count>0'],
    // And every refusal must be the one clients understand.
    registry_429_well_formed: ['rate==1'],
  },
};

const FAULT_ID = 'k6-rate-limit';
/** 429s that carry TOOMANYREQUESTS and the ratelimit-* headers, of all 429s looked at. */
const wellFormed = new Rate('registry_429_well_formed');

/** Applies the quota on the stub (when PULLSTORM_CONTROL is set). */
export function setup(): void {
  applyFault({
    id: FAULT_ID,
    fault: 'rate-limit',
    options: {
      limit: integer('LIMIT', 5),
      windowSeconds: 3600,
      style: 'dockerhub',
      key: __ENV.PULLSTORM_USERS ? 'credential' : 'client',
    },
    scope: { route: 'manifest' },
  });
}

/** One iteration: a pull, and a look at the refusal when there is one. */
export default function client(): void {
  const { repository, reference } = image();
  const base = target();
  const result = pull(base, repository, reference, optional('PULLSTORM_PLATFORM', 'linux/amd64'), identity());
  if (result.status !== 429) return;
  // Look at the refusal itself (a GET counts against the quota; a HEAD would not).
  const auth = cachedAuthorization(`repository:${repository}:pull`);
  const res = account(
    http.get(`${base}/v2/${repository}/manifests/${reference}`, {
      headers: auth ? { Authorization: auth } : {},
      tags: { route: 'manifest' },
      responseCallback: http.expectedStatuses(200, 429),
    }),
    'manifest',
  );
  if (res.status !== 429) return;
  wellFormed.add(
    check(res, {
      '429 is TOOMANYREQUESTS': (r) => String(r.body).includes('TOOMANYREQUESTS'),
      '429 carries ratelimit headers': (r) =>
        /;w=\d+/.test(header(r, 'ratelimit-limit') ?? '') && header(r, 'ratelimit-remaining') !== undefined,
    }),
  );
}

/** Lifts the quota again. */
export function teardown(): void {
  clearFault(FAULT_ID);
}
