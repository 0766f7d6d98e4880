/**
 * The names and labels a run gives Kubernetes objects. A run id may be up to 128 characters with `_`,
 * `.` and capitals (containers/labels.ts), but a label value is at most 63 characters and a namespace
 * a lower-case DNS label, so long or odd ids are shortened to a readable prefix plus a hash of the
 * whole id: two runs never share a value, and every call for the same id gives the same one.
 */
import { createHash } from 'node:crypto';
import { assertRunId, LABEL_COMPONENT, LABEL_PULLSTORM, LABEL_RUN_ID } from '../../containers/labels.ts';

export { LABEL_COMPONENT, LABEL_PULLSTORM, LABEL_RUN_ID };

/** Label a pod carries with its deployment's name (the deployment's selector). */
export const LABEL_DEPLOYMENT = 'pullstorm.deployment';
/** Node label naming the scenario node a Kubernetes node plays (kind sets it at creation). */
export const LABEL_NODE = 'pullstorm.node';

const LABEL_VALUE = /^(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

const shortHash = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 8);

/** `runId` as a label value: itself when valid (≤ 63 chars), else a 54-char prefix + `-` + 8 hex. */
export function runLabelValue(runId: string): string {
  assertRunId(runId);
  if (LABEL_VALUE.test(runId)) return runId;
  const prefix = runId.slice(0, 54).replace(/[^A-Za-z0-9]+$/, '');
  return `${prefix}-${shortHash(runId)}`;
}

/**
 * A lower-case DNS label `<prefix>-<run id>` of at most `max` characters (default 63): characters
 * outside `[a-z0-9-]` become `-`; when it is too long or changed, a hash of the id keeps it unique.
 */
export function dnsName(prefix: string, runId: string, max = 63): string {
  assertRunId(runId);
  const clean = runId.toLowerCase().replace(/[^a-z0-9-]/g, '-');
  const whole = `${prefix}-${clean}`;
  if (clean === runId && whole.length <= max && !whole.endsWith('-')) return whole;
  const room = max - prefix.length - 10; // '-' + prefix part + '-' + 8 hex
  const part = clean.slice(0, Math.max(0, room)).replace(/-+$/, '');
  return `${prefix}-${part ? `${part}-` : ''}${shortHash(runId)}`;
}

/** The run's namespace: `pullstorm-<run id>` (a DNS label). */
export function runNamespace(runId: string): string {
  return dnsName('pullstorm', runId);
}

/** The labels on every object run `runId` creates for `component`. */
export function kubeRunLabels(runId: string, component: string): Record<string, string> {
  return { [LABEL_PULLSTORM]: 'true', [LABEL_RUN_ID]: runLabelValue(runId), [LABEL_COMPONENT]: component };
}

/**
 * The label selector of run `runId`'s objects, narrowed by `extra` labels. Always contains the run
 * id: every list and delete pullstorm makes goes through here, so it can never match another run's
 * or the user's objects.
 */
export function runSelector(runId: string, extra: Record<string, string> = {}): string {
  const pairs = { ...extra, [LABEL_RUN_ID]: runLabelValue(runId) };
  return Object.entries(pairs)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

/**
 * `name` as a Kubernetes object name (a DNS-1123 subdomain: lower case, `[a-z0-9.-]`, at most 253
 * characters, alphanumeric at both ends). Pull secrets are named `<registry>-<user>`, and a scenario
 * user may be `Build_Bot` or `ci@example.com`, which the API server refuses with 422. A valid name
 * stays as it is; any other is cleaned and given a hash of the original, so `Bob` and `bob` stay
 * two secrets. The pod's `imagePullSecrets` and the Secret both go through here, so they agree.
 */
export function kubeObjectName(name: string): string {
  if (DNS_SUBDOMAIN.test(name)) return name;
  const clean = name
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '')
    .slice(0, 253 - 9)
    .replace(/[^a-z0-9]+$/, '');
  return `${clean ? `${clean}-` : ''}${shortHash(name)}`;
}
