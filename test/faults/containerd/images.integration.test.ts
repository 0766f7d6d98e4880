/**
 * Faults that change what a tag names rather than break a request: tag-overwrite (no error, drift
 * between nodes), wrong-platform (an index without the node's platform) and wrong-arch (pulls
 * fine, dies at start). The sandbox (pause) image lives in its own repository, outside every
 * fault's `repository` scope. Observed with containerd 1.6.20 + runc 1.1.5:
 *
 * - wrong platform: gRPC NotFound, `failed to pull and unpack image "<ref>": no match for platform
 *   in manifest: not found` (the tag resolves, so there is no `failed to resolve reference`).
 * - wrong arch: the pull succeeds; the container exits at once (exit code 1, reason `Error`, empty
 *   message) and its log says `exec /pullstorm: exec format error`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPod } from '../../../harness/backends/containerd/run.ts';
import { sandboxImage } from '../../../harness/backends/embedded/nodes.ts';
import { classify } from '../../../harness/classify/classify.ts';
import { catalogueEntry } from '../../../registry-stubs/faults/catalogue.ts';
import { fixtureImages } from '../../../registry-stubs/fixtures/catalogue.ts';
import { containerdStatus, skipNote } from '../../helpers/containerd-status.ts';
import {
  type Bench,
  expectClassified,
  pullAndRemove,
  pullFailure,
  startBench,
  withFault,
} from './helpers.ts';

const containerd = await containerdStatus();

let bench: Bench;
const images = fixtureImages({ include: ['tiny', 'arm64-only', 'no-amd64'] });
const tinyDigest = images[0]!.root.digest;
const tinyOnly = { repository: 'pullstorm/tiny' };

beforeAll(async () => {
  bench = await startBench({
    registry: { images: [...images, sandboxImage()] },
    nodes: ['images-a', 'images-b'].map((name) => ({ name, sandbox: 'pullstorm/pause:3.9' })),
  });
});
afterAll(() => bench?.close());

describe.skipIf(!containerd.available)(`image faults through containerd${skipNote(containerd)}`, () => {
  it('tag-overwrite: nodes pulling before and after run different digests, with no error', async () => {
    const a = bench.node('images-a');
    const b = bench.node('images-b');
    const before = await a.node.cri.pullImage(a.ref());
    try {
      await withFault(bench.registry, { fault: 'tag-overwrite', scope: tinyOnly }, async () => {
        const now = (await bench.registry.store.getManifest('pullstorm/tiny', '1.0'))!.digest;
        expect(now).not.toBe(tinyDigest);
        const after = await b.node.cri.pullImage(b.ref());
        expect(after.imageRef).not.toBe(before.imageRef);
        expect((await a.node.cri.imageStatus(a.ref()))?.repoDigests).toEqual([
          `${a.host}/pullstorm/tiny@${tinyDigest}`,
        ]);
        expect((await b.node.cri.imageStatus(b.ref()))?.repoDigests).toEqual([
          `${b.host}/pullstorm/tiny@${now}`,
        ]);
        await b.node.cri.removeImage(b.ref());
      });
      // Cleared: the tag names the old digest again, and a fresh pull agrees with node a.
      expect(await pullAndRemove(b, b.ref())).toBe(before.imageRef);
    } finally {
      await a.node.cri.removeImage(a.ref());
    }
  });

  it('wrong-platform: NotFound "no match for platform in manifest"', async () => {
    const a = bench.node('images-a');
    const ref = a.ref();
    const { code, text } = await withFault(bench.registry, { fault: 'wrong-platform', scope: tinyOnly }, () =>
      pullFailure(a, ref),
    );
    expect(code).toBe('NotFound');
    expect(text).toBe(
      `rpc error: code = NotFound desc = failed to pull and unpack image "${ref}": no match for platform in manifest: not found`,
    );
    expectClassified('wrong-platform', ref, text);
    await pullAndRemove(a, ref);
  });

  it('wrong-arch: the pull succeeds, the container dies with "exec format error"', {
    timeout: 30_000,
  }, async () => {
    const a = bench.node('images-a');
    const ref = a.ref();
    await withFault(bench.registry, { fault: 'wrong-arch', scope: tinyOnly }, async () => {
      await using pod = await runPod(a.node, { name: 'wrong-arch', image: ref });
      expect(pod.startError).toBeUndefined();
      expect({ state: pod.state, exitCode: pod.exitCode, reason: pod.reason }).toEqual({
        state: 'CONTAINER_EXITED',
        exitCode: 1,
        reason: 'Error',
      });
      expect(pod.log).toBe('exec /pullstorm: exec format error\n');
      expect(catalogueEntry('wrong-arch')!.expectedCauses).toContain(classify(pod.log).cause);
    });
    await a.node.cri.removeImage(ref);
    // Cleared: the tag names the amd64 image again and the same pod runs.
    await using pod = await runPod(a.node, { name: 'right-arch', image: ref });
    expect(pod.state).toBe('CONTAINER_RUNNING');
    expect(pod.log).toBe('pullstorm fixture (x86_64) running\n');
    await pod.remove();
    await a.node.cri.removeImage(ref);
  });
});
