/**
 * A run as a list of named actions, each returning its undo (kind's `create.go`): executed in order,
 * and on failure, interruption or a crash everything done so far is undone in reverse — unless the
 * caller keeps it (`--retain`). Undo steps all run even when one fails; their failures are thrown
 * together, after the run's own error, so a broken teardown is never hidden.
 */

/** What an action leaves behind to undo; `undefined` when there is nothing to undo. */
export type Undo = (() => Promise<void> | void) | undefined;

/** One named step of a run. */
export interface Action<T = unknown> {
  /** Shown in progress and errors, e.g. `provision registries`. */
  name: string;
  /** Does the step; returns its result and its undo. */
  run(signal: AbortSignal): Promise<{ value: T; undo?: Undo }>;
}

/** The undo stack of one run. */
export class ActionStack {
  readonly #done: { name: string; undo: NonNullable<Undo> }[] = [];
  #undoing: Promise<void> | undefined;
  #failed = 0;

  /** Names of the actions done so far with something to undo, in order. */
  get done(): string[] {
    return this.#done.map((d) => d.name);
  }

  /** Runs `action` and records its undo; an action that fails must clean up after itself. */
  async do<T>(action: Action<T>, signal: AbortSignal): Promise<T> {
    if (this.#undoing) throw new Error(`cannot ${action.name}: the run is being torn down`);
    signal.throwIfAborted();
    const { value, undo } = await action.run(signal);
    if (undo) this.#done.push({ name: action.name, undo });
    // Aborted while it ran: what it made is recorded, so the teardown removes it.
    signal.throwIfAborted();
    return value;
  }

  /** How many undo steps have failed so far (a later step may keep a marker for `pullstorm clean`). */
  get failed(): number {
    return this.#failed;
  }

  /** Registers an undo for something made outside an action (e.g. a timer). */
  defer(name: string, undo: NonNullable<Undo>): void {
    this.#done.push({ name, undo });
  }

  /**
   * Undoes everything in reverse, each step bounded by `stepTimeoutMs` (default 60 000) so one hung
   * step cannot keep the rest; throws an AggregateError naming every step that failed, its message
   * starting with `label` (default `teardown`, e.g. `kind teardown`). Idempotent.
   */
  undoAll(
    options: { stepTimeoutMs?: number; onStep?: (name: string) => void; label?: string } = {},
  ): Promise<void> {
    this.#undoing ??= (async () => {
      const errors: Error[] = [];
      const bound = options.stepTimeoutMs ?? 60_000;
      while (this.#done.length > 0) {
        const { name, undo } = this.#done.pop()!;
        options.onStep?.(name);
        try {
          await withTimeout(Promise.resolve().then(undo), bound, `undo ${name}`);
        } catch (error) {
          this.#failed++;
          errors.push(new Error(`undo ${name}: ${(error as Error).message}`, { cause: error }));
        }
      }
      if (errors.length > 0) {
        throw new AggregateError(
          errors,
          `${options.label ?? 'teardown'}: ${errors.map((e) => e.message).join('; ')}`,
        );
      }
    })();
    return this.#undoing;
  }
}

function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}
