/**
 * Prometheus metrics of a running stub, served at `GET /metrics` (the control listener when there
 * is one, else the registry's port): what a Grafana board of a real registry shows — requests by
 * route, method, status and fault, bytes served, 429s, request durations, uploads in progress —
 * plus the faults applied right now. Fed by the request events every request already produces
 * (events.ts), so a metric counts exactly what the event log records.
 *
 * prom-client is the Node client the Prometheus project lists; each stub has its own registry
 * (never the global one), so several stubs in one process do not mix their series.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { RegistryRequestEvent } from './events.ts';
import type { FaultSummary } from './faults/spec.ts';

/** The path metrics are served on. */
export const METRICS_PATH = '/metrics';

/** Request-duration buckets in seconds: manifest HEADs take a millisecond, large blobs tens of seconds. */
const DURATION_BUCKETS = [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** A stub's metrics: feed it request events and upload sessions; scrape with `fetch`. */
export interface StubMetrics {
  readonly registry: Registry;
  /** Counts one finished request. */
  request(event: RegistryRequestEvent): void;
  /** An upload session opened (+1) or ended (-1). */
  uploads(delta: 1 | -1): void;
  /** Answers `GET /metrics`; undefined for any other request, which the caller then serves. */
  serve(request: Request): Promise<Response> | undefined;
}

/** Creates the metrics of one stub; `faults` lists the applied faults at scrape time. */
export function createStubMetrics(faults: () => readonly FaultSummary[]): StubMetrics {
  const registry = new Registry();
  const registers = [registry];
  const requests = new Counter({
    name: 'pullstorm_registry_requests_total',
    help: 'Registry requests by route kind, method, status and the faults that touched them ("none")',
    labelNames: ['route', 'method', 'status', 'fault'] as const,
    registers,
  });
  const bytes = new Counter({
    name: 'pullstorm_registry_bytes_served_total',
    help: 'Response body bytes handed to clients, by route kind',
    labelNames: ['route'] as const,
    registers,
  });
  const tooMany = new Counter({
    name: 'pullstorm_registry_too_many_requests_total',
    help: 'Requests answered 429 Too Many Requests, by route kind',
    labelNames: ['route'] as const,
    registers,
  });
  const duration = new Histogram({
    name: 'pullstorm_registry_request_duration_seconds',
    help: 'From the request arriving until its body was sent or abandoned, by route kind and method',
    labelNames: ['route', 'method'] as const,
    buckets: DURATION_BUCKETS,
    registers,
  });
  const activeUploads = new Gauge({
    name: 'pullstorm_registry_uploads_active',
    help: 'Blob upload sessions open right now',
    registers,
  });
  new Gauge({
    name: 'pullstorm_faults_active',
    help: 'Faults applied right now, by catalogue name and id',
    labelNames: ['fault', 'id'] as const,
    registers,
    collect() {
      this.reset();
      for (const f of faults()) this.set({ fault: f.fault, id: f.id }, 1);
    },
  });
  return {
    registry,
    request(event) {
      const { route, method } = event;
      const fault = event.faults === undefined || event.faults.length === 0 ? 'none' : event.faults.join(',');
      requests.inc({ route, method, status: String(event.status), fault });
      bytes.inc({ route }, event.bytes);
      if (event.status === 429) tooMany.inc({ route });
      duration.observe({ route, method }, event.durationMs / 1000);
    },
    uploads(delta) {
      activeUploads.inc(delta);
    },
    serve(request) {
      if (new URL(request.url).pathname !== METRICS_PATH) return undefined;
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        return Promise.resolve(
          new Response('expected GET /metrics\n', { status: 405, headers: { Allow: 'GET, HEAD' } }),
        );
      }
      return registry.metrics().then(
        (text) =>
          new Response(request.method === 'HEAD' ? null : text, {
            headers: { 'Content-Type': registry.contentType },
          }),
      );
    },
  };
}

/** `fetch` answering `GET /metrics` itself and passing every other request on. */
export function withMetrics<E>(
  fetch: (request: Request, env: E) => unknown,
  metrics: StubMetrics,
): (request: Request, env: E) => unknown {
  return function fetchWithMetrics(request, env) {
    return metrics.serve(request) ?? fetch(request, env);
  };
}

/** `guard` with its session openings and endings counted in `pullstorm_registry_uploads_active`. */
export function meterUploads<
  G extends { opened(client: string | undefined, id: string): void; ended(id: string): void },
>(guard: G, metrics: StubMetrics): G {
  const open = new Set<string>();
  return {
    ...guard,
    opened(client, id) {
      guard.opened(client, id);
      if (!open.has(id)) metrics.uploads(1);
      open.add(id);
    },
    ended(id) {
      guard.ended(id);
      if (open.delete(id)) metrics.uploads(-1);
    },
  };
}
