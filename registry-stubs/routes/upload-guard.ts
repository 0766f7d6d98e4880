/**
 * What one client may make the upload routes hold: at most `maxUploadsPerClient` open sessions
 * (429 TOOMANYREQUESTS past it), at most `maxBlobBytes` per blob, and with the memory store at most
 * `uploadMemoryBytes` (413 BLOB_UPLOAD_INVALID, from the
 * declared Content-Length before a byte is read, or counted while a chunked body streams), and
 * sessions purged, data too, once `uploadMaxAgeMs` passed without a chunk (distribution's upload
 * purging, which goes by start time and defaults to 168 h; here by the last chunk, so a slow push
 * of a big layer is not purged mid-way). Times come from the registry's `now`, so a warped clock
 * ages sessions too.
 */
import { declaredLength } from '../body.ts';
import { RegistryError } from '../errors.ts';
import type { ResolvedLimits } from '../limits.ts';
import type { Store, UploadData, UploadState } from '../storage/types.ts';

/** The upload limits of one app. */
export interface UploadGuard {
  /** Throws 429 when `client` has too many open sessions (after purging stale ones, when due). */
  admit(client: string | undefined): Promise<void>;
  /** A session `client` opened. */
  opened(client: string | undefined, id: string): void;
  /** A session that ended (completed, cancelled, purged). */
  ended(id: string): void;
  /** The request body bounded by `maxBlobBytes`; throws 413 at once when the declared length is over. */
  bounded(request: Request, state: UploadState): UploadData;
  /** Purges sessions idle longer than `uploadMaxAgeMs`; returns how many. */
  sweep(): Promise<number>;
}

/** Creates the guard for `store`. */
export function createUploadGuard(store: Store, limits: ResolvedLimits, now: () => number): UploadGuard {
  const owner = new Map<string, string>();
  const open = new Map<string, number>();
  let lastSweep = now();
  // The memory store cannot hold one upload larger than its whole upload budget: refuse it up front.
  const ceiling =
    store.kind === 'memory' ? Math.min(limits.maxBlobBytes, limits.uploadMemoryBytes) : limits.maxBlobBytes;
  const ended = (id: string) => {
    const client = owner.get(id);
    if (client === undefined) return;
    owner.delete(id);
    const left = (open.get(client) ?? 1) - 1;
    if (left > 0) open.set(client, left);
    else open.delete(client);
  };
  const sweep = async () => {
    lastSweep = now();
    const purged = await store.purgeUploads(lastSweep - limits.uploadMaxAgeMs);
    for (const { id } of purged) ended(id);
    return purged.length;
  };
  const tooLarge = (size: number, exact: boolean) =>
    new RegistryError(
      'BLOB_UPLOAD_INVALID',
      `the blob would be ${exact ? '' : 'more than '}${size} bytes; at most ${ceiling} accepted${ceiling < limits.maxBlobBytes ? ' by the memory store (serve with --storage <dir> for larger blobs)' : ''}`,
      { status: 413, detail: { size, limit: ceiling }, headers: { Connection: 'close' } },
    );
  return {
    async admit(client) {
      const key = client ?? '';
      if (now() - lastSweep >= Math.min(limits.uploadMaxAgeMs / 4, 60_000)) await sweep();
      const count = open.get(key) ?? 0;
      if (count < limits.maxUploadsPerClient) return;
      throw new RegistryError(
        'TOOMANYREQUESTS',
        `${client ?? 'this client'} has ${count} upload sessions open; at most ${limits.maxUploadsPerClient} per client: finish or cancel one (DELETE its Location), or wait ${Math.round(limits.uploadMaxAgeMs / 1000)} s for idle ones to expire`,
        { detail: { open: count, limit: limits.maxUploadsPerClient } },
      );
    },
    opened(client, id) {
      const key = client ?? '';
      owner.set(id, key);
      open.set(key, (open.get(key) ?? 0) + 1);
    },
    ended,
    bounded(request, state) {
      const room = ceiling - state.size;
      const declared = declaredLength(request.headers.get('Content-Length'));
      if (declared !== undefined && declared > room) throw tooLarge(state.size + declared, true);
      const body = request.body ?? new Uint8Array(0);
      if (body instanceof Uint8Array) return body;
      let seen = 0;
      return body.pipeThrough(
        new TransformStream<Uint8Array, Uint8Array>({
          transform(chunk, controller) {
            seen += chunk.byteLength;
            if (seen > room) controller.error(tooLarge(state.size + seen, false));
            else controller.enqueue(chunk);
          },
        }),
      );
    },
    sweep,
  };
}

/** Sweeps `guard` on a timer, so stale sessions go even when nobody starts a new one; returns the stop. */
export function sweepEvery(guard: UploadGuard, limits: ResolvedLimits): () => void {
  const timer = setInterval(
    () => void guard.sweep().catch(() => {}),
    Math.min(limits.uploadMaxAgeMs / 4, 60_000),
  );
  timer.unref();
  return () => clearInterval(timer);
}
