/**
 * The one error fault callers catch: a fault spec that is invalid, cannot apply to this registry,
 * names an unknown id or reuses one. It renders itself (like `RegistryError`) as the control
 * API's JSON answer, `{"errors":[{"code","message","detail":{"problems":[…]}}]}`.
 */
import type { Problem } from '../../vocab/problem.ts';

/** Status of each fault error code. */
export const faultErrorStatus = {
  /** The spec is wrong: unknown fault, bad options or scope. */
  FAULT_INVALID: 400,
  /** The spec is fine but this registry cannot do it (no token auth, no front door, no such tag). */
  FAULT_NOT_APPLICABLE: 409,
  /** No applied fault has that id. */
  FAULT_UNKNOWN: 404,
  /** A fault with that id is already applied. */
  FAULT_EXISTS: 409,
} as const;

/** A stable fault error code. */
export type FaultErrorCode = keyof typeof faultErrorStatus;

/** A fault that cannot be applied or cleared; `problems` say where and what, each expected vs given. */
export class FaultError extends TypeError {
  override readonly name = 'FaultError';
  readonly code: FaultErrorCode;
  readonly problems: readonly Problem[];

  constructor(code: FaultErrorCode, problems: readonly Problem[], options?: ErrorOptions) {
    const lines = problems.map((p) => (p.path === '' ? p.message : `${p.path}: ${p.message}`));
    super(lines.length === 1 ? lines[0] : `${lines.length} problems:\n- ${lines.join('\n- ')}`, options);
    this.code = code;
    this.problems = problems;
  }

  /** The HTTP status of this error's code. */
  get status(): number {
    return faultErrorStatus[this.code];
  }

  /** The control API's answer for this error. */
  getResponse(): Response {
    const body = {
      errors: [{ code: this.code, message: this.message, detail: { problems: this.problems } }],
    };
    return Response.json(body, { status: this.status });
  }
}

/** A `FaultError` with one problem at `path`. */
export function faultError(code: FaultErrorCode, message: string, path = ''): FaultError {
  return new FaultError(code, [{ path, message }]);
}
