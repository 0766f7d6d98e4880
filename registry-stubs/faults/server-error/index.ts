/**
 * `server-error`: chosen requests answer a 5xx (the scope picks routes and the chance) with the
 * OCI body `UNKNOWN`. containerd tries the next host on a non-404 error, then fails with
 * `unexpected status from HEAD request to …: 503 Service Unavailable` (resolve) or
 * `… unexpected status code …: 500 Internal Server Error` (fetch).
 */
import { RegistryError } from '../../errors.ts';
import { integer, type OptionSpecs, resolveOptions } from '../options.ts';
import type { HttpFault } from '../types.ts';

/** Options of `serverError()`. */
export interface ServerErrorOptions {
  /** Status to answer, 500–599; default 500. */
  status?: number;
}

/** The options, described once. */
export const SERVER_ERROR_OPTIONS: OptionSpecs = {
  status: { type: 'integer', doc: 'status to answer, 500-599', default: 500, check: integer(500, 599) },
};

const reasons: Record<number, string> = {
  500: 'internal server error',
  502: 'bad gateway: the registry behind this proxy did not answer properly',
  503: 'service unavailable',
  504: 'gateway timeout: the registry behind this proxy did not answer in time',
};

/** The error a 5xx fault throws: `UNKNOWN` with `status`. */
export function serverFailure(status: number): RegistryError {
  return new RegistryError('UNKNOWN', reasons[status] ?? `server error ${status}`, { status });
}

/** Chosen requests fail with a 5xx. */
export function serverError(options: ServerErrorOptions = {}): HttpFault {
  const { status } = resolveOptions<Required<ServerErrorOptions>>(
    'server-error',
    SERVER_ERROR_OPTIONS,
    options,
  );
  return {
    name: 'server-error',
    options: { status },
    start: () => ({
      handle: async function serverError() {
        throw serverFailure(status);
      },
    }),
  };
}
