import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CriError } from '../../../harness/backends/containerd/cri/errors.ts';
import { createVirtualNode } from '../../../harness/backends/virtual/index.ts';
import {
  type RunningRegistry,
  type StartRegistryOptions,
  startRegistry,
} from '../../../registry-stubs/index.ts';
import { answer, bundle, corruptBlobs, cutBlobs, expected, images, recorder } from './helpers.ts';

/** Pulls `name` on a fresh node from a stub with `options`; resolves to the CriError it failed with. */
async function failure(name: string, options: StartRegistryOptions = {}, node: object = {}) {
  await using stub = await startRegistry({ images, ...options });
  await using vn = createVirtualNode({ name: 'vn-fail', ...node });
  const ns = `${stub.host}:${stub.port}`;
  const err = await vn.pullImage(`${ns}/pullstorm/${name}:1.0`).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof CriError)) throw new Error(`expected a CriError, got ${String(err)}`);
  return { err, ns, ref: `${ns}/pullstorm/${name}:1.0`, url: `http://${ns}/v2/pullstorm/${name}` };
}

describe('content errors, with containerd texts and CRI codes', () => {
  test('unknown tag: NotFound, `<ref>: not found` (a 404 HEAD has no body to quote)', async () => {
    const { err, ref } = await failure('nope');
    expect(err.codeName).toBe('NotFound');
    expect(err.details).toBe(
      `failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": ${ref}: not found`,
    );
  });

  test('index without amd64: NotFound, no match for platform in manifest', async () => {
    const { err, ref } = await failure('no-amd64');
    expect(err.codeName).toBe('NotFound');
    expect(err.details).toBe(
      `failed to pull and unpack image "${ref}": no match for platform in manifest: not found`,
    );
  });

  test('missing blob: NotFound, could not fetch content descriptor', async () => {
    await using stub = await startRegistry({ images });
    const layer = expected(bundle('tiny')).layers[0]!;
    await stub.store.deleteBlob('pullstorm/tiny', layer);
    await using vn = createVirtualNode({ name: 'vn-missing' });
    const ref = `${stub.host}:${stub.port}/pullstorm/tiny:1.0`;
    const err = (await vn.pullImage(ref).catch((e) => e)) as CriError;
    expect(err.codeName).toBe('NotFound');
    expect(err.details).toBe(
      `failed to pull and unpack image "${ref}": failed to copy: httpReadSeeker: failed open: ` +
        `could not fetch content descriptor ${layer} (application/vnd.oci.image.layer.v1.tar+gzip) from remote: not found`,
    );
  });

  test('corrupted blob: FailedPrecondition, unexpected commit digest', async () => {
    const { err, ref } = await failure('tiny', { layers: [corruptBlobs] });
    const config = bundle('tiny').blobs.find((b) => b.digest === expected(bundle('tiny')).config)!;
    const bad = Buffer.from(config.bytes);
    bad[0] = (bad[0] ?? 0) ^ 0xff;
    const got = `sha256:${createHash('sha256').update(bad).digest('hex')}`;
    expect(err.codeName).toBe('FailedPrecondition');
    expect(err.details).toBe(
      `failed to pull and unpack image "${ref}": failed commit on ref "config-${config.digest}": ` +
        `unexpected commit digest ${got}, expected ${config.digest}: failed precondition`,
    );
  });

  test('truncated blob: reopened with Range until no progress, then a short read', async () => {
    const rec = recorder();
    const { err, ref } = await failure('tiny', { layers: [cutBlobs('destroy')], onRequest: rec.onRequest });
    expect(err.codeName).toBe('Unknown');
    expect(err.details).toBe(
      `failed to pull and unpack image "${ref}": failed to read expected number of bytes: unexpected EOF`,
    );
    const blobGets = rec.events.filter((e) => e.route === 'blob');
    // The first request plus the reopens: halving until nothing arrives, then three more tries.
    expect(blobGets.length).toBeGreaterThan(4);
    expect(new Set(blobGets.map((e) => e.reference)).size).toBe(1);
  });

  test('reset mid-body: failed to copy with Go read error text', async () => {
    const { err, ref } = await failure('tiny', { layers: [cutBlobs('reset')] });
    expect(err.codeName).toBe('Unknown');
    expect(err.details).toMatch(
      new RegExp(
        `^failed to pull and unpack image "${ref}": failed to copy: read tcp 127\\.0\\.0\\.1:\\d+->127\\.0\\.0\\.1:\\d+: read: connection reset by peer$`,
      ),
    );
  });
});

