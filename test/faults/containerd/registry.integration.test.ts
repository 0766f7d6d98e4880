/**
 * Registry answers that are not content: an unknown tag, 5xx on chosen requests, the whole
 * registry down — and registry-down on a mirror, which containerd survives by falling back to
 * `server`. Observed with containerd 1.6.20 (Debian 1.6.20~ds1, Go 1.19):
 *
 * - a non-404 status on the resolving HEAD reads `pulling from host <host:port> failed with status
 *   code [manifests <tag>]: <status>`; FACTS.md's `unexpected status from HEAD request to <url>:
 *   <status>` is the 1.6.25+/1.7 wording. Both classify alike (the status phrase decides).
 * - an unknown tag is gRPC NotFound, so kubelet keeps the `rpc error:` prefix.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureImages } from '../../../registry-stubs/fixtures/catalogue.ts';
import { containerdStatus, skipNote } from '../../helpers/containerd-status.ts';
import {
  type Bench,
  expectClassified,
  pullAndRemove,
  pullFailure,
  startBench,
  statuses,
  withFault,
} from './helpers.ts';

const containerd = await containerdStatus();

let bench: Bench;

beforeAll(async () => {
  bench = await startBench({
    registry: { images: fixtureImages({ include: ['tiny'] }) },
    nodes: [{ name: 'registry-a' }],
    extraEndpoints: ['mirror'],
  });
});
afterAll(() => bench?.close());

const resolveFailed = (ref: string) =>
  `failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": `;

describe.skipIf(!containerd.available)(`registry faults through containerd${skipNote(containerd)}`, () => {
  it('unknown-tag: NotFound "<ref>: not found" after one HEAD 404, then the tag pulls again', async () => {
    const a = bench.node('registry-a');
    const ref = a.ref();
    bench.requests.length = 0;
    const { code, text } = await withFault(bench.registry, { fault: 'unknown-tag' }, () =>
      pullFailure(a, ref),
    );
    expect(code).toBe('NotFound');
    expect(text).toBe(`rpc error: code = NotFound desc = ${resolveFailed(ref)}${ref}: not found`);
    // A 404 HEAD has no body, so MANIFEST_UNKNOWN never reaches the text; nothing is retried.
    expect(statuses(bench.requests)).toEqual(['HEAD 404']);
    expectClassified('unknown-tag', ref, text);
    await pullAndRemove(a, ref);
  });

  it('server-error: the resolving HEAD gets 500 once, no retry', async () => {
    const a = bench.node('registry-a');
    const ref = a.ref();
    bench.requests.length = 0;
    const { code, text } = await withFault(bench.registry, { fault: 'server-error' }, () =>
      pullFailure(a, ref),
    );
    expect(code).toBe('Unknown');
    expect(text).toBe(
      `${resolveFailed(ref)}pulling from host ${a.host} failed with status code [manifests 1.0]: 500 Internal Server Error`,
    );
    expect(statuses(bench.requests)).toEqual(['HEAD 500']);
    expectClassified('server-error', ref, text);
    await pullAndRemove(a, ref);
  });

  // On a GET, containerd reads the OCI error body into the text (`- Server message: <code>: <message>`).
  it('server-error on blobs only: the fetch fails with the blob URL, status and body', async () => {
    const a = bench.node('registry-a');
    const ref = a.ref();
    const [tiny] = fixtureImages({ include: ['tiny'] });
    const config = JSON.parse(new TextDecoder().decode(tiny!.manifests[0]!.bytes)).config.digest as string;
    const { text } = await withFault(
      bench.registry,
      { fault: 'server-error', options: { status: 502 }, scope: { route: 'blob' } },
      () => pullFailure(a, ref),
    );
    expect(text).toBe(
      `failed to pull and unpack image "${ref}": failed to copy: httpReadSeeker: failed open: unexpected status code ` +
        `http://${a.host}/v2/pullstorm/tiny/blobs/${config}: 502 Bad Gateway - Server message: unknown: ` +
        'bad gateway: the registry behind this proxy did not answer properly',
    );
    expectClassified('server-error', ref, text);
    await pullAndRemove(a, ref);
  });

  it('registry-down: 503 on the resolving HEAD', async () => {
    const a = bench.node('registry-a');
    const ref = a.ref();
    const { text } = await withFault(bench.registry, { fault: 'registry-down' }, () => pullFailure(a, ref));
    expect(text).toBe(
      `${resolveFailed(ref)}pulling from host ${a.host} failed with status code [manifests 1.0]: 503 Service Unavailable`,
    );
    expectClassified('registry-down', ref, text);
    await pullAndRemove(a, ref);
  });

  it('registry-down on a mirror: containerd falls back to server, and the pull succeeds', async () => {
    const a = bench.node('registry-a');
    const mirror = bench.door('mirror');
    // A namespace of its own, so the node's main hosts.toml stays as the other tests expect.
    const ns = 'mirrored.pullstorm.test:5000';
    await a.node.writeRegistry({
      host: ns,
      server: a.door.url,
      hosts: [{ url: mirror.url, capabilities: ['pull', 'resolve'] }],
    });
    const ref = `${ns}/pullstorm/tiny:1.0`;
    bench.requests.length = 0;
    await withFault(bench.registry, { fault: 'registry-down', scope: { nodes: ['mirror'] } }, () =>
      pullAndRemove(a, ref),
    );
    const seen = bench.requests.map((r) => `${r.endpoint} ${r.method} ${r.route} ${r.status}`);
    // Resolve: the mirror's 503 is remembered and the server answers. Fetch: every GET tries the
    // mirror first again; containerd keeps no memory of a failed host within a pull.
    expect(seen.slice(0, 4)).toEqual([
      'mirror HEAD manifest 503',
      'registry-a HEAD manifest 200',
      'mirror GET manifest 503',
      'registry-a GET manifest 200',
    ]);
    expect(seen.filter((s) => s.startsWith('registry-a') && s.endsWith(' 200')).length).toBe(4);
  });
});
