/**
 * The token bucket behind kubelet's registryPullQPS / registryBurst and behind client-go's event spam
 * filter: `flowcontrol.NewTokenBucketRateLimiter` over golang.org/x/time/rate. The bucket starts full,
 * refills continuously at `qps` up to `burst`, and `tryAccept()` never waits.
 *
 * kubelet wraps its image service in `throttleImagePulling` (pkg/kubelet/images/helpers.go): a pull
 * that finds no token fails at once with {@link pullQpsExceeded}; QPS 0 means no limiter at all. The
 * wrapper sits under the puller, so the token is taken when a queued pull starts.
 */

import type { Clock } from './clock.ts';

/** kubelet's error text when the pull limiter has no token (`fmt.Errorf("pull QPS exceeded")`). */
export const pullQpsExceeded = 'pull QPS exceeded';
/** Default registryPullQPS (v1beta1 defaults). */
export const defaultRegistryPullQPS = 5;
/** Default registryBurst (v1beta1 defaults). */
export const defaultRegistryBurst = 10;

/** Options of {@link TokenBucket}. */
export interface TokenBucketOptions {
  /** Tokens per second; must be > 0. */
  qps: number;
  /** Bucket size; the bucket starts full. 0 accepts nothing. */
  burst: number;
  clock: Clock;
}

/** A non-blocking token bucket with x/time/rate semantics. */
export class TokenBucket {
  readonly ratePerMs: number;
  readonly burst: number;
  readonly #clock: Clock;
  #tokens: number;
  #lastMs: number;

  constructor(options: TokenBucketOptions) {
    if (!(options.qps > 0)) throw new RangeError(`qps must be > 0, got ${options.qps}`);
    this.ratePerMs = options.qps / 1000;
    this.burst = options.burst;
    this.#clock = options.clock;
    this.#tokens = options.burst;
    this.#lastMs = options.clock.now();
  }

  /** Tokens available now (fractional). */
  tokens(): number {
    const now = this.#clock.now();
    const elapsed = Math.max(0, now - this.#lastMs);
    return Math.min(this.burst, this.#tokens + elapsed * this.ratePerMs);
  }

  /** Takes one token if there is one (`TryAccept` / `AllowN(now, 1)`); never waits. */
  tryAccept(): boolean {
    const now = this.#clock.now();
    const available = this.tokens();
    // x/time/rate keeps the old state when the reservation is refused.
    if (available < 1) return false;
    this.#tokens = available - 1;
    this.#lastMs = Math.max(now, this.#lastMs);
    return true;
  }
}

/** The pull limiter kubelet builds: none for QPS 0, otherwise a bucket of `burst` refilled at `qps`. */
export function pullLimiter(options: { qps: number; burst: number; clock: Clock }): TokenBucket | undefined {
  return options.qps === 0 ? undefined : new TokenBucket(options);
}
