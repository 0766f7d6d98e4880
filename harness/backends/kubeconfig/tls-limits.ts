/**
 * Why certificate faults cannot show on an existing cluster. Nodes pull from the stub at
 * `localhost:<nodePort>`, and with no hosts.toml for that host containerd's CRI never verifies a
 * localhost certificate: 1.6 speaks plain HTTP to localhost (CRI `defaultScheme`), 1.7 and later
 * try HTTPS with verification off, then HTTP (`docker.IsLocalhost` → skip-verify + HTTP fallback in
 * remotes/docker/config/hosts.go). So an untrusted, expired or wrong-name certificate is accepted,
 * and a registry that answers plain HTTP is too: those faults would pass silently. The NodePort is chosen by the
 * API server per run, and the run's CA is new each run, so a user cannot pre-write
 * `certs.d/localhost:<port>/hosts.toml` with that CA. pullstorm refuses these faults on this backend
 * (exit 2) instead of reporting a pass that tested nothing; `pullstorm doctor --context` says so.
 * The `kind` backend writes each node's hosts.toml and CA itself, so there they apply.
 */

import { CERTIFICATE_FAULTS } from '../provider.ts';

/** Catalogue faults whose effect needs a node that verifies the stub's certificate. */
export const UNVERIFIED_TLS_FAULTS: readonly string[] = CERTIFICATE_FAULTS;

/** The reason, in one line. */
export const UNVERIFIED_TLS_REASON =
  'nodes reach the stub at localhost:<random nodePort>, and containerd never verifies a localhost certificate without a hosts.toml (1.6 speaks plain HTTP there; 1.7+ tries HTTPS unverified, then HTTP), so the pull succeeds anyway; use the kind or containerd backend';
