/**
 * Who each VU is, as the registry sees it. "Per client" at the HTTP level means what the server keys a
 * quota on, and the pullstorm stub keys two ways (registry-stubs/faults/rate-limit):
 * - `key: client`: the TCP peer address of the connection. Headers such as X-Forwarded-For are never
 *   trusted (a client could name itself anything), so every VU of one k6 process is the SAME client —
 *   unless k6 is given source addresses: `k6 run --local-ips=127.0.0.10-127.0.0.250` hands VUs
 *   distinct loopback addresses (Linux routes all of 127/8 locally), the way pullstorm's virtual
 *   nodes get one each. Across machines, each k6-operator runner pod has its own pod IP.
 * - `key: credential`: the authenticated user. Each VU logs in as its own user (`vu<n>` of
 *   PULLSTORM_USERS users; the stub must know them: `pullstorm serve --user vu0:pw --user vu1:pw …`),
 *   which works from one machine with no address tricks and mirrors Docker Hub's per-account quota.
 */
import exec from 'k6/execution';
import { integer, optional } from './env.ts';

/** A VU's credentials, or undefined for an anonymous client. */
export interface Identity {
  username: string;
  password: string;
}

/** This VU's identity: user `<prefix><(vu id - 1) mod PULLSTORM_USERS>`; anonymous when PULLSTORM_USERS is 0 (default). */
export function identity(): Identity | undefined {
  const users = integer('PULLSTORM_USERS', 0);
  if (users === 0) return undefined;
  const n = (exec.vu.idInTest - 1) % users;
  return {
    username: `${optional('PULLSTORM_USER_PREFIX', 'vu')}${n}`,
    password: optional('PULLSTORM_PASSWORD', 'pw'),
  };
}
