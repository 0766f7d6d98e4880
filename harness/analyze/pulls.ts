/**
 * Pull counts and latency. Latency is Pulling → Pulled per successful pull, from kubelet's event pair
 * (what DESIGN calls pull latency: it includes waiting in kubelet's serial queue), or a successful
 * `pull.attempt`'s `durationMs` for a pod without the pair.
 */
import { classifyEvent } from '../classify/index.ts';
import type { RunContext } from './context.ts';
import { percentiles } from './percentiles.ts';
import type { Analysis } from './types.ts';

/** Attempts, successes, failures and latency percentiles. */
export function analyzePulls(ctx: RunContext): Analysis['pulls'] {
  const samples: number[] = [];
  for (const rec of ctx.pods.values()) {
    if (rec.eventLatencies.length > 0) samples.push(...rec.eventLatencies);
    else for (const a of rec.attempts) if (a.ok) samples.push(a.durationMs);
  }
  const latency = percentiles(samples);
  if (ctx.attempts.length > 0) {
    const succeeded = ctx.attempts.filter((a) => a.ok).length;
    return { attempts: ctx.attempts.length, succeeded, failed: ctx.attempts.length - succeeded, latency };
  }
  // Backends that only see kubelet's events (a real cluster): count its Pulling/Pulled/Failed events.
  let attempts = 0;
  let succeeded = 0;
  let failed = 0;
  for (const rec of ctx.pods.values()) {
    for (const event of rec.events) {
      if (event.reason === 'Pulling') attempts++;
      else if (event.reason === 'Pulled' && event.message.startsWith('Successfully pulled')) succeeded++;
      else if (event.reason === 'Failed' && classifyEvent(event).role === 'failed') failed++;
    }
  }
  return { attempts, succeeded, failed, latency };
}
