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

/** `message: cause: cause…` (up to 4 deep): client-node's "fetch failed" alone does not say what failed. */
export function causeChain(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error; e instanceof Error && parts.length < 4; e = e.cause) parts.push(e.message);
  return parts.join(': ') || String(error);
}
