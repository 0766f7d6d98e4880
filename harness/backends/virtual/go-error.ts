/**
 * Go's error chains as containerd builds them: a text made of `%w` wrappings plus the sentinels
 * `errors.Is` would find in the chain. The CRI plugin maps the sentinels to a gRPC code
 * (`errdefs.ToGRPC`, containerd errdefs/grpc.go), so keeping them is what lets a virtual node
 * answer NotFound exactly where containerd would and Unknown everywhere else.
 */
import { PullstormError } from '../../../vocab/errors.ts';
import { CriError } from '../containerd/cri/errors.ts';

/** Sentinels a containerd pull error can wrap (errdefs, io, context, remotes/docker). */
export type Sentinel =
  | 'not-found' // errdefs.ErrNotFound
  | 'failed-precondition' // errdefs.ErrFailedPrecondition
  | 'invalid-argument' // errdefs.ErrInvalidArgument
  | 'canceled' // context.Canceled
  | 'invalid-authorization' // docker.ErrInvalidAuthorization
  | 'unexpected-eof' // io.ErrUnexpectedEOF
  | 'unexpected-status'; // remoteerrors.ErrUnexpectedStatus

/** An error whose `message` is the Go text and whose `is` set answers `errors.Is`. */
export class GoError extends PullstormError {
  override readonly name = 'GoError';
  readonly is: ReadonlySet<Sentinel>;
  /** HTTP status of an ErrUnexpectedStatus in the chain (the authorizer's POST→GET fallback reads it). */
  readonly status: number | undefined;

  constructor(text: string, is: Iterable<Sentinel> = [], status?: number) {
    super(text);
    this.is = new Set(is);
    this.status = status;
  }

  /** `fmt.Errorf("<prefix>: %w", this)`. */
  wrap(prefix: string): GoError {
    return new GoError(`${prefix}: ${this.message}`, this.is, this.status);
  }
}

/** `errdefs.ErrNotFound` etc. render as these words when wrapped with `%w`. */
export const sentinelText = {
  'not-found': 'not found',
  'failed-precondition': 'failed precondition',
  'invalid-argument': 'invalid argument',
  canceled: 'context canceled',
  'invalid-authorization': 'authorization failed',
  'unexpected-eof': 'unexpected EOF',
} as const;

/** `fmt.Errorf("<text>: %w", sentinel)`. */
export function goErrorf(text: string, sentinel: keyof typeof sentinelText): GoError {
  return new GoError(`${text}: ${sentinelText[sentinel]}`, [sentinel]);
}

/** Any thrown value as a GoError: our own pass through, anything else keeps its message. */
export function asGoError(err: unknown): GoError {
  if (err instanceof GoError) return err;
  return new GoError(err instanceof Error ? err.message : String(err));
}

/**
 * gRPC code the CRI plugin answers with: `errdefs.ToGRPC` checks InvalidArgument, NotFound, …,
 * FailedPrecondition, …, Canceled in that order; an error matching none goes out as Unknown (2).
 */
export function grpcCodeOf(err: GoError): number {
  if (err.is.has('invalid-argument')) return 3;
  if (err.is.has('not-found')) return 5;
  if (err.is.has('failed-precondition')) return 9;
  if (err.is.has('canceled')) return 1;
  return 2;
}

/** The CRI error a PullImage call would reject with, exactly as the containerd backend's client builds it. */
export function toCriError(err: GoError): CriError {
  return new CriError('PullImage', grpcCodeOf(err), err.message, { cause: err });
}
