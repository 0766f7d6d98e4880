/**
 * Following one stub's event feed (registry-stubs/feed.ts) with long polls: each answer's events go
 * to `onEvents` in order, and `next` is the `after` of the following poll. A feed that cannot be
 * reached is reported once per outage through `onError` (never thrown into nowhere) and retried
 * with backoff; events the stub's ring dropped and a stub that restarted are reported the same way.
 * A restart is told by the page's `epoch` changing (a new stub process): `after` goes back to 0 so
 * the new stub's events are relayed from its first, even when it already holds more than `after`.
 * Pages without `epoch` (stubs older than the field) still show a restart when the new stub holds
 * fewer events than `after` (its first seq is then at most `after`).
 * `stop()` ends the poll in flight, then drains what the stub still holds (polls with waitMs=0 until
 * one comes back empty), so the last requests before teardown are not lost.
 */

import { CONTROL_TOKEN_HEADER, EVENTS_PATH } from '../../../registry-stubs/faults/control.ts';
import type { FeedEvent, FeedPage } from '../../../registry-stubs/feed.ts';
import { PullstormError } from '../../../vocab/errors.ts';
import { sleepUnless } from '../../cluster/timing.ts';
import { systemClock } from '../../kubelet/clock.ts';
import type { StubAccess } from './access.ts';

/** Options of {@link followFeed}. */
export interface FollowOptions {
  /** The stub's name, for messages. */
  name: string;
  access: StubAccess;
  token: string;
  /** Receives each answer's events, oldest first, without their `seq`. */
  onEvents: (events: FeedEvent[]) => void;
  /** Receives what went wrong: an unreachable feed (once per outage), dropped events, a restart. Default none. */
  onError?: (error: Error) => void;
  /** Receives a line when the feed answers again after an outage; default none. */
  log?: (line: string) => void;
  /** Long-poll wait per request in ms; default 20 000 (the stub allows up to 25 000). */
  waitMs?: number;
  /** First retry delay after a failure in ms, doubling to 10 000; default 500. */
  retryMs?: number;
  /** Per-request timeout beyond `waitMs` in ms, and of each drain request; default 10 000. */
  timeoutMs?: number;
}

/** A running follower. */
export interface Follower {
  /** Stops polling, then drains the stub's remaining events; idempotent. Never rejects. */
  stop(): Promise<void>;
}

/** The feed of a stub that answered with an error, or could not be reached. */
export class FeedError extends PullstormError {
  override readonly name = 'FeedError';
}

/** Starts following at `after=0`. */
export function followFeed(o: FollowOptions): Follower {
  const waitMs = o.waitMs ?? 20_000;
  const timeoutMs = o.timeoutMs ?? 10_000;
  const report = (error: Error) => {
    try {
      o.onError?.(error);
    } catch {
      // A reporting bug must not stop the relay.
    }
  };
  const polling = new AbortController();
  let after = 0;
  /** The `epoch` of the stub process followed; undefined before the first page, or with an older stub. */
  let epoch: string | undefined;
  let stopping: Promise<void> | undefined;

  /** One poll; resolves with how many events it relayed. */
  async function poll(wait: number, signal: AbortSignal): Promise<number> {
    const url = `${o.access.url}${EVENTS_PATH}?after=${after}&waitMs=${wait}`;
    let res: Response;
    let text: string;
    try {
      res = await o.access.fetch(url, {
        method: 'GET',
        headers: { [CONTROL_TOKEN_HEADER]: o.token },
        signal,
      });
      text = await res.text();
    } catch (error) {
      const why = (error as Error).message;
      throw new FeedError(`event feed of stub ${o.name}: could not reach ${url}: ${why}`, { cause: error });
    }
    const body = parse(text);
    if (!res.ok || body === undefined) {
      // The stub's errors are OCI-shaped; the API server's proxy answers a Status (`message`).
      const answer = body as { errors?: { message?: string }[]; message?: string } | undefined;
      const message = answer?.errors?.[0]?.message ?? answer?.message ?? text.slice(0, 200);
      throw new FeedError(
        `event feed of stub ${o.name}: ${url} answered ${res.status}${res.ok ? ' with something other than JSON' : ''}${message ? `: ${message}` : ''}`,
      );
    }
    const page = body as FeedPage;
    if (epoch !== undefined && page.epoch !== epoch) {
      // Another stub process: this page answered an `after` of the old one, so it may lack the
      // new one's first events. Ask again from its start (without waiting: it may hold none yet).
      report(
        new FeedError(
          `event feed of stub ${o.name}: the stub restarted (epoch ${epoch} became ${page.epoch ?? 'none'}): every fault applied to it is gone, and events of the old one not yet relayed are lost; relaying the new one's from its first`,
        ),
      );
      epoch = page.epoch;
      after = 0;
      return poll(0, signal);
    }
    epoch = page.epoch;
    const first = page.events[0]?.seq;
    if (first !== undefined && first <= after)
      report(
        new FeedError(
          `event feed of stub ${o.name}: it started again at seq ${first} after ${after} (the stub restarted): every fault applied to it is gone, and events of the old one not yet relayed are lost`,
        ),
      );
    if (page.dropped > 0)
      report(
        new FeedError(
          `event feed of stub ${o.name}: ${page.dropped} events were dropped from the stub's buffer before seq ${first}; the event log misses them`,
        ),
      );
    after = page.next;
    if (page.events.length > 0) o.onEvents(page.events.map(({ seq: _, ...event }) => event as FeedEvent));
    return page.events.length;
  }

  const loop = (async () => {
    let delay = o.retryMs ?? 500;
    let failing = false;
    while (!polling.signal.aborted) {
      try {
        await poll(waitMs, AbortSignal.any([polling.signal, AbortSignal.timeout(waitMs + timeoutMs)]));
        if (failing) o.log?.(`event feed of stub ${o.name}: answering again`);
        failing = false;
        delay = o.retryMs ?? 500;
      } catch (error) {
        if (polling.signal.aborted) break;
        if (!failing) report(error as Error);
        failing = true;
        await sleepUnless(systemClock, delay, polling.signal);
        delay = Math.min(delay * 2, 10_000);
      }
    }
  })();

  return {
    stop() {
      stopping ??= (async () => {
        polling.abort();
        await loop;
        try {
          while ((await poll(0, AbortSignal.timeout(timeoutMs))) > 0);
        } catch (error) {
          const why = (error as Error).message;
          report(new FeedError(`${why} (in the last drain, after stop)`, { cause: error }));
        }
      })();
      return stopping;
    },
  };
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
