/** Registry load from `registry.request` events: a 429 wall, ranges, mirrors and uploads. */
import { expect, test } from 'vitest';
import { analyze } from '../../harness/analyze/index.ts';
import type { RegistryRequest } from '../../harness/events/types.ts';
import { API_VERSION, KIND } from '../../harness/scenario/index.ts';
import { LogBuilder, scenario } from './builders.ts';
import { tiny } from './fixtures/runs.ts';

type Req = Omit<RegistryRequest, 'kind' | 'time'>;
const [config, layer] = tiny.blobs as [{ digest: string; bytes: number }, { digest: string; bytes: number }];
const head = (client: string, status: number): Req => ({
  method: 'HEAD',
  path: '/v2/pullstorm/tiny/manifests/1.0',
  route: 'manifest',
  status,
  bytes: 0,
  client,
  registry: 'registry',
});
const blob = (
  client: string,
  b: { digest: string; bytes: number },
  status = 200,
  registry = 'registry',
): Req => ({
  method: 'GET',
  path: `/v2/pullstorm/tiny/blobs/${b.digest}`,
  route: 'blob',
  status,
  bytes: b.bytes,
  client,
  registry,
});

function wall() {
  const b = new LogBuilder().started(
    scenario({
      apiVersion: API_VERSION,
      kind: KIND,
      name: 'wall',
      registries: [{ name: 'registry', mirrors: [{ name: 'mirror' }] }],
      workload: [{ kind: 'pod', name: 'p', image: 'registry/pullstorm/tiny:1.0' }],
    }),
  );
  // Seeding before time zero lands in the first second.
  b.request(-500, {
    method: 'PUT',
    path: '/v2/pullstorm/tiny/manifests/1.0',
    route: 'manifest',
    status: 201,
    bytes: 0,
    client: 'seed',
  });
  const clients = ['10.0.0.1', '10.0.0.2', '10.0.0.3'];
  for (const c of clients) {
    b.request(10, head(c, 200));
    b.request(20, { ...head(c, 200), method: 'GET', bytes: tiny.manifestBytes });
    b.request(30, blob(c, config));
    b.request(40, blob(c, layer));
  }
  // The wall: every client, ten times a second, for three seconds.
  for (let ms = 1_000; ms < 4_000; ms += 100) for (const c of clients) b.request(ms, head(c, 429));
  b.request(4_100, blob('10.0.0.1', { ...layer, bytes: 1_000 }, 206));
  b.request(4_200, blob('10.0.0.2', layer, 200, 'mirror'));
  b.request(4_300, {
    method: 'PATCH',
    path: '/v2/pullstorm/tiny/blobs/uploads/3f2a',
    route: 'upload',
    status: 202,
    bytes: 0,
    client: 'ci',
  });
  b.request(4_400, { ...blob('10.0.0.3', config, 404), bytes: 157 });
  return analyze(b.finished(5_000).build()).registry;
}

test('a 429 wall: counts by route, status and client, per second', () => {
  const r = wall();
  expect(r.requests).toBe(1 + 12 + 90 + 4);
  expect(r.byRoute).toEqual({ manifest: 1 + 6 + 90, blob: 9, upload: 1 });
  expect(r.byStatus).toEqual({ '200': 13, '201': 1, '202': 1, '206': 1, '404': 1, '429': 90 });
  expect(r.tooManyRequests).toBe(90);
  expect(r.byClient).toEqual({
    seed: { requests: 1, bytes: 0, tooManyRequests: 0 },
    '10.0.0.1': { requests: 4 + 30 + 1, bytes: 528 + 1_470 + 2_145 + 1_000, tooManyRequests: 30 },
    '10.0.0.2': { requests: 4 + 30 + 1, bytes: 528 + 1_470 + 2_145 * 2, tooManyRequests: 30 },
    '10.0.0.3': { requests: 4 + 30 + 1, bytes: 528 + 1_470 + 2_145 + 157, tooManyRequests: 30 },
    ci: { requests: 1, bytes: 0, tooManyRequests: 0 },
  });
  expect(r.bytesServed).toBe(3 * (528 + 1_470 + 2_145) + 1_000 + 2_145 + 157);
  expect(r.perSecond).toEqual([
    { second: 0, byStatus: { '200': 12, '201': 1 } },
    { second: 1, byStatus: { '429': 30 } },
    { second: 2, byStatus: { '429': 30 } },
    { second: 3, byStatus: { '429': 30 } },
    { second: 4, byStatus: { '206': 1, '200': 1, '202': 1, '404': 1 } },
  ]);
});

test('amplification: origin 200/206 blob bytes over each distinct blob at its largest; mirrors are not origin', () => {
  const r = wall();
  expect(r.originBlobBytes).toBe(3 * (1_470 + 2_145) + 1_000);
  expect(r.uniqueBlobBytes).toBe(1_470 + 2_145);
  expect(r.amplification).toBe(11_845 / 3_615);
});

test('no blobs, no amplification', () => {
  const r = analyze(new LogBuilder().request(0, head('10.0.0.1', 200)).build()).registry;
  expect(r).toMatchObject({ requests: 1, originBlobBytes: 0, uniqueBlobBytes: 0, amplification: null });
  expect(r.perSecond).toEqual([{ second: 0, byStatus: { '200': 1 } }]);
});
