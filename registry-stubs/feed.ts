/**
 * The stub's event feed, so a harness in another process (a stub container, a Deployment in a
 * cluster) sees what an in-process `onRequest` / `onFaultEvent` listener would:
 *
 *   GET /_pullstorm/events?after=<seq>&waitMs=<0..25000>
 *   → 200 { "epoch": "<id>", "next": <seq>, "dropped": <n>, "events": [ { "seq": <n>, "kind": …, … } ] }
 *
 * Every `registry.request`, `fault.applied`, `fault.cleared` and `fault.hit` gets the next sequence
 * number (1, 2, …) and goes into a ring buffer of the last {@link FEED_CAPACITY} events, and of fewer
 * when they hold more than {@link FEED_MAX_BYTES} (oldest dropped first; a request event is bounded,
 * events.ts, so the count rarely matters before the bytes do). An answer
 * holds the events after `after` (default 0), oldest first, at most {@link FEED_PAGE_MAX} of them;
 * `next` is the `after` to ask with next time (the last seq returned, or `after` when none) and
 * `dropped` counts events after `after` that the buffer no longer holds (lost before the first
 * returned one). With nothing after `after`, the answer waits up to `waitMs` (default 0) for one:
 * a long poll. `epoch` is random per feed (per stub process) and the same on every answer of it: a
 * follower that sees it change knows the stub restarted, with seqs from 1 again and no faults
 * applied, even when the new stub already holds more events than the follower's `after`. An `after`
 * beyond the newest seq (the stub restarted under the follower) is answered as `after=0`. Same
 * token rule as the control API (control.ts), which routes here.
 */
import type { RegistryContext } from './context.ts';
import type { RegistryRequestEvent } from './events.ts';
import { controlError } from './faults/control.ts';
import type { FaultEvent } from './faults/engine.ts';

export { EVENTS_PATH } from './faults/control.ts';

/** Events the ring buffer keeps: 100 000 (measured: ~51 MiB of heap when all are blob requests). */
export const FEED_CAPACITY = 100_000;
/** Bytes of JSON the ring buffer keeps at most: 64 MiB (counted as V8 stores the strings). */
export const FEED_MAX_BYTES = 64 * 1024 * 1024;
/** Events one answer holds at most: 2 000. */
export const FEED_PAGE_MAX = 2_000;
/** Longest `waitMs`: 25 000, below the 30 s idle timeouts of common proxies and load balancers. */
export const FEED_WAIT_MAX_MS = 25_000;

/** What the feed carries. */
export type FeedEvent = RegistryRequestEvent | FaultEvent;

/** One answer of the feed, parsed. */
export interface FeedPage {
  /** Random per stub process; a change means the stub restarted. Absent from stubs older than the field. */
  epoch?: string;
  next: number;
  dropped: number;
  events: (FeedEvent & { seq: number })[];
}

/** Options of {@link createEventFeed}. */
export interface EventFeedOptions {
  /** Ring buffer size; default {@link FEED_CAPACITY}. */
  capacity?: number;
  /** Bytes the buffer keeps at most; default {@link FEED_MAX_BYTES}. */
  maxBytes?: number;
  /** Events per answer at most; default {@link FEED_PAGE_MAX}. */
  pageMax?: number;
}

/** A stub's feed: `push` from the listeners, `handle` from the control API. */
export interface EventFeed {
  push(event: FeedEvent): void;
  /** Answers a feed request whose token was checked; 400 for a bad query, 405 for a method but GET. */
  handle(c: RegistryContext): Promise<Response>;
  /** Ends every waiting long poll at once (the server is closing). */
  close(): void;
}

/** Creates a feed. */
export function createEventFeed(options: EventFeedOptions = {}): EventFeed {
  const capacity = options.capacity ?? FEED_CAPACITY;
  const pageMax = options.pageMax ?? FEED_PAGE_MAX;
  const maxBytes = options.maxBytes ?? FEED_MAX_BYTES;
  // Each event is kept as its JSON text with the seq in front: smaller than the object, and an
  // answer is then one join, however many events it holds.
  const ring: string[] = new Array(capacity);
  // JSON-safe as it is (hex and dashes), so it goes into every answer unescaped.
  const epoch = crypto.randomUUID();
  const sizes = new Float64Array(capacity);
  let last = 0;
  // Oldest seq still held; the ring holds first..last.
  let first = 1;
  let held = 0;
  let closed = false;
  const waiters = new Set<() => void>();

  const page = (asked: number): string => {
    const after = asked > last ? 0 : asked;
    const start = Math.max(after + 1, first);
    const end = Math.min(last, start + pageMax - 1);
    const lines: string[] = [];
    for (let seq = start; seq <= end; seq++) lines.push(ring[(seq - 1) % capacity]!);
    const next = end >= start ? end : after;
    return `{"epoch":"${epoch}","next":${next},"dropped":${start - after - 1},"events":[${lines.join(',')}]}`;
  };

  const drop = () => {
    const slot = (first - 1) % capacity;
    held -= sizes[slot]!;
    ring[slot] = '';
    first++;
  };

  const wait = (waitMs: number, signal: AbortSignal | undefined) =>
    new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', wake);
        waiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, waitMs);
      waiters.add(wake);
      signal?.addEventListener('abort', wake, { once: true });
    });

  return {
    push(event) {
      last++;
      if (last - first + 1 > capacity) drop();
      const text = `{"seq":${last},${JSON.stringify(event).slice(1)}`;
      // V8 keeps a string with any character past Latin-1 at two bytes per character.
      const size = text.length * (/[^\u0000-\u00ff]/.test(text) ? 2 : 1);
      ring[(last - 1) % capacity] = text;
      sizes[(last - 1) % capacity] = size;
      held += size;
      while (held > maxBytes && first < last) drop();
      for (const wake of [...waiters]) wake();
    },
    async handle(c) {
      if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
        return controlError(405, 'UNSUPPORTED', `${c.req.method} is not supported here; allowed: GET`, {
          Allow: 'GET',
        });
      }
      const query = parseQuery(new URL(c.req.url).searchParams);
      if (typeof query === 'string') return controlError(400, 'QUERY_INVALID', query);
      const { after, waitMs } = query;
      // Nothing after `after` (an `after` past the newest counts as 0): wait for the next push.
      if (waitMs > 0 && !closed && (after > last ? 0 : after) === last) await wait(waitMs, c.req.raw.signal);
      return new Response(page(after), {
        headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' },
      });
    },
    close() {
      closed = true;
      for (const wake of [...waiters]) wake();
    },
  };
}

/** `after` and `waitMs` from the query, or a message saying what was expected and what was given. */
function parseQuery(params: URLSearchParams): { after: number; waitMs: number } | string {
  const problems: string[] = [];
  const unknown = [...params.keys()].filter((k) => k !== 'after' && k !== 'waitMs');
  if (unknown.length > 0)
    problems.push(`expected only the query parameters after and waitMs, got ${unknown.join(', ')}`);
  const integer = (name: string, max: number): number => {
    const given = params.getAll(name);
    if (given.length === 0) return 0;
    const value = given.length === 1 && /^\d{1,16}$/.test(given[0]!) ? Number(given[0]) : Number.NaN;
    if (!(value <= max)) {
      const shown = given.map((g) => `'${g.slice(0, 40)}'`).join(', ');
      problems.push(`${name}: expected one integer from 0 to ${max}, got ${shown}`);
    }
    return value;
  };
  const after = integer('after', Number.MAX_SAFE_INTEGER);
  const waitMs = integer('waitMs', FEED_WAIT_MAX_MS);
  return problems.length > 0 ? problems.join('; ') : { after, waitMs };
}