describe('status handling: retries and texts', () => {
  test('429 on resolve: six immediate HEADs, then unexpected status from HEAD request', async () => {
    const rec = recorder();
    const limited = answer('manifest', 'HEAD', 429, 'TOOMANYREQUESTS', 'slow down');
    const { err, ref, url } = await failure('tiny', { layers: [limited], onRequest: rec.onRequest });
    expect(rec.events.filter((e) => e.method === 'HEAD').length).toBe(6);
    expect(err.codeName).toBe('Unknown');
    expect(err.details).toBe(
      `failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": ` +
        `unexpected status from HEAD request to ${url}/manifests/1.0: 429 Too Many Requests`,
    );
  });

  test('429 on a blob: six GETs, then the fetch text with the server message', async () => {
    const rec = recorder();
    const message = 'You have reached your pull rate limit.';
    const limited = answer('blob', 'GET', 429, 'TOOMANYREQUESTS', message);
    const { err, ref, url } = await failure('tiny', { layers: [limited], onRequest: rec.onRequest });
    expect(rec.events.filter((e) => e.route === 'blob').length).toBe(6);
    expect(err.details).toBe(
      `failed to pull and unpack image "${ref}": failed to copy: httpReadSeeker: failed open: ` +
        `unexpected status code ${url}/blobs/${expected(bundle('tiny')).config}: 429 Too Many Requests - Server message: toomanyrequests: ${message}`,
    );
  });

  test('405 on HEAD: the manifest is resolved with GET instead', async () => {
    const rec = recorder();
    await using stub = await startRegistry({
      images,
      layers: [answer('manifest', 'HEAD', 405)],
      onRequest: rec.onRequest,
    });
    await using vn = createVirtualNode({ name: 'vn-405' });
    const pulled = await vn.pullImage(`${stub.host}:${stub.port}/pullstorm/tiny:1.0`);
    expect(pulled.digest).toBe(bundle('tiny').root.digest);
    expect(rec.events.slice(0, 2).map((e) => `${e.method} ${e.status}`)).toEqual(['HEAD 405', 'GET 200']);
  });
});

describe('mirrors (hosts.toml order)', () => {
  let server: RunningRegistry;
  let empty: RunningRegistry;
  beforeAll(async () => {
    server = await startRegistry({ images });
    empty = await startRegistry({ layers: [answer('manifest', 'HEAD', 500)] });
  });
  afterAll(async () => {
    await server.close();
    await empty.close();
  });

  test('a refused mirror and a 404 mirror are passed over; the server serves', async () => {
    const ns = `${server.host}:${server.port}`;
    const closed = await startRegistry();
    const refusing = closed.url;
    await closed.close();
    const hosts = {
      [ns]: { hosts: [{ url: refusing }, { url: `${empty.url}`, capabilities: ['pull' as const] }] },
    };
    await using vn = createVirtualNode({ name: 'vn-mirror', hosts });
    expect((await vn.pullImage(`${ns}/pullstorm/tiny:1.0`)).digest).toBe(bundle('tiny').root.digest);
  });

  test('the first non-404 failure is the one reported, with the mirror namespace query', async () => {
    const ns = `${server.host}:${server.port}`;
    const hosts = { [ns]: { hosts: [{ url: empty.url }] } };
    await using vn = createVirtualNode({ name: 'vn-mirror-500', hosts });
    const ref = `${ns}/pullstorm/nope:1.0`;
    const err = (await vn.pullImage(ref).catch((e) => e)) as CriError;
    expect(err.details).toBe(
      `failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": unexpected status from HEAD request to ` +
        `${empty.url}/v2/pullstorm/nope/manifests/1.0?ns=${encodeURIComponent(ns)}: 500 Internal Server Error`,
    );
  });
});

describe('cancellation', () => {
  const slowBlobs = answerLater(1500);

  test('no progress for the progress timeout: Canceled, context canceled', async () => {
    const { err } = await failure('tiny', { layers: [slowBlobs] }, { progressTimeoutMs: 150 });
    expect(err.codeName).toBe('Canceled');
    expect(err.details).toMatch(
      /^failed to pull and unpack image ".*": failed to copy: httpReadSeeker: failed open: failed to do request: Get ".*\/blobs\/sha256:[0-9a-f]{64}": context canceled$/,
    );
  });

  test('closing the node cancels its pulls', async () => {
    await using stub = await startRegistry({ images, layers: [slowBlobs] });
    const vn = createVirtualNode({ name: 'vn-close' });
    const pull = vn.pullImage(`${stub.host}:${stub.port}/pullstorm/tiny:1.0`).catch((e) => e);
    setTimeout(() => void vn.close(), 100);
    expect(((await pull) as CriError).codeName).toBe('Canceled');
  });
});

function answerLater(ms: number): NonNullable<StartRegistryOptions['layers']>[number] {
  return async function slowBlob(c, next) {
    if (c.get('route') === 'blob') await new Promise((r) => setTimeout(r, ms));
    await next();
  };
}
