/**
 * One timeline per pod, as `kubectl describe pod` would tell it: state changes with offsets, the
 * pod's events in order, the final state, the last pull error word for word, and the digest it runs.
 * Pods are listed in natural name order (`web-2` before `web-10`).
 */
import { isRunning, type RunContext } from './context.ts';
import { sortNatural } from './time.ts';
import type { PodTimeline } from './types.ts';

/** Strips `registry/repo@` from a repo digest, so `sha256:…` compares with `sha256:…`. */
export function bareDigest(digest: string): string {
  const at = digest.lastIndexOf('@');
  return at === -1 ? digest : digest.slice(at + 1);
}

/** Every pod's timeline. */
export function podTimelines(ctx: RunContext): PodTimeline[] {
  const out: PodTimeline[] = [];
  for (const rec of ctx.pods.values()) {
    const states = rec.states.map(({ digest: _digest, ...state }) => state);
    const last = rec.states[rec.states.length - 1];
    const timeline: PodTimeline = {
      pod: rec.pod,
      node: rec.node ?? '',
      image: rec.image ?? '',
      states,
      events: rec.events,
      final: finalState(rec.states, rec.attempts),
    };
    const lastFailure = rec.failures[rec.failures.length - 1];
    if (lastFailure !== undefined) timeline.lastError = lastFailure.text;
    const running = last !== undefined ? isRunning(last) : rec.attempts.at(-1)?.ok === true;
    const digest =
      rec.states.findLast((s) => s.digest !== undefined)?.digest ??
      rec.attempts.findLast((a) => a.ok && a.digest !== undefined)?.digest;
    if (running && digest !== undefined) timeline.digest = bareDigest(digest);
    out.push(timeline);
  }
  return sortNatural(out, (t) => t.pod);
}

function finalState(states: PodTimelineStates, attempts: readonly { ok: boolean }[]): PodTimeline['final'] {
  const last = states[states.length - 1];
  if (last !== undefined)
    return last.reason === undefined ? { phase: last.phase } : { phase: last.phase, reason: last.reason };
  // Only pull attempts: the last one says whether the image is there.
  const attempt = attempts[attempts.length - 1];
  if (attempt === undefined) return { phase: 'Unknown' };
  return attempt.ok ? { phase: 'Running' } : { phase: 'Pending', reason: 'ErrImagePull' };
}

type PodTimelineStates = readonly { phase: string; reason?: string }[];
