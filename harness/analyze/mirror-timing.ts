/**
 * What a mirror costs or saves in time, from the pulls of one run (`pull.attempt`: its end and
 * `durationMs`, so its start is end − duration):
 *
 * - `latency`: successful pulls of the mirror's registry in three groups. `direct`: on nodes
 *   whose hosts.toml lists no mirror of the registry (a mirror's `nodes`; none: every node),
 *   straight to the origin.
 *   `cold`: through the mirror, started before any pull of that image through the mirror had
 *   finished (the mirror had to fetch it: a miss). `warm`: through the mirror, started after one
 *   had finished (a hit). `added` is cold or warm minus direct, at p50 and p95. Pulls whose node
 *   had a fault on this mirror applied when they started are left out: they are `fallback`.
 * - `fallback`: per fault scoped to this mirror (refused, blackhole, …), the pulls through the
 *   mirror on the fault's nodes that started while it was applied — containerd found the mirror
 *   down and went on to the next host, the registry — against `up`, the pulls through the
 *   mirror with no fault on their node. `failed` counts those whose fallback did not save them.
 */
import type { PullAttempt } from '../events/types.ts';
import type { Fault, Mirror } from '../scenario/resolved.ts';
import type { RunContext } from './context.ts';
import { nearestRank } from './percentiles.ts';

/** Pull durations of one group, in ms (null fields when it is empty). */
export interface PullGroup {
  n: number;
  min: number | null;
  p50: number | null;
  p95: number | null;
  max: number | null;
}

/** `a − b` at p50 and p95, null where either side has no pulls. */
export interface AddedMs {
  p50: number | null;
  p95: number | null;
}

/** Latency through the mirror against a direct pull in the same run (see the module comment). */
export interface MirrorLatency {
  direct: PullGroup;
  cold: PullGroup;
  warm: PullGroup;
  added: { cold: AddedMs; warm: AddedMs };
}

/** Pulls while one fault kept the mirror down for some nodes (see the module comment). */
export interface MirrorFallback {
  fault: string;
  /** The fault's name, e.g. `refused`, `blackhole`. */
  kind: string;
  /** Its `mode` option, when it has one (blackhole: `syn-drop` or `stall`). */
  mode?: string;
  down: PullGroup;
  failed: number;
  up: PullGroup;
  /** down − up. */
  added: AddedMs;
}

/** A pull with its start and end as offsets from the run's start. */
interface Pull {
  node: string;
  image: string;
  ok: boolean;
  startMs: number;
  endMs: number;
  durationMs: number;
}

/** Durations → n, min, p50, p95, max (nearest rank, as every percentile in the report). */
export function pullGroup(durations: readonly number[]): PullGroup {
  const sorted = [...durations].sort((a, b) => a - b);
  return {
    n: sorted.length,
    min: sorted[0] ?? null,
    p50: nearestRank(sorted, 50),
    p95: nearestRank(sorted, 95),
    max: sorted.at(-1) ?? null,
  };
}

const minus = (a: PullGroup, b: PullGroup): AddedMs => ({
  p50: a.p50 === null || b.p50 === null ? null : a.p50 - b.p50,
  p95: a.p95 === null || b.p95 === null ? null : a.p95 - b.p95,
});

/** Whether an image reference is served by `registry` (`<registry>/…` or `<registry>.<domain>/…`). */
const fromRegistry = (image: string, registry: string) =>
  image.startsWith(`${registry}/`) || image.startsWith(`${registry}.`);

function pullsOf(ctx: RunContext, registry: string): Pull[] {
  return ctx.attempts
    .filter((a: PullAttempt) => fromRegistry(a.image, registry))
    .map((a) => {
      const endMs = Date.parse(a.time) - ctx.t0;
      return {
        node: a.node,
        image: a.image,
        ok: a.ok,
        startMs: endMs - a.durationMs,
        endMs,
        durationMs: a.durationMs,
      };
    });
}

/** The windows during which each fault was applied, by fault id. */
function faultWindows(ctx: RunContext): Map<string, { fromMs: number; toMs: number }[]> {
  const windows = new Map<string, { fromMs: number; toMs: number }[]>();
  for (const c of [...ctx.faultChanges].sort((a, b) => a.atMs - b.atMs)) {
    const list = windows.get(c.id) ?? [];
    if (c.kind === 'fault.applied') list.push({ fromMs: c.atMs, toMs: Number.POSITIVE_INFINITY });
    else if (list.length > 0) list[list.length - 1]!.toMs = c.atMs;
    windows.set(c.id, list);
  }
  return windows;
}

/** Latency and fallback of `mirror` of `registry` (see the module comment). */
export function mirrorTiming(
  ctx: RunContext,
  registry: string,
  mirror: Pick<Mirror, 'name' | 'nodes'>,
): { latency: MirrorLatency; fallback: MirrorFallback[] } {
  const pulls = pullsOf(ctx, registry);
  const lists = (m: Pick<Mirror, 'nodes'>, p: Pull) => !m.nodes || m.nodes.includes(p.node);
  const through = (p: Pull) => lists(mirror, p);
  // Direct means no mirror at all: a node another mirror of the registry lists pulls through that one.
  const registryMirrors = ctx.scenario?.registries.find((r) => r.name === registry)?.mirrors ?? [];
  const isDirect = (p: Pull) => !through(p) && !registryMirrors.some((m) => lists(m, p));
  const windows = faultWindows(ctx);
  const faults: Fault[] = (ctx.scenario?.faults ?? []).filter((f) => f.scope.registry === mirror.name);
  const downBy = (f: Fault, p: Pull) =>
    through(p) &&
    (!f.scope.nodes || f.scope.nodes.includes(p.node)) &&
    (windows.get(f.id) ?? []).some((w) => p.startMs >= w.fromMs && p.startMs < w.toMs);
  const healthy = pulls.filter((p) => p.ok && through(p) && !faults.some((f) => downBy(f, p)));

  // The first time each image was pulled through the mirror in full: later pulls find it cached.
  const firstDone = new Map<string, number>();
  for (const p of healthy) firstDone.set(p.image, Math.min(firstDone.get(p.image) ?? p.endMs, p.endMs));
  const isWarm = (p: Pull) => p.startMs >= (firstDone.get(p.image) ?? Number.POSITIVE_INFINITY);
  const direct = pullGroup(pulls.filter((p) => p.ok && isDirect(p)).map((p) => p.durationMs));
  const cold = pullGroup(healthy.filter((p) => !isWarm(p)).map((p) => p.durationMs));
  const warm = pullGroup(healthy.filter(isWarm).map((p) => p.durationMs));
  const up = pullGroup(healthy.map((p) => p.durationMs));

  const fallback = faults.map((f): MirrorFallback => {
    const hit = pulls.filter((p) => downBy(f, p));
    const down = pullGroup(hit.filter((p) => p.ok).map((p) => p.durationMs));
    const mode = (f.options as { mode?: unknown }).mode;
    return {
      fault: f.id,
      kind: f.fault,
      ...(typeof mode === 'string' ? { mode } : {}),
      down,
      failed: hit.filter((p) => !p.ok).length,
      up,
      added: minus(down, up),
    };
  });
  return {
    latency: { direct, cold, warm, added: { cold: minus(cold, direct), warm: minus(warm, direct) } },
    fallback,
  };
}
