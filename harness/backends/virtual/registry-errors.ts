/**
 * How containerd prints a registry's OCI error body after `- Server message: `
 * (remotes/docker/errcode.go `Errors.UnmarshalJSON` / `Error()`, errdesc.go): only UNKNOWN,
 * UNSUPPORTED, UNAUTHORIZED, DENIED, UNAVAILABLE and TOOMANYREQUESTS are registered, so any other
 * code (MANIFEST_UNKNOWN, BLOB_UNKNOWN …) reads `unknown`; the code is lower-cased with spaces for
 * underscores; a message equal to the code's own message and no detail prints the code alone.
 */

/** The codes containerd registers, with their default messages. */
const registered: Record<string, string> = {
  UNKNOWN: 'unknown error',
  UNSUPPORTED: 'The operation is unsupported.',
  UNAUTHORIZED: 'authentication required',
  DENIED: 'requested access to the resource is denied',
  UNAVAILABLE: 'service unavailable',
  TOOMANYREQUESTS: 'too many requests',
};

interface RawError {
  code?: unknown;
  message?: unknown;
  detail?: unknown;
}

function format(e: RawError): string {
  const code = typeof e.code === 'string' && e.code in registered ? e.code : 'UNKNOWN';
  const name = code.toLowerCase().replaceAll('_', ' ');
  const message = typeof e.message === 'string' ? e.message : '';
  const bare = e.detail === undefined || e.detail === null;
  if (bare && (message === '' || message === registered[code])) return name;
  return `${name}: ${message}`;
}

/**
 * The `Errors.Error()` text of a body, or undefined when Go's decoder would fail or find no error
 * (then containerd prints the status alone).
 */
export function serverMessage(body: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  const object = parsed as { errors?: unknown; code?: unknown; details?: unknown; error?: unknown };
  let errors: RawError[];
  if (Array.isArray(object.errors) && object.errors.length > 0) errors = object.errors as RawError[];
  else if (typeof object.code === 'string' && object.code !== '') errors = [object as RawError];
  // distribution's legacy `{"details": …, "error": …}` shape, which always decodes.
  else
    errors = [
      {
        code: 'UNKNOWN',
        message: typeof object.details === 'string' ? object.details : '',
        detail: object.error,
      },
    ];
  if (errors.length === 1) return format(errors[0]!);
  return `errors:\n${errors.map((e) => `${format(e)}\n`).join('')}`;
}
