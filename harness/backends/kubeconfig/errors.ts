/**
 * What the API server said, in a sentence. client-node 2.x throws `ApiException` whose message is
 * `HTTP-Code: 403\nMessage: …\nBody: {…}\nHeaders: {…}`, unreadable in a terminal; its watch throws
 * an Error with `statusCode`. The Status body's `message` is the sentence kube-apiserver wrote
 * (`pods is forbidden: User "alice" cannot list resource "pods" … in the namespace "x"`), so that is
 * what the user is shown, with what to do about it.
 */
import { PullstormError } from '../../../vocab/errors.ts';

/** The HTTP status of an API error (`code` from ApiException, `statusCode` from Watch), or undefined. */
export function httpStatus(error: unknown): number | undefined {
  const e = error as { code?: unknown; statusCode?: unknown } | null;
  const code = typeof e?.code === 'number' ? e.code : e?.statusCode;
  return typeof code === 'number' ? code : undefined;
}

/** The Status body's message, or the error's first line. */
export function serverMessage(error: unknown): string {
  const body = (error as { body?: unknown } | null)?.body;
  let parsed: unknown = body;
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body);
    } catch {
      parsed = undefined;
    }
  }
  const message = (parsed as { message?: unknown } | undefined)?.message;
  if (typeof message === 'string' && message) return message;
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] ?? text;
}

/** Statuses that a retry cannot fix: the cluster refuses, the resource does not exist. */
export function isPermanent(error: unknown): boolean {
  const status = httpStatus(error);
  return status === 401 || status === 403 || status === 404;
}

/**
 * The cluster refused a call (401/403) or lacks the resource (404); stable `code`: `KUBE_REFUSED`.
 * Exit 3 like other environment problems, but the message names the call and the fix.
 */
export class KubeRefusedError extends PullstormError {
  readonly code = 'KUBE_REFUSED';
  override name = 'KubeRefusedError';
  /** The HTTP status the API server answered. */
  readonly status: number | undefined;
  constructor(what: string, cause: unknown) {
    const status = httpStatus(cause);
    const admission = /violates PodSecurity|exceeded quota|admission webhook/.test(serverMessage(cause));
    const hint = admission
      ? ' — refused at admission, not by RBAC: the namespace enforces a policy (pod-security.kubernetes.io/enforce label, a ResourceQuota or a webhook) the object does not meet'
      : status === 403
        ? ' — your credentials lack this permission: `pullstorm doctor --context <ctx>` lists every missing one, `pullstorm rbac` prints a role that grants exactly what a run needs'
        : status === 401
          ? ' — the API server did not accept your credentials (expired token? run your cloud CLI login again)'
          : '';
    super(`${what}: the API server answered ${status ?? 'an error'}: ${serverMessage(cause)}${hint}`, {
      cause,
    });
    this.status = status;
  }
}

/** `error` as a KubeRefusedError about `what` when it is permanent; otherwise itself. */
export function explainKubeError(what: string, error: unknown): unknown {
  return isPermanent(error) && !(error instanceof KubeRefusedError)
    ? new KubeRefusedError(what, error)
    : error;
}
