/** Exit codes of every pullstorm command. */
export const EXIT = {
  /** Everything passed. */
  ok: 0,
  /** An expectation of the scenario failed. */
  failed: 1,
  /** A usage or scenario error: the input was wrong. */
  usage: 2,
  /** The harness itself failed (a broken environment is never reported as a product failure). */
  harness: 3,
} as const;

/** An error caused by the user's input; the CLI exits 2 with its message. */
export class UsageError extends Error {
  override name = 'UsageError';
  readonly exitCode = EXIT.usage;
}
