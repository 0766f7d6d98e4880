/**
 * `pullstorm serve`'s limit and timeout flags: one per field of the stub's `RegistryLimits`, with
 * the stub's defaults in the help text (registry-stubs/limits.ts holds them; this file only names
 * the flags), so `serve --help` and the README list the same numbers.
 */
import type { Argv } from 'yargs';
import {
  DEFAULT_LIMITS,
  type RegistryLimits,
  type ResolvedLimits,
  resolveLimits,
} from '../../registry-stubs/index.ts';
import { UsageError } from '../../vocab/errors.ts';

/** Flag name → limit, with what it says in `--help`. */
const flags: Record<string, { limit: keyof ResolvedLimits; describe: string }> = {
  'headers-timeout-ms': {
    limit: 'headersTimeoutMs',
    describe:
      'a request whose headers have not all arrived after this long gets 408 and is closed (Node default)',
  },
  'request-timeout-ms': {
    limit: 'requestTimeoutMs',
    describe:
      'a request (headers and body) not all arrived after this long gets 408 and is closed; 0 = none (Node default)',
  },
  'keep-alive-timeout-ms': {
    limit: 'keepAliveTimeoutMs',
    describe: 'an idle keep-alive connection is closed after this long (Node default)',
  },
  'idle-timeout-ms': {
    limit: 'idleTimeoutMs',
    describe:
      'a connection without a byte either way for this long is closed, mid-request too; 0 = off (Node default; the blackhole and stall faults hold connections idle on purpose)',
  },
  'max-blob-bytes': {
    limit: 'maxBlobBytes',
    describe:
      'largest blob an upload may grow to: 413 BLOB_UPLOAD_INVALID past it, from Content-Length before the body is read',
  },
  'upload-memory-bytes': {
    limit: 'uploadMemoryBytes',
    describe:
      'memory store: bytes of unfinished uploads held at once, all sessions together (413 past it; use --storage for more)',
  },
  'max-uploads-per-client': {
    limit: 'maxUploadsPerClient',
    describe: 'upload sessions one client address may have open: 429 TOOMANYREQUESTS past it',
  },
  'upload-max-age-ms': {
    limit: 'uploadMaxAgeMs',
    describe: 'an upload session without a new chunk for this long is purged, its data on disk too',
  },
};

/** Adds the limit flags to `serve`'s parser. */
export function withLimitFlags<T>(y: Argv<T>): Argv<T> {
  let parser = y;
  for (const [flag, { limit, describe }] of Object.entries(flags)) {
    parser = parser.option(flag, {
      type: 'number',
      default: DEFAULT_LIMITS[limit],
      describe,
      group: 'Limits:',
    });
  }
  return parser;
}

/** The limits the flags give, checked by the stub's own rules; a UsageError naming each bad flag. */
export function limitsFromFlags(argv: Record<string, unknown>): RegistryLimits {
  const limits: Record<string, unknown> = {};
  for (const [flag, { limit }] of Object.entries(flags))
    if (argv[flag] !== undefined) limits[limit] = argv[flag];
  try {
    resolveLimits(limits as RegistryLimits);
  } catch (error) {
    // The stub names fields (headersTimeoutMs); the user typed flags (--headers-timeout-ms).
    let message = (error as Error).message.replace(/^limits: /, '');
    for (const [flag, { limit }] of Object.entries(flags)) message = message.replaceAll(limit, `--${flag}`);
    throw new UsageError(message, { cause: error });
  }
  return limits as RegistryLimits;
}
