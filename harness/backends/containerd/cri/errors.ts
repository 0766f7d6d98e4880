/**
 * gRPC errors from a CRI runtime, kept exactly as the runtime sent them, and formatted the way
 * kubelet shows them. The `details` text is what ends up in `kubectl describe pod`, so it is never
 * rewritten here; the classifier matches on it.
 */
import { PullstormError } from '../../../../vocab/errors.ts';

/** gRPC status code names as Go's `codes.Code.String()` spells them (note `Canceled`, one l). */
export const grpcCodeNames = [
  'OK',
  'Canceled',
  'Unknown',
  'InvalidArgument',
  'DeadlineExceeded',
  'NotFound',
  'AlreadyExists',
  'PermissionDenied',
  'ResourceExhausted',
  'FailedPrecondition',
  'Aborted',
  'OutOfRange',
  'Unimplemented',
  'Internal',
  'Unavailable',
  'DataLoss',
  'Unauthenticated',
] as const;

/** One of the Go spellings in {@link grpcCodeNames}. */
export type GrpcCodeName = (typeof grpcCodeNames)[number];

/** Go spelling of a numeric gRPC code; Go prints `Code(17)` for codes it does not know. */
export function grpcCodeName(code: number): string {
  return grpcCodeNames[code] ?? `Code(${code})`;
}

/**
 * Go's `status.Error(code, desc).Error()`: `rpc error: code = NotFound desc = <details>`.
 * This is what crictl prints and what kubelet shows for every code except Unknown on PullImage.
 */
export function formatGrpcStatus(code: number, details: string): string {
  return `rpc error: code = ${grpcCodeName(code)} desc = ${details}`;
}

/**
 * The pull error text as kubelet ≥ 1.28 puts it after `Failed to pull image "X": `: a status of
 * code Unknown is shown bare (its `details` only), any other code keeps the `rpc error:` prefix.
 * Kubelet strips only in its PullImage client (cri-client remote_image.go), hence the name.
 */
export function formatKubeletPullError(err: { code: number; details: string }): string {
  return err.code === 2 ? err.details : formatGrpcStatus(err.code, err.details);
}

/**
 * A StartContainer failure as kubelet's `Failed` event shows it: `Error: <details>`, bare for
 * every code (kuberuntime_container.go records `"Error: %v", s.Message()`).
 */
export function formatKubeletStartError(err: { details: string }): string {
  return `Error: ${err.details}`;
}

/** A failed CRI call: the gRPC code, the runtime's exact `details`, and which method failed. */
export class CriError extends PullstormError {
  override readonly name = 'CriError';
  /** Numeric gRPC status code (2 = Unknown, 5 = NotFound, 14 = Unavailable …). */
  readonly code: number;
  /** Go spelling of {@link code}, e.g. `NotFound`. */
  readonly codeName: string;
  /** The runtime's error text, byte for byte. */
  readonly details: string;
  /** CRI method that failed, e.g. `PullImage`. */
  readonly method: string;

  constructor(method: string, code: number, details: string, options?: ErrorOptions) {
    // The message is the Go form so logs read like crictl's; `details` stays available untouched.
    super(formatGrpcStatus(code, details), options);
    this.method = method;
    this.code = code;
    this.codeName = grpcCodeName(code);
    this.details = details;
  }
}

/** True when `err` is a {@link CriError}, optionally of the given Go code name. */
export function isCriError(err: unknown, codeName?: GrpcCodeName): err is CriError {
  return err instanceof CriError && (codeName === undefined || err.codeName === codeName);
}
