/**
 * `bandwidth`: caps the response direction in bytes/s, per connection and/or in total (one token
 * bucket shared by every connection this application of the fault touches, across endpoints if
 * its scope spans several; apply one per endpoint for a per-node total). Buckets start empty, so
 * N bytes take N / rate seconds.
 */
import { resolveScope, SCOPE_KEYS, type ScopeOptions } from './scope.ts';
import { sliceFor, TokenBucket } from './token-bucket.ts';
import type { NetFault } from './types.ts';
import { checkKeys, checkNumber, problemsOf, throwIfAny } from './validate.ts';

/** Options of `bandwidth()`; at least one cap. */
export interface BandwidthOptions extends ScopeOptions {
  /** Cap of each connection, bytes/s; default none. */
  bytesPerSecond?: number;
  /** Cap shared by all connections the fault touches, bytes/s; default none. */
  totalBytesPerSecond?: number;
}

const MAX_RATE = 10 * 1024 ** 3;

/** Throttles chosen connections' responses. */
export function bandwidth(options: BandwidthOptions = {}): NetFault {
  const problems = problemsOf('bandwidth');
  checkKeys(problems, options, [...SCOPE_KEYS, 'bytesPerSecond', 'totalBytesPerSecond']);
  const { bytesPerSecond, totalBytesPerSecond } = options;
  checkNumber(problems, 'bytesPerSecond', bytesPerSecond, { min: 1, max: MAX_RATE });
  checkNumber(problems, 'totalBytesPerSecond', totalBytesPerSecond, { min: 1, max: MAX_RATE });
  if (bytesPerSecond === undefined && totalBytesPerSecond === undefined) {
    problems.messages.push('bytesPerSecond or totalBytesPerSecond must be given, got neither');
  }
  const scope = resolveScope(problems, options);
  throwIfAny(problems);
  return {
    name: 'bandwidth',
    options: {
      ...(bytesPerSecond !== undefined && { bytesPerSecond }),
      ...(totalBytesPerSecond !== undefined && { totalBytesPerSecond }),
    },
    scope,
    start() {
      const total = totalBytesPerSecond === undefined ? undefined : new TokenBucket(totalBytesPerSecond);
      return {
        connection: async function capBandwidth(conn, next) {
          const own = bytesPerSecond === undefined ? undefined : new TokenBucket(bytesPerSecond);
          for (const bucket of [own, total]) {
            if (bucket !== undefined)
              conn.shaping.sliceBytes = Math.min(conn.shaping.sliceBytes, sliceFor(bucket.rate));
          }
          conn.shaping.gates.push(async function bandwidthCap(bytes, signal) {
            await own?.take(bytes, signal);
            await total?.take(bytes, signal);
          });
          await next();
        },
      };
    },
  };
}
