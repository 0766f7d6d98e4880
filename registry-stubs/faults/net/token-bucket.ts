/**
 * A token bucket in bytes per second, shared by any number of connections (FIFO, so one fast
 * reader cannot starve the others). It starts empty: a transfer of N bytes then takes N / rate
 * seconds with no initial burst to skew short measurements.
 */

/** Largest piece a rate lets through at once: 10 ms of data, 1 byte to 64 KiB. */
export function sliceFor(bytesPerSecond: number): number {
  return Math.max(1, Math.min(64 * 1024, Math.floor(bytesPerSecond / 100)));
}

interface Waiter {
  bytes: number;
  resolve: () => void;
  reject: (reason: unknown) => void;
  signal: AbortSignal;
  onAbort: () => void;
}

/** A FIFO token bucket; `take()` pieces no larger than `sliceFor(rate)`. */
export class TokenBucket {
  readonly rate: number;
  /** Tokens kept while no one waits: a slice plus 50 ms, so a timer firing late loses no tokens. */
  readonly capacity: number;
  #tokens = 0;
  #last: number;
  #queue: Waiter[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #now: () => number;

  /** `rate` in bytes/s; `now` in ms, default `performance.now` (monotonic). */
  constructor(rate: number, now: () => number = () => performance.now()) {
    this.rate = rate;
    this.capacity = sliceFor(rate) + Math.ceil(rate * 0.05);
    this.#now = now;
    this.#last = now();
  }

  /** Resolves once `bytes` tokens are taken (at once when available and nobody is queued). */
  take(bytes: number, signal: AbortSignal): Promise<void> | undefined {
    if (bytes > this.capacity) throw new RangeError(`take(${bytes}) exceeds capacity ${this.capacity}`);
    this.#refill();
    if (this.#queue.length === 0 && this.#tokens >= bytes) {
      this.#tokens -= bytes;
      return undefined;
    }
    signal.throwIfAborted();
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { bytes, resolve, reject, signal, onAbort: () => this.#drop(waiter) };
      signal.addEventListener('abort', waiter.onAbort, { once: true });
      this.#queue.push(waiter);
      this.#schedule();
    });
  }

  #refill(): void {
    const now = this.#now();
    this.#tokens = Math.min(this.capacity, this.#tokens + ((now - this.#last) * this.rate) / 1000);
    this.#last = now;
  }

  #drop(waiter: Waiter): void {
    const at = this.#queue.indexOf(waiter);
    if (at >= 0) this.#queue.splice(at, 1);
    waiter.reject(waiter.signal.reason);
    if (at === 0) this.#schedule();
  }

  #schedule(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    const head = this.#queue[0];
    if (head === undefined) return;
    const waitMs = ((head.bytes - this.#tokens) * 1000) / this.rate;
    this.#timer = setTimeout(() => this.#pump(), Math.max(0, waitMs));
  }

  #pump(): void {
    this.#timer = undefined;
    this.#refill();
    for (let head = this.#queue[0]; head !== undefined && this.#tokens >= head.bytes; head = this.#queue[0]) {
      this.#queue.shift();
      this.#tokens -= head.bytes;
      head.signal.removeEventListener('abort', head.onAbort);
      head.resolve();
    }
    this.#schedule();
  }
}
