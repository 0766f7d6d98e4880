/**
 * Token buckets by key on an injected clock: each holds at most `capacity` tokens and refills
 * continuously at `perSecond`, so a full window after the last request the quota is whole again
 * and a test advances the registry's clock instead of waiting.
 */

interface Bucket {
  tokens: number;
  /** Clock value (ms) the tokens were counted at. */
  at: number;
}

/** Buckets created full on first use. */
export class QuotaBuckets {
  readonly #buckets = new Map<string, Bucket>();
  readonly capacity: number;
  readonly perSecond: number;
  readonly #now: () => number;

  /** `capacity` tokens at most, refilled at `perSecond`; `now` in ms. */
  constructor(capacity: number, perSecond: number, now: () => number) {
    this.capacity = capacity;
    this.perSecond = perSecond;
    this.#now = now;
  }

  #refilled(key: string): Bucket {
    const now = this.#now();
    const bucket = this.#buckets.get(key);
    if (bucket === undefined) {
      const fresh = { tokens: this.capacity, at: now };
      this.#buckets.set(key, fresh);
      return fresh;
    }
    const elapsed = Math.max(0, now - bucket.at) / 1000;
    bucket.tokens = Math.min(this.capacity, bucket.tokens + elapsed * this.perSecond);
    bucket.at = now;
    return bucket;
  }

  /** Takes a token when there is one; false when the bucket is empty. */
  take(key: string): boolean {
    const bucket = this.#refilled(key);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  /** Whole tokens left. */
  remaining(key: string): number {
    return Math.floor(this.#refilled(key).tokens);
  }

  /** Whole seconds until the next token, at least 1. */
  secondsUntilToken(key: string): number {
    const missing = 1 - this.#refilled(key).tokens;
    return Math.max(1, Math.ceil(missing / this.perSecond));
  }
}
