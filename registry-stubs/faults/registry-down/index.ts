/**
 * `registry-down`: every request answers 503, token endpoint included — a registry whose backend
 * is down behind a load balancer that still accepts connections. Chosen over handing off to the
 * connection fault `refused` because it needs no front door and composes with the HTTP scope
 * (nodes, clients); a registry process that is gone (nothing listening) is `refused` itself.
 * containerd tries the next host in hosts.toml (a mirror's fallback), else fails with
 * `unexpected status from HEAD request to …: 503 Service Unavailable`.
 */
import { integer, type OptionSpecs, resolveOptions } from '../options.ts';
import { serverFailure } from '../server-error/index.ts';
import type { HttpFault } from '../types.ts';

/** Options of `registryDown()`. */
export interface RegistryDownOptions {
  /** Status every request gets, 500–599; default 503. */
  status?: number;
}

/** The options, described once. */
export const REGISTRY_DOWN_OPTIONS: OptionSpecs = {
  status: {
    type: 'integer',
    doc: 'status every request gets, 500-599',
    default: 503,
    check: integer(500, 599),
  },
};

/** Every request fails. */
export function registryDown(options: RegistryDownOptions = {}): HttpFault {
  const { status } = resolveOptions<Required<RegistryDownOptions>>(
    'registry-down',
    REGISTRY_DOWN_OPTIONS,
    options,
  );
  return {
    name: 'registry-down',
    options: { status },
    scopeKeys: ['nodes', 'clients'],
    start: () => ({
      handle: async function registryDown() {
        throw serverFailure(status);
      },
    }),
  };
}
