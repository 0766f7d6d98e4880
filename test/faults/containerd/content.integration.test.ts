/**
 * Content faults: the tag resolves and the manifest arrives, then a blob is missing, wrong or
 * short. containerd fetches the config first, so with every blob faulted the config is what fails.
 * Observed with containerd 1.6.20:
 *
 * - missing blob: gRPC NotFound, `failed to copy: httpReadSeeker: failed open: could not fetch
 *   content descriptor sha256:… (<media type>) from remote: not found` — not the catalogue's
 *   `content at <url> not found: not found` (containerd 1.7's wording).
 * - corrupted blob: gRPC FailedPrecondition (kubelet keeps the prefix), `failed commit on ref
 *   "config-sha256:…": unexpected commit digest …, expected …: failed precondition`; the ref is
 *   `layer-sha256:…` when only a layer is corrupted. The bad bytes stay in containerd's ingest
 *   after the failed pull: a pull right after the fault is cleared can fail with the same text
 *   (containerd commits the complete ingest instead of downloading again) until the garbage
 *   collector removes the lease-less ingest, about half a second here. Kubelet's 10 s backoff
 *   hides it; a tight retry loop does not.
 * - wrong length: one byte short fails like a truncated blob; one byte long goes unnoticed (the
 *   catalogue's "or nothing").
 * - truncated blob: containerd reopens with Range three times (206s that add nothing) and fails
 *   with `failed to read expected number of bytes: unexpected EOF`, code Unknown.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureImages } from '../../../registry-stubs/fixtures/catalogue.ts';
import { containerdStatus, skipNote } from '../../helpers/containerd-status.ts';
import {
  type Bench,
  escapeRegExp,
  expectClassified,
  pullAndRemove,
  pullEventually,
  pullFailure,
  startBench,
  statuses,
  withFault,
} from './helpers.ts';

const containerd = await containerdStatus();

let bench: Bench;
const images = fixtureImages({ include: ['tiny'] });
const manifest = JSON.parse(new TextDecoder().decode(images[0]!.manifests[0]!.bytes)) as {
  config: { digest: string; mediaType: string };
  layers: { digest: string }[];
};
const config = manifest.config.digest;
const layer = manifest.layers[0]!.digest;

beforeAll(async () => {
  bench = await startBench({ registry: { images }, nodes: [{ name: 'content-a' }] });
});
afterAll(() => bench?.close());

const failed = (ref: string) => `failed to pull and unpack image "${ref}": `;

describe.skipIf(!containerd.available)(`content faults through containerd${skipNote(containerd)}`, () => {
  it('missing-blob: NotFound for the config, which is fetched first', async () => {
    const a = bench.node('content-a');
    const ref = a.ref();
    const { code, text } = await withFault(bench.registry, { fault: 'missing-blob' }, () =>
      pullFailure(a, ref),
    );
    expect(code).toBe('NotFound');
    expect(text).toBe(
      `rpc error: code = NotFound desc = ${failed(ref)}failed to copy: httpReadSeeker: failed open: ` +
        `could not fetch content descriptor ${config} (${manifest.config.mediaType}) from remote: not found`,
    );
    expectClassified('missing-blob', ref, text);
    await pullAndRemove(a, ref);
  });

  it('corrupt-blob: FailedPrecondition "unexpected commit digest" for the config', async () => {
    const a = bench.node('content-a');
    const ref = a.ref();
    const { code, text } = await withFault(bench.registry, { fault: 'corrupt-blob' }, () =>
      pullFailure(a, ref),
    );
    expect(code).toBe('FailedPrecondition');
    expect(text).toMatch(
      new RegExp(
        `^rpc error: code = FailedPrecondition desc = ${escapeRegExp(failed(ref))}failed commit on ref "config-${config}": ` +
          `unexpected commit digest sha256:[0-9a-f]{64}, expected ${config}: failed precondition$`,
      ),
    );
    expectClassified('corrupt-blob', ref, text);
    const { failures } = await pullEventually(a, ref);
    expect(failures.every((f) => f === text)).toBe(true);
  });

  it('corrupt-blob on the layer only: the same text with ref "layer-sha256:…"', async () => {
    const a = bench.node('content-a');
    const ref = a.ref();
    const { text } = await withFault(
      bench.registry,
      { fault: 'corrupt-blob', options: { digests: [layer] } },
      () => pullFailure(a, ref),
    );
    expect(text).toMatch(
      new RegExp(
        `failed commit on ref "layer-${layer}": unexpected commit digest sha256:[0-9a-f]{64}, expected ${layer}: failed precondition$`,
      ),
    );
    expectClassified('corrupt-blob', ref, text);
    const { failures } = await pullEventually(a, ref);
    expect(failures.every((f) => f === text)).toBe(true);
  });

  it('truncated-blob: three Range reopens, then "failed to read expected number of bytes"', async () => {
    const a = bench.node('content-a');
    const ref = a.ref();
    bench.requests.length = 0;
    const { code, text } = await withFault(bench.registry, { fault: 'truncated-blob' }, () =>
      pullFailure(a, ref),
    );
    expect(code).toBe('Unknown');
    expect(text).toBe(`${failed(ref)}failed to read expected number of bytes: unexpected EOF`);
    expect(statuses(bench.requests, 'blob')).toEqual(['GET 200', 'GET 206', 'GET 206', 'GET 206']);
    expectClassified('truncated-blob', ref, text);
    await pullAndRemove(a, ref);
  });

  it('wrong-length (-1): one byte short of Content-Length reads as a truncated body', async () => {
    const a = bench.node('content-a');
    const ref = a.ref();
    const { text } = await withFault(bench.registry, { fault: 'wrong-length' }, () => pullFailure(a, ref));
    expect(text).toBe(`${failed(ref)}failed to read expected number of bytes: unexpected EOF`);
    expectClassified('wrong-length', ref, text);
    await pullAndRemove(a, ref);
  });

  // containerd reads exactly the descriptor's size, so a promised extra byte is never missed.
  it('wrong-length (+1): Content-Length one byte long goes unnoticed, the pull succeeds', async () => {
    const a = bench.node('content-a');
    const ref = a.ref();
    const imageRef = await withFault(bench.registry, { fault: 'wrong-length', options: { delta: 1 } }, () =>
      pullAndRemove(a, ref),
    );
    expect(imageRef).toBe(config);
  });
});
