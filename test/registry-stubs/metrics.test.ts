/**
 * `GET /metrics` on a real stub (real sockets), parsed with a Prometheus text-format parser, while
 * a fault is applied and after it is cleared.
 */
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { describe, expect, test } from 'vitest';
import { fixtureImages } from '../../registry-stubs/fixtures/catalogue.ts';
import { startRegistry } from '../../registry-stubs/index.ts';

type Families = ReturnType<typeof parsePrometheusTextFormat>;

async function scrape(url: string): Promise<Families> {
  const response = await fetch(`${url}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheusTextFormat(await response.text());
}

/** The value of `name`'s sample whose labels include `labels`; 0 when there is none. */
function value(families: Families, name: string, labels: Record<string, string> = {}): number {
  const family = families.find((f) => f.name === name);
  const sample = family?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
  return sample === undefined ? 0 : Number(sample.value ?? sample.count);
}

const manifest = (url: string) =>
  fetch(`${url}/v2/pullstorm/tiny/manifests/1.0`, {
    headers: {
      Accept: 'application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json',
    },
  });

describe('the stub /metrics', () => {
  test('counts requests by status and fault, 429s, bytes and durations while a rate limit is applied', async () => {
    await using registry = await startRegistry({ images: fixtureImages({ include: ['tiny'] }) });
    expect((await manifest(registry.url)).status).toBe(200);
    await registry.faults.apply({
      id: 'quota',
      fault: 'rate-limit',
      options: { limit: 1, style: 'generic' },
    });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await manifest(registry.url)).status);
    expect(statuses).toEqual([200, 429, 429]);

    const during = await scrape(registry.url);
    expect(
      value(during, 'pullstorm_registry_requests_total', {
        route: 'manifest',
        status: '429',
        fault: 'rate-limit',
      }),
    ).toBe(2);
    expect(
      value(during, 'pullstorm_registry_requests_total', { route: 'manifest', status: '200', fault: 'none' }),
    ).toBe(1);
    expect(value(during, 'pullstorm_registry_too_many_requests_total', { route: 'manifest' })).toBe(2);
    expect(value(during, 'pullstorm_faults_active', { fault: 'rate-limit', id: 'quota' })).toBe(1);
    expect(value(during, 'pullstorm_registry_bytes_served_total', { route: 'manifest' })).toBeGreaterThan(0);
    // The parser keeps only the buckets of a labelled histogram; manifest GETs are its only series here.
    const histogram = during.find((f) => f.name === 'pullstorm_registry_request_duration_seconds');
    expect(histogram?.type).toBe('HISTOGRAM');
    expect(histogram?.metrics.map((m) => m.buckets?.['+Inf'])).toEqual(['4']);

    await registry.faults.clear('quota');
    const after = await scrape(registry.url);
    expect(value(after, 'pullstorm_faults_active', { fault: 'rate-limit' })).toBe(0);
    expect(value(after, 'pullstorm_registry_too_many_requests_total', { route: 'manifest' })).toBe(2);
  });

  test('counts an upload session open until it is cancelled', async () => {
    await using registry = await startRegistry();
    const start = await fetch(`${registry.url}/v2/team/app/blobs/uploads/`, { method: 'POST' });
    expect(start.status).toBe(202);
    expect(value(await scrape(registry.url), 'pullstorm_registry_uploads_active')).toBe(1);
    const cancel = await fetch(new URL(start.headers.get('location')!, registry.url), { method: 'DELETE' });
    expect(cancel.status).toBe(204);
    expect(value(await scrape(registry.url), 'pullstorm_registry_uploads_active')).toBe(0);
  });

  test('is served on the control listener when there is one, and not on the registry port then', async () => {
    await using registry = await startRegistry({ controlToken: 'token', controlListener: { port: 0 } });
    await fetch(`${registry.url}/v2/`);
    expect(
      value(await scrape(registry.controlUrl!), 'pullstorm_registry_requests_total', { route: 'base' }),
    ).toBe(1);
    expect((await fetch(`${registry.url}/metrics`)).status).toBe(404);
  });
});
