/**
 * Registry load as the stubs saw it, and origin amplification: blob bytes the origin served ÷ the
 * bytes of the distinct blobs anyone served. Each distinct blob counts once at its largest response
 * (a full 200 rather than a range or a truncated body). Requests answered by a scenario mirror are
 * load on the mirror, not on the origin, so a perfect pull-through cache gives 1.0 and N nodes
 * without one give N.
 */
import type { RunContext } from './context.ts';
import type { RegistryLoad } from './types.ts';

// `/v2/<name>/blobs/<digest>`; upload sessions (`blobs/uploads/…`) have no `algorithm:` part.
const blobPath = /^\/v2\/.+\/blobs\/([a-z0-9]+(?:[+._-][a-z0-9]+)*:[A-Za-z0-9=_-]+)$/;

/** Names of the scenario's mirrors, whose requests are not origin load. */
function mirrorNames(ctx: RunContext): Set<string> {
  return new Set((ctx.scenario?.registries ?? []).flatMap((r) => (r.mirrors ?? []).map((m) => m.name)));
}

/** Load by route, status and client, per second, and origin amplification. */
export function registryLoad(ctx: RunContext): RegistryLoad {
  const mirrors = mirrorNames(ctx);
  const byRoute: Record<string, number> = {};
  const byStatus: Record<string, number> = {};
  const byClient: RegistryLoad['byClient'] = {};
  const seconds: Record<string, number>[] = [];
  const blobSizes = new Map<string, number>();
  let bytesServed = 0;
  let tooManyRequests = 0;
  let originBlobBytes = 0;
  for (const { atMs, request: r } of ctx.requests) {
    const status = String(r.status);
    byRoute[r.route] = (byRoute[r.route] ?? 0) + 1;
    byStatus[status] = (byStatus[status] ?? 0) + 1;
    const client = byClient[r.client ?? 'unknown'] ?? { requests: 0, bytes: 0, tooManyRequests: 0 };
    byClient[r.client ?? 'unknown'] = client;
    client.requests++;
    client.bytes += r.bytes;
    bytesServed += r.bytes;
    if (r.status === 429) {
      tooManyRequests++;
      client.tooManyRequests++;
    }
    // Requests before time zero (seeding) are counted in the first second.
    const second = Math.max(0, Math.floor(atMs / 1_000));
    const bucket = seconds[second] ?? {};
    seconds[second] = bucket;
    bucket[status] = (bucket[status] ?? 0) + 1;
    const blob = blobPath.exec(r.path);
    if (blob === null || r.method !== 'GET' || (r.status !== 200 && r.status !== 206)) continue;
    if (r.registry === undefined || !mirrors.has(r.registry)) originBlobBytes += r.bytes;
    blobSizes.set(blob[1]!, Math.max(blobSizes.get(blob[1]!) ?? 0, r.bytes));
  }
  let uniqueBlobBytes = 0;
  for (const size of blobSizes.values()) uniqueBlobBytes += size;
  return {
    requests: ctx.requests.length,
    byRoute,
    byStatus,
    byClient,
    bytesServed,
    tooManyRequests,
    perSecond: Array.from(seconds, (byStatus, second) => ({ second, byStatus: byStatus ?? {} })),
    originBlobBytes,
    uniqueBlobBytes,
    amplification: uniqueBlobBytes === 0 ? null : originBlobBytes / uniqueBlobBytes,
  };
}
