/**
 * A pull storm at the HTTP level: VUS clients (default 20) each pulling PULLSTORM_IMAGE in a loop for
 * DURATION (default 30s), as containerd would — resolve, manifests, blobs with digest checks — against
 * the stub or a user's mirror. The thresholds mirror a pullstorm scenario's expectations: every pull
 * succeeds, no 429s, manifests answer fast. `registry_origin_bytes` ÷ (VUs × image size) is the
 * origin amplification when PULLSTORM_TARGET is a cache in front of the stub.
 *
 *   pullstorm k6 scenarios/k6/pull-storm.ts --target http://127.0.0.1:5000
 */
import { check } from 'k6';
import type { Options } from 'k6/options';
import { image, integer, optional, target } from './lib/env.ts';
import { identity } from './lib/identity.ts';
import { pull } from './lib/pull.ts';

/** VUS clients arriving within 5 s, then pulling for DURATION; thresholds as in the module doc. */
export const options: Options = {
  scenarios: {
    storm: {
      executor: 'ramping-vus',
      startVUs: 0,
      stages: [
        // All clients arrive within 5 s, as a deployment scale-up lands pods on nodes.
        { duration: '5s', target: integer('VUS', 20) },
        { duration: optional('DURATION', '30s'), target: integer('VUS', 20) },
      ],
      gracefulRampDown: '5s',
    },
  },
  thresholds: {
    registry_pull_ok: ['rate==1'],
    registry_429s: ['count==0'],
    registry_digest_mismatches: ['count==0'],
    'http_req_duration{route:manifest}': ['p(95)<500'],
    http_req_failed: ['rate<0.01'],
  },
};

/** One iteration: one whole-image pull, as one node's containerd would make it. */
export default function storm(): void {
  const { repository, reference } = image();
  const result = pull(
    target(),
    repository,
    reference,
    optional('PULLSTORM_PLATFORM', 'linux/amd64'),
    identity(),
  );
  check(result, { 'image pulled': (r) => r.ok });
  if (!result.ok && __ITER === 0) console.warn(`VU ${__VU}: ${result.error}`);
}
