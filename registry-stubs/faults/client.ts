/**
 * A client for a stub's control API, for the CLI and for runners steering a stub in another
 * process, container or cluster: the same `apply` / `clear` / `clearAll` / `list` as the engine,
 * over HTTP. Errors the API answers come back as `FaultError`s (their problems kept); a stub that
 * cannot be reached gives an error naming the URL that was tried.
 */
import { PullstormError } from '../../vocab/errors.ts';
import type { Problem } from '../../vocab/problem.ts';
import { CONTROL_PATH, CONTROL_TOKEN_HEADER } from './control.ts';
import { FaultError, type FaultErrorCode, faultErrorStatus } from './errors.ts';
import type { FaultSpec, FaultSummary } from './spec.ts';

/** Options of `createControlClient()`. */
export interface ControlClientOptions {
  /** The stub's base URL, e.g. `http://127.0.0.1:5000`. */
  url: string;
  /** The control token the stub was started with. */
  token: string;
  /** Per-call timeout in ms; default 10 000. */
  timeoutMs?: number;
  /**
   * How requests are sent; default the global `fetch`. Another one reaches stubs that `fetch` cannot
   * (a private CA, a Kubernetes API server's proxy: harness/backends/remote-stub/).
   */
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
}

/** The control API's answer when it is not a `FaultError`: 401, 404 disabled, 5xx; `code` from its body. */
export class ControlApiError extends PullstormError {
  override readonly name = 'ControlApiError';
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** The stub could not be reached; `url` is what was tried. */
export class ControlUnreachableError extends PullstormError {
  override readonly name = 'ControlUnreachableError';
  readonly url: string;

  constructor(url: string, cause: unknown) {
    const why =
      cause instanceof Error ? ((cause.cause as Error | undefined)?.message ?? cause.message) : String(cause);
    super(`could not reach the control API at ${url}: ${why}`, { cause });
    this.url = url;
  }
}

/** The control API, client side. */
export interface ControlClient {
  apply(spec: FaultSpec): Promise<FaultSummary>;
  clear(id: string): Promise<string[]>;
  clearAll(): Promise<string[]>;
  list(): Promise<FaultSummary[]>;
}

type ErrorBody = { errors?: { code?: string; message?: string; detail?: { problems?: Problem[] } }[] };

/** A client for the control API at `options.url`. */
export function createControlClient(options: ControlClientOptions): ControlClient {
  const base = options.url.replace(/\/+$/, '');
  const send = options.fetch ?? ((url: string, init: RequestInit) => fetch(url, init));
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const url = `${base}${path}`;
    let res: Response;
    try {
      res = await send(url, {
        method,
        // Not `Authorization`: a proxy in between (kube-apiserver) may own and remove that one.
        headers: { [CONTROL_TOKEN_HEADER]: options.token, 'Content-Type': 'application/json' },
        ...(body !== undefined && { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
    } catch (err) {
      throw new ControlUnreachableError(url, err);
    }
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new ControlApiError(
        res.status,
        'NOT_JSON',
        `${method} ${url} answered ${res.status} with non-JSON: ${text.slice(0, 200)}`,
      );
    }
    if (res.ok) return parsed as T;
    const error = (parsed as ErrorBody).errors?.[0];
    const code = error?.code ?? 'UNKNOWN';
    if (code in faultErrorStatus) throw new FaultError(code as FaultErrorCode, error?.detail?.problems ?? []);
    // A proxy in between (kube-apiserver) answers its own errors as a Status with a `message`.
    const status = (parsed as { message?: unknown }).message;
    const message =
      error?.message ??
      `${method} ${url} answered ${res.status}${typeof status === 'string' ? `: ${status}` : ''}`;
    throw new ControlApiError(res.status, code, message);
  };
  return {
    apply: (spec) => call<FaultSummary>('POST', CONTROL_PATH, spec),
    clear: async (id) =>
      (await call<{ cleared: string[] }>('DELETE', `${CONTROL_PATH}/${encodeURIComponent(id)}`)).cleared,
    clearAll: async () => (await call<{ cleared: string[] }>('DELETE', CONTROL_PATH)).cleared,
    list: async () => (await call<{ faults: FaultSummary[] }>('GET', CONTROL_PATH)).faults,
  };
}
