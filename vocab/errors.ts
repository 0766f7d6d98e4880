/**
 * pullstorm's one error module: the exit codes of every command, the base class every error
 * pullstorm throws on purpose extends (it carries the code the process exits with), and the one
 * way an error becomes a line of text. The CLI asks `instanceof PullstormError` for the code; any
 * other thrown value is a harness failure (3).
 */

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
  /** Ended by Ctrl-C or SIGTERM (128 + SIGINT, as shells report it). */
  interrupted: 130,
} as const;

/** One of {@link EXIT}'s codes. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Base of pullstorm's errors: the exit code when one ends a command, 3 (harness) unless a subclass says. */
export class PullstormError extends Error {
  override name = 'PullstormError';
  readonly exitCode: ExitCode = EXIT.harness;
}

/** An error caused by the user's input; the CLI exits 2 with its message. */
export class UsageError extends PullstormError {
  override name = 'UsageError';
  override readonly exitCode: ExitCode = EXIT.usage;
}

/** The code a thrown value ends a command with: its own for a {@link PullstormError}, else 3. */
export function exitCodeOf(error: unknown): ExitCode {
  return error instanceof PullstormError ? error.exitCode : EXIT.harness;
}

/**
 * An error as one line: its message, an AggregateError's parts (`message: a; b`), then its causes
 * up to 4 deep (`message: cause: cause`, client-node's "fetch failed" alone does not say what
 * failed). A cause whose text is already in the line is not repeated.
 */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  let text = error.message;
  if (error instanceof AggregateError && error.errors.length > 0) {
    text = `${text}: ${error.errors.map(describeError).join('; ')}`;
  }
  let depth = 1;
  for (let e: unknown = error.cause; e instanceof Error && depth < 4; e = e.cause, depth++) {
    if (!text.includes(e.message)) text = text === '' ? e.message : `${text}: ${e.message}`;
  }
  return text || String(error);
}
