/**
 * kubelet's event recorder with client-go's `EventCorrelator`
 * (staging/src/k8s.io/client-go/tools/record/events_cache.go), in its order:
 *
 * 1. aggregate — 10 or more distinct messages with the same source, object, type and reason within
 *    600 s become one event `(combined from similar events): <latest message>`;
 * 2. observe — an event equal to an earlier one (same key incl. message) keeps its first timestamp and
 *    gets `count + 1`;
 * 3. spam filter — per source + object a token bucket of 25, refilled 1 per 300 s; an event without a
 *    token is not written, but its count was already taken, so the next written one jumps (x1656 …).
 *
 * Windows and refills read the run clock, so they are kubelet's own. Timestamps are ISO strings with milliseconds (the API server would keep whole seconds; measurements need more).
 */

import type { InvolvedObject, KubeEvent } from '../events/types.ts';
import type { Clock } from './clock.ts';
import { combinedEventsPrefix } from './messages.ts';
import { TokenBucket } from './qps.ts';

const lruSize = 4096;
const aggregateMaxEvents = 10;
const aggregateIntervalMs = 600_000;
const spamBurst = 25;
const spamQps = 1 / 300;

/** A map that forgets its least recently used key past `max` entries (groupcache/lru). */
class Lru<V> {
  readonly #map = new Map<string, V>();
  readonly max: number;
  constructor(max: number) {
    this.max = max;
  }
  get(key: string): V | undefined {
    const v = this.#map.get(key);
    if (v !== undefined) {
      this.#map.delete(key);
      this.#map.set(key, v);
    }
    return v;
  }
  set(key: string, v: V): void {
    this.#map.delete(key);
    this.#map.set(key, v);
    if (this.#map.size > this.max) this.#map.delete(this.#map.keys().next().value as string);
  }
}

/** Options of {@link EventRecorder}. */
export interface EventRecorderOptions {
  clock: Clock;
  /** Receives every event that passes the correlator. */
  emit: (event: KubeEvent) => void;
  /** Node name, the event source's host. */
  host: string;
  /** Event source component; default `kubelet`. */
  component?: string;
  /** Apply the spam filter; default true. */
  spamFilter?: boolean;
}

type EventType = KubeEvent['type'];

/** Records Kubernetes events the way kubelet's `record.EventRecorder` would show them. */
export class EventRecorder {
  readonly #o: Required<EventRecorderOptions>;
  readonly #aggregates = new Lru<{ messages: string[]; lastMs: number }>(lruSize);
  readonly #observed = new Lru<{ count: number; firstTimestamp: string }>(lruSize);
  readonly #spam = new Lru<TokenBucket>(lruSize);

  constructor(options: EventRecorderOptions) {
    this.#o = { component: 'kubelet', spamFilter: true, ...options };
  }

  /** Records one event; returns what was written, or undefined when the spam filter dropped it. */
  event(object: InvolvedObject, type: EventType, reason: string, message: string): KubeEvent | undefined {
    const { clock, component, host } = this.#o;
    const nowMs = clock.now();
    const now = new Date(nowMs).toISOString();
    const objectKey = [component, host, object.kind, object.namespace, object.name, object.uid].join('\0');
    // 1. aggregate by everything but the message (and the field path, which the aggregate key omits)
    const aggregateKey = [objectKey, type, reason].join('\0');
    let record = this.#aggregates.get(aggregateKey);
    if (!record || nowMs - record.lastMs > aggregateIntervalMs) record = { messages: [], lastMs: nowMs };
    if (!record.messages.includes(message)) record.messages.push(message);
    record.lastMs = nowMs;
    this.#aggregates.set(aggregateKey, record);
    let key = [objectKey, object.fieldPath, type, reason, message].join('\0');
    if (record.messages.length >= aggregateMaxEvents) {
      record.messages.shift(); // Go drops an arbitrary member (PopAny); the oldest here, deterministically
      message = combinedEventsPrefix + message;
      key = aggregateKey;
    }
    // 2. observe: identical events share a first timestamp and count up
    const last = this.#observed.get(key);
    const count = (last?.count ?? 0) + 1;
    const firstTimestamp = last?.firstTimestamp ?? now;
    this.#observed.set(key, { count, firstTimestamp });
    // 3. spam filter per source + object
    if (this.#o.spamFilter) {
      let bucket = this.#spam.get(objectKey);
      bucket ??= new TokenBucket({ qps: spamQps, burst: spamBurst, clock });
      this.#spam.set(objectKey, bucket);
      if (!bucket.tryAccept()) return undefined;
    }
    const event: KubeEvent = {
      kind: 'k8s.event',
      time: now,
      involvedObject: { ...object },
      reason,
      type,
      message,
      source: { component, host },
      firstTimestamp,
      lastTimestamp: now,
      count,
    };
    this.#o.emit(event);
    return event;
  }
}
