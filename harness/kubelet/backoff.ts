/**
 * client-go's `flowcontrol.Backoff` (staging/src/k8s.io/client-go/util/flowcontrol/backoff.go) as kubelet
 * builds it for image pulls: `NewBackOff(imageBackOffPeriod, MaxImageBackOff)` in pkg/kubelet/kubelet.go,
 * i.e. 10 s doubling to 300 s with no jitter (jitter factor 0). An entry untouched for more than
 * 2 × max restarts at the initial delay, and `gc()` forgets it.
 */

import type { Clock } from './clock.ts';
import { imageBackOffInitialMs, imageBackOffMaxMs } from './config.ts';

interface Entry {
  backoffMs: number;
  lastUpdateMs: number;
}

/** Options of {@link Backoff}. */
export interface BackoffOptions {
  /** Where "now" comes from (`Clock.Now()` in Next and GC). */
  clock: Clock;
  /** First delay; default 10 000 ms. */
  initialMs?: number;
  /** Cap; default 300 000 ms. */
  maxMs?: number;
}

/** The key kubelet uses for an image pull backoff entry: `<podUID>_<image as written in the pod>`. */
export function imageBackoffKey(podUid: string, image: string): string {
  return `${podUid}_${image}`;
}

/** Per-key exponential backoff with client-go semantics. */
export class Backoff {
  readonly initialMs: number;
  readonly maxMs: number;
  readonly #clock: Clock;
  readonly #entries = new Map<string, Entry>();

  constructor(options: BackoffOptions) {
    this.#clock = options.clock;
    this.initialMs = options.initialMs ?? imageBackOffInitialMs;
    this.maxMs = options.maxMs ?? imageBackOffMaxMs;
  }

  /** After 2 × max without an update the factor restarts (`hasExpired`). */
  #expired(eventMs: number, lastUpdateMs: number): boolean {
    return eventMs - lastUpdateMs > this.maxMs * 2;
  }

  /** The current delay for `id`, 0 when there is none (`Get`). */
  get(id: string): number {
    return this.#entries.get(id)?.backoffMs ?? 0;
  }

  /** Records a failure at `eventMs`: first delay, or double the last one capped at max (`Next`). */
  next(id: string, eventMs: number = this.#clock.now()): void {
    let entry = this.#entries.get(id);
    if (!entry || this.#expired(eventMs, entry.lastUpdateMs)) {
      entry = { backoffMs: this.initialMs, lastUpdateMs: 0 };
      this.#entries.set(id, entry);
    } else {
      entry.backoffMs = Math.min(entry.backoffMs * 2, this.maxMs);
    }
    // client-go stamps the entry with Clock.Now(), not with eventTime.
    entry.lastUpdateMs = this.#clock.now();
  }

  /** True while less than the current delay has passed since the last failure (`IsInBackOffSinceUpdate`). */
  isInBackOffSinceUpdate(id: string, eventMs: number = this.#clock.now()): boolean {
    const entry = this.#entries.get(id);
    if (!entry || this.#expired(eventMs, entry.lastUpdateMs)) return false;
    return eventMs - entry.lastUpdateMs < entry.backoffMs;
  }

  /** True while less than the current delay has passed since `eventMs` (`IsInBackOffSince`). */
  isInBackOffSince(id: string, eventMs: number): boolean {
    const entry = this.#entries.get(id);
    if (!entry || this.#expired(eventMs, entry.lastUpdateMs)) return false;
    return this.#clock.now() - eventMs < entry.backoffMs;
  }

  /** When the entry's window ends (last failure + delay), or undefined when there is no entry. */
  backoffEndsAt(id: string): number | undefined {
    const entry = this.#entries.get(id);
    return entry ? entry.lastUpdateMs + entry.backoffMs : undefined;
  }

  /** Forgets entries not updated for more than 2 × max (`GC`); kubelet calls it after each successful pull. */
  gc(): void {
    const now = this.#clock.now();
    for (const [id, entry] of this.#entries) {
      if (this.#expired(now, entry.lastUpdateMs)) this.#entries.delete(id);
    }
  }

  /** Drops the entry for `id` (`Reset` / `DeleteEntry`). */
  reset(id: string): void {
    this.#entries.delete(id);
  }

  /** Number of keys currently tracked. */
  get size(): number {
    return this.#entries.size;
  }
}
