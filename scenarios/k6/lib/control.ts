/**
 * Faults mid-load through the stub's control endpoint (PULLSTORM_CONTROL, bearer PULLSTORM_TOKEN):
 * `POST /_pullstorm/faults` with `{ id, fault, options, scope }` applies a fault (the same shape a
 * scenario's fault entry has), `DELETE /_pullstorm/faults/<id>` clears it. Without PULLSTORM_CONTROL
 * these do nothing and say so, so a script also runs against a mirror pullstorm does not control.
 */
import http from 'k6/http';

/** A fault as the control endpoint takes it. */
export interface FaultSpec {
  id: string;
  fault: string;
  options?: Record<string, unknown>;
  scope?: Record<string, unknown>;
}

const control = () => (__ENV.PULLSTORM_CONTROL || '').replace(/\/+$/, '');
const headers = () => ({
  'Content-Type': 'application/json',
  ...(__ENV.PULLSTORM_TOKEN ? { Authorization: `Bearer ${__ENV.PULLSTORM_TOKEN}` } : {}),
});

/** Applies `spec`; false (with a log line) when there is no control endpoint or it refused. */
export function applyFault(spec: FaultSpec): boolean {
  if (!control()) {
    console.warn(`no PULLSTORM_CONTROL: fault ${spec.fault} not applied`);
    return false;
  }
  const res = http.post(`${control()}/_pullstorm/faults`, JSON.stringify(spec), {
    headers: headers(),
    tags: { route: 'control' },
  });
  if (res.status >= 300)
    console.error(`applying fault ${spec.fault}: ${res.status} ${String(res.body).slice(0, 200)}`);
  return res.status < 300;
}

/** Clears fault `id`; false when there is no control endpoint or it refused. */
export function clearFault(id: string): boolean {
  if (!control()) return false;
  const res = http.del(`${control()}/_pullstorm/faults/${encodeURIComponent(id)}`, null, {
    headers: headers(),
    tags: { route: 'control' },
  });
  return res.status < 300;
}
