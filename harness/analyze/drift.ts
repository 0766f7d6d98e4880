/**
 * Digest drift: for each tag reference pods pulled, the digest each node runs. A tag re-pointed
 * mid-run (a tag overwrite) gives no error; it shows only as nodes running different digests for one
 * tag. A pod's digest is its running state's `imageDigest`, else its last successful pull's digest.
 * References pinned by digest cannot drift and are left out. When several pods of one node run one
 * tag, the node's entry is the pod that appeared last in the log, and drift counts every pod's digest.
 */
import type { RunContext } from './context.ts';
import { bareDigest } from './pods.ts';
import { sortNatural } from './time.ts';
import type { DigestDrift } from './types.ts';

/** For each pulled tag, the digest by node and whether nodes disagree. */
export function digestDrift(ctx: RunContext): DigestDrift {
  const tags = new Map<string, { byNode: Map<string, string>; digests: Set<string> }>();
  for (const rec of ctx.pods.values()) {
    const running = rec.states.findLast((s) => s.phase === 'Running' && s.digest !== undefined);
    const pulled = rec.attempts.findLast((a) => a.ok && a.digest !== undefined);
    const digest = running?.digest ?? pulled?.digest;
    const reference = rec.image ?? pulled?.image;
    if (digest === undefined || reference === undefined || reference.includes('@')) continue;
    const tag = tags.get(reference) ?? { byNode: new Map<string, string>(), digests: new Set<string>() };
    tags.set(reference, tag);
    tag.byNode.set(rec.node ?? rec.pod, bareDigest(digest));
    tag.digests.add(bareDigest(digest));
  }
  const out = sortNatural(tags, ([reference]) => reference).map(([reference, { byNode, digests }]) => ({
    reference,
    digestsByNode: Object.fromEntries(sortNatural(byNode, ([node]) => node)),
    drift: digests.size > 1,
  }));
  return { tags: out, detected: out.some((t) => t.drift) };
}
