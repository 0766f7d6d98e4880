/**
 * `latency`: added delay per connection (before it is served at all, TLS handshake included) and
 * per response chunk (each write of up to 64 KiB), each fixed ± uniform jitter from the fault's
 * seeded PRNG so a run repeats. Only the response direction is delayed.
 */
import { jittered } from './random.ts';
import { resolveScope, SCOPE_KEYS, type ScopeOptions } from './scope.ts';
import { sleep } from './signals.ts';
import type { NetFault } from './types.ts';
import { checkKeys, checkNumber, problemsOf, throwIfAny } from './validate.ts';

/** Options of `latency()`; at least one of `connectionMs` and `chunkMs` must be above 0. */
export interface LatencyOptions extends ScopeOptions {
  /** Delay before a new connection is served, ms; default 0. */
  connectionMs?: number;
  /** Uniform ± jitter on `connectionMs`, at most `connectionMs`; default 0. */
  connectionJitterMs?: number;
  /** Delay before each response chunk, ms; default 0. */
  chunkMs?: number;
  /** Uniform ± jitter on `chunkMs`, at most `chunkMs`; default 0. */
  chunkJitterMs?: number;
}

const MAX_DELAY_MS = 10 * 60 * 1000;

/** Delays chosen connections and/or each of their response chunks. */
export function latency(options: LatencyOptions = {}): NetFault {
  const problems = problemsOf('latency');
  checkKeys(problems, options, [
    ...SCOPE_KEYS,
    'connectionMs',
    'connectionJitterMs',
    'chunkMs',
    'chunkJitterMs',
  ]);
  const { connectionMs = 0, connectionJitterMs = 0, chunkMs = 0, chunkJitterMs = 0 } = options;
  for (const [name, value] of Object.entries({ connectionMs, connectionJitterMs, chunkMs, chunkJitterMs })) {
    checkNumber(problems, name, value, { max: MAX_DELAY_MS });
  }
  // Symmetric jitter larger than its base would be clipped at 0 and shift the mean.
  if (connectionJitterMs > connectionMs) {
    problems.messages.push(
      `connectionJitterMs must be ≤ connectionMs (${connectionMs}), got ${connectionJitterMs}`,
    );
  }
  if (chunkJitterMs > chunkMs)
    problems.messages.push(`chunkJitterMs must be ≤ chunkMs (${chunkMs}), got ${chunkJitterMs}`);
  if (!(connectionMs > 0 || chunkMs > 0)) {
    problems.messages.push(`connectionMs or chunkMs must be above 0, got ${connectionMs} and ${chunkMs}`);
  }
  const scope = resolveScope(problems, options);
  throwIfAny(problems);
  return {
    name: 'latency',
    options: { connectionMs, connectionJitterMs, chunkMs, chunkJitterMs },
    scope,
    start: ({ random }) => ({
      connection: async function addLatency(conn, next) {
        if (connectionMs > 0) await sleep(jittered(connectionMs, connectionJitterMs, random), conn.closed);
        if (chunkMs > 0) {
          // Timers overshoot by ~1 ms; the overshoot is carried as debt into the next delay so the
          // mean per chunk is what was asked.
          let debt = 0;
          conn.shaping.gates.push(async function chunkLatency(_bytes, signal) {
            const wanted = jittered(chunkMs, chunkJitterMs, random);
            const wait = Math.max(0, wanted - debt);
            const started = performance.now();
            await sleep(wait, signal);
            debt = Math.max(0, debt + performance.now() - started - wanted);
          });
        }
        await next();
      },
    }),
  };
}
