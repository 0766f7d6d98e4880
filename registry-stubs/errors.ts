/**
 * Registry errors that render themselves (like Hono's `HTTPException`): a thrown `RegistryError`
 * carries its status, headers and OCI error body, so the app's one `onError` has no special cases.
 */
import { PullstormError } from '../vocab/errors.ts';

/** Status of every OCI Distribution error code, plus the few distribution-only codes the stub uses. */
export const errorStatus = {
  BLOB_UNKNOWN: 404,
  BLOB_UPLOAD_INVALID: 400,
  BLOB_UPLOAD_UNKNOWN: 404,
  DIGEST_INVALID: 400,
  MANIFEST_BLOB_UNKNOWN: 400,
  MANIFEST_INVALID: 400,
  MANIFEST_UNKNOWN: 404,
  NAME_INVALID: 400,
  NAME_UNKNOWN: 404,
  SIZE_INVALID: 400,
  UNAUTHORIZED: 401,
  DENIED: 403,
  UNSUPPORTED: 405,
  TOOMANYREQUESTS: 429,
  // distribution's own codes, used where the OCI list has no fitting one
  TAG_INVALID: 400,
  PAGINATION_NUMBER_INVALID: 400,
  RANGE_INVALID: 416,
  UNKNOWN: 500,
} as const;

/** An error code from the OCI Distribution spec (or distribution's extras). */
export type ErrorCode = keyof typeof errorStatus;

/** Optional parts of a `RegistryError`; status defaults to the code's spec status. */
export interface RegistryErrorOptions {
  /** Overrides the code's default status (e.g. 415 for an UNSUPPORTED media type). */
  status?: number;
  /** Structured detail placed in the error body's `detail`; default none. */
  detail?: unknown;
  /** Extra response headers (WWW-Authenticate, Range, Retry-After …); default none. */
  headers?: Record<string, string>;
  /** The low-level error this one explains. */
  cause?: unknown;
}

/** The OCI error body: `{"errors":[{"code","message","detail"}]}`. */
export interface ErrorBody {
  errors: { code: string; message: string; detail?: unknown }[];
}

/** A registry error with a stable OCI `code`; `getResponse()` renders status, headers and JSON body. */
export class RegistryError extends PullstormError {
  override readonly name = 'RegistryError';
  readonly code: ErrorCode;
  readonly status: number;
  readonly detail: unknown;
  readonly headers: Record<string, string>;

  constructor(code: ErrorCode, message: string, options: RegistryErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = options.status ?? errorStatus[code];
    this.detail = options.detail;
    this.headers = options.headers ?? {};
  }

  /** The OCI error body for this error. */
  body(): ErrorBody {
    const entry: ErrorBody['errors'][number] = { code: this.code, message: this.message };
    if (this.detail !== undefined) entry.detail = this.detail;
    return { errors: [entry] };
  }

  /** The full HTTP response; `head` (default false) leaves the body out but keeps Content-Length. */
  getResponse(head = false): Response {
    const text = JSON.stringify(this.body());
    const bytes = new TextEncoder().encode(text);
    const headers = new Headers(this.headers);
    headers.set('Content-Type', 'application/json; charset=utf-8');
    headers.set('Content-Length', String(bytes.byteLength));
    return new Response(head ? null : bytes, { status: this.status, headers });
  }
}

/** Turns anything thrown into a `RegistryError`; unknown errors become 500 UNKNOWN with their message. */
export function toRegistryError(err: unknown): RegistryError {
  if (err instanceof RegistryError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new RegistryError('UNKNOWN', `internal error: ${message}`, { cause: err });
}
