/**
 * What each scenario mirror did, from the event log: the requests it answered (a real mirror's
 * own log, a stub mirror's events), the origin blob fetches it made (the origin's requests that
 * came in through the door named after the mirror), and what the origin answered it with errors.
 *
 * - `originFetchesPerBlob`: origin blob GETs by the mirror per distinct blob; 1.0 means every
 *   blob was fetched once however many nodes missed it at once (nginx with proxy_cache_lock);
 *   distribution 2.8 fetches a missed blob once to stream and once to store, so its floor is 2.
 * - `amplification`: the mirror's origin blob bytes ÷ the unique blob bytes of the run.
 * - `hitRatio`: share of blob GETs the mirror itself called hits (nginx's cache status); null
 *   when the mirror does not say (distribution does not log it).
 * - `byteHitRatio`: 1 − origin blob bytes the mirror fetched ÷ blob bytes it served; negative
 *   when it fetched more than it served (distribution's double fetch on a cold herd).
 * - `storeErrors`: what the mirror logged as failing to store a fetched blob (distribution's
 *   `Error committing to storage`, e.g. ENOSPC on a full disk), with the first message.
 * - `latency`, `fallback`: pull time through the mirror against a direct pull, and while the
 *   mirror was down (mirror-timing.ts).
 */
import type { RunContext } from './context.ts';
import { type MirrorFallback, type MirrorLatency, mirrorTiming } from './mirror-timing.ts';

/** One mirror's measures (see the module comment). */
export interface MirrorMeasures {
  name: string;
  registry: string;
  type: string;
  requests: number;
  blobRequests: number;
  blobBytesServed: number;
  /** Statuses ≥ 400 the mirror answered nodes with, by status. */
  errorsAnswered: Record<string, number>;
  originBlobFetches: number;
  originBlobBytes: number;
  originFetchesPerBlob: { blobs: number; mean: number | null; max: number | null };
  /** Statuses ≥ 400 the origin answered the mirror with, by status. */
  originErrors: Record<string, number>;
  amplification: number | null;
  hitRatio: number | null;
  byteHitRatio: number | null;
  /**
   * Measures this run could not observe for the mirror, whose numbers above are placeholders:
   * what a container or external mirror answered (no log the harness reads), and for an external
   * mirror without `upstream`, its origin fetches. Absent when everything was observed.
   */
  unknown?: string[];
  /** Nodes whose hosts.toml lists it (a scenario's `mirrors[].nodes`); absent: every node. */
  nodes?: string[];
  storeErrors: { count: number; first: string | null };
  latency: MirrorLatency;
  /** One entry per fault scoped to the mirror; empty without such faults. */
  fallback: MirrorFallback[];
}

const ANSWERED = [
  'storeErrors',
  'requests',
  'blobRequests',
  'blobBytesServed',
  'errorsAnswered',
  'hitRatio',
  'byteHitRatio',
];
const FETCHED = [
  'originBlobFetches',
  'originBlobBytes',
  'originFetchesPerBlob',
  'originErrors',
  'amplification',
];

/** What cannot be observed of a mirror of this type (see `MirrorMeasures.unknown`). */
export function unobservable(m: { type: string; external?: { upstream?: unknown } }): string[] {
  if (m.type === 'container') return ANSWERED;
  if (m.type === 'external') return m.external?.upstream ? ANSWERED : [...ANSWERED, ...FETCHED];
  return [];
}

const isBlobGet = (r: { route: string; method: string; status: number }) =>
  r.route === 'blob' && r.method === 'GET' && (r.status === 200 || r.status === 206);

const bump = (record: Record<string, number>, key: number) => {
  record[String(key)] = (record[String(key)] ?? 0) + 1;
};

function storeErrors(ctx: RunContext, mirror: string): MirrorMeasures['storeErrors'] {
  const mine = ctx.mirrorStoreErrors.filter((e) => e.mirror === mirror);
  return { count: mine.length, first: mine[0]?.message ?? null };
}

/** The traffic measures of a mirror nothing has gone through yet: what the counting starts from. */
export function noTraffic(): Omit<
  MirrorMeasures,
  'name' | 'registry' | 'type' | 'unknown' | 'nodes' | 'storeErrors' | 'latency' | 'fallback'
> {
  return {
    requests: 0,
    blobRequests: 0,
    blobBytesServed: 0,
    errorsAnswered: {},
    originBlobFetches: 0,
    originBlobBytes: 0,
    originFetchesPerBlob: { blobs: 0, mean: null, max: null },
    originErrors: {},
    amplification: null,
    hitRatio: null,
    byteHitRatio: null,
  };
}

/** Measures of every mirror of the scenario, in file order (empty without mirrors). */
export function mirrorMeasures(ctx: RunContext, uniqueBlobBytes: number): MirrorMeasures[] {
  const mirrors = (ctx.scenario?.registries ?? []).flatMap((r) =>
    (r.mirrors ?? []).map((m) => ({
      name: m.name,
      type: m.type as string,
      registry: r.name,
      unknown: unobservable(m),
      nodes: m.nodes,
    })),
  );
  return mirrors.map(({ unknown, nodes, ...m }) => {
    const out: MirrorMeasures = {
      ...m,
      ...(unknown.length > 0 ? { unknown } : {}),
      ...(nodes ? { nodes: [...nodes] } : {}),
      ...noTraffic(),
      storeErrors: storeErrors(ctx, m.name),
      ...mirrorTiming(ctx, m.registry, { name: m.name, ...(nodes ? { nodes } : {}) }),
    };
    const perBlob = new Map<string, number>();
    let hits = 0;
    let judged = 0;
    for (const { request: r } of ctx.requests) {
      if (r.registry === m.name) {
        out.requests++;
        if (r.status >= 400) bump(out.errorsAnswered, r.status);
        if (!isBlobGet(r)) continue;
        out.blobRequests++;
        out.blobBytesServed += r.bytes;
        if (r.cache !== undefined) {
          judged++;
          if (r.cache === 'HIT') hits++;
        }
      } else if (r.registry === m.registry && r.endpoint === m.name) {
        if (r.status >= 400) bump(out.originErrors, r.status);
        if (!isBlobGet(r)) continue;
        out.originBlobFetches++;
        out.originBlobBytes += r.bytes;
        if (r.reference) perBlob.set(r.reference, (perBlob.get(r.reference) ?? 0) + 1);
      }
    }
    const fetches = [...perBlob.values()];
    if (fetches.length > 0) {
      out.originFetchesPerBlob = {
        blobs: fetches.length,
        mean: fetches.reduce((a, b) => a + b, 0) / fetches.length,
        max: Math.max(...fetches),
      };
    }
    if (uniqueBlobBytes > 0 && out.originBlobFetches > 0)
      out.amplification = out.originBlobBytes / uniqueBlobBytes;
    if (judged > 0) out.hitRatio = hits / judged;
    if (out.blobBytesServed > 0) out.byteHitRatio = 1 - out.originBlobBytes / out.blobBytesServed;
    return out;
  });
}
