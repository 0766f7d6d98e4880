import { describe, expect, it } from 'vitest';
import type { PodState, PullAttempt } from '../../harness/events/types.ts';
import { ManualClock } from '../../harness/kubelet/clock.ts';
import { type ContainerSpec, ImageManager, type ImageManagerOptions } from '../../harness/kubelet/manager.ts';
import { FakeImageService, sink } from './fakes.ts';

const pod = (n = 1) => ({ name: `web-${n}`, namespace: 'default', uid: `uid-${n}` });
const app: ContainerSpec = { name: 'app', image: 'app:1' };
const ERR =
  'rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/app:1": failed to resolve reference "docker.io/library/app:1": docker.io/library/app:1: not found';

function setup(options: Partial<ImageManagerOptions> = {}) {
  const clock = new ManualClock();
  const svc = new FakeImageService(clock);
  const out = sink();
  const manager = new ImageManager({ imageService: svc, node: 'node-a', emit: out.emit, clock, ...options });
  /** Runs one sync while time passes, as a pod worker would. */
  const sync = async (p = pod(), c = app) => {
    const pending = manager.syncContainerImage(p, c);
    await clock.advance(svc.pullMs);
    return pending;
  };
  return { clock, svc, out, manager, sync };
}

describe('EnsureImageExists event sequences (texts from FACTS.md)', () => {
  it('success: Pulling then Pulled with Go durations and the image size', async () => {
    const { out, sync, svc } = setup();
    svc.sizeBytes = 5_242_880;
    const result = await sync();
    expect(result).toMatchObject({ ok: true, imageRef: expect.stringMatching(/^sha256:/) });
    expect(out.lines()).toEqual([
      'Pulling Normal Pulling image "app:1"',
      'Pulled Normal Successfully pulled image "app:1" in 1.234s (1.234s including waiting). Image size: 5242880 bytes.',
    ]);
    const [pulling] = out.kube();
    expect(pulling).toMatchObject({
      kind: 'k8s.event',
      involvedObject: {
        kind: 'Pod',
        name: 'web-1',
        namespace: 'default',
        uid: 'uid-1',
        fieldPath: 'spec.containers{app}',
      },
      source: { component: 'kubelet', host: 'node-a' },
      count: 1,
      firstTimestamp: '2025-01-01T00:00:00.000Z',
      lastTimestamp: '2025-01-01T00:00:00.000Z',
    });
    expect(pulling).not.toHaveProperty('timeScale');
    const attempt = out.events.find((e): e is PullAttempt => e.kind === 'pull.attempt');
    expect(attempt).toMatchObject({
      ok: true,
      node: 'node-a',
      pod: 'web-1',
      image: 'app:1',
      durationMs: 1_234,
      sizeBytes: 5_242_880,
      digest: `sha256:${'a'.repeat(64)}`,
    });
    expect(svc.calls.map((c) => c.image)).toEqual(['app:1']);
  });

  it('waiting in the serial queue shows in "including waiting"', async () => {
    const { out, clock, manager, svc } = setup();
    svc.pullMs = 2_000;
    const a = manager.syncContainerImage(pod(1), { name: 'app', image: 'a:1' });
    const b = manager.syncContainerImage(pod(2), { name: 'app', image: 'b:1' });
    await clock.advance(4_000);
    await Promise.all([a, b]);
    expect(out.lines().filter((l) => l.startsWith('Pulled'))).toEqual([
      'Pulled Normal Successfully pulled image "a:1" in 2s (2s including waiting). Image size: 4096 bytes.',
      'Pulled Normal Successfully pulled image "b:1" in 2s (4s including waiting). Image size: 4096 bytes.',
    ]);
  });

  it('already present: no pull with IfNotPresent', async () => {
    const { out, sync, svc } = setup();
    svc.preload('app:1');
    expect(await sync()).toMatchObject({ ok: true, message: '' });
    expect(out.lines()).toEqual(['Pulled Normal Container image "app:1" already present on machine']);
    expect(svc.calls).toHaveLength(0);
  });

  it('Always pulls even when present; the presence check is skipped from 1.33', async () => {
    const a = setup();
    a.svc.preload('app:latest');
    await a.sync(pod(), { name: 'app', image: 'app' });
    expect(a.svc.calls.map((c) => c.image)).toEqual(['app:latest']);
    expect(a.svc.statusCalls).toEqual(['app:latest', 'app:latest']); // presence + size (1.32)
    const b = setup({ kubernetesVersion: '1.33' });
    await b.sync(pod(), { name: 'app', image: 'app:latest' });
    expect(b.svc.statusCalls).toEqual(['app:latest']); // size only
  });

  it('Never + absent: ErrImageNeverPull', async () => {
    const { out, sync, svc } = setup();
    const result = await sync(pod(), { ...app, imagePullPolicy: 'Never' });
    expect(result).toEqual({
      ok: false,
      reason: 'ErrImageNeverPull',
      message: 'Container image "app:1" is not present with pull policy of Never',
    });
    expect(out.lines()).toEqual([
      'ErrImageNeverPull Warning Container image "app:1" is not present with pull policy of Never',
      'Failed Warning Error: ErrImageNeverPull',
    ]);
    expect(svc.calls).toHaveLength(0);
  });

  it('three failures with backoff in between (1.32 status messages)', async () => {
    const { out, clock, sync, svc } = setup();
    svc.failures.set('app:1', [ERR, ERR, ERR]);
    const states = () =>
      out.events.filter((e): e is PodState => e.kind === 'pod.state').map((s) => [s.reason, s.message]);
    const at: [number, string][] = [];
    const step = async (label: string) => {
      at.push([clock.now(), label]);
      return sync();
    };
    expect(await step('first pull')).toMatchObject({ ok: false, reason: 'ErrImagePull', message: ERR });
    await clock.advance(10_000 - svc.pullMs); // 10 s after the failure was recorded, minus the sync's own time
    expect(await step('inside the 10 s window')).toMatchObject({ ok: false, reason: 'ImagePullBackOff' });
    expect(await step('window over: second pull')).toMatchObject({ ok: false, reason: 'ErrImagePull' });
    await clock.advance(18_000);
    expect(await step('inside the 20 s window')).toMatchObject({ ok: false, reason: 'ImagePullBackOff' });
    await clock.advance(2_000);
    expect(await step('third pull')).toMatchObject({ ok: false, reason: 'ErrImagePull' });
    expect(out.lines()).toEqual([
      'Pulling Normal Pulling image "app:1"',
      `Failed Warning Failed to pull image "app:1": ${ERR}`,
      'Failed Warning Error: ErrImagePull',
      'BackOff Normal Back-off pulling image "app:1"',
      'Failed Warning Error: ImagePullBackOff',
      'Pulling Normal Pulling image "app:1"',
      `Failed Warning Failed to pull image "app:1": ${ERR}`,
      'Failed Warning Error: ErrImagePull',
      'BackOff Normal Back-off pulling image "app:1"',
      'Failed Warning Error: ImagePullBackOff',
      'Pulling Normal Pulling image "app:1"',
      `Failed Warning Failed to pull image "app:1": ${ERR}`,
      'Failed Warning Error: ErrImagePull',
    ]);
    expect(states()).toEqual([
      ['ErrImagePull', ERR],
      ['ImagePullBackOff', `Back-off pulling image "app:1": ErrImagePull: ${ERR}`],
      ['ErrImagePull', ERR],
      ['ImagePullBackOff', `Back-off pulling image "app:1": ErrImagePull: ${ERR}`],
      ['ErrImagePull', ERR],
    ]);
    expect(svc.calls).toHaveLength(3);
    // Same reason and message on the same object count up (the event correlator's dedup).
    const pulling = out.kube().filter((e) => e.reason === 'Pulling');
    expect(pulling.map((e) => e.count)).toEqual([1, 2, 3]);
    expect(new Set(pulling.map((e) => e.firstTimestamp)).size).toBe(1);
    const errorEvents = out.kube().filter((e) => e.message === 'Error: ErrImagePull');
    expect(errorEvents.map((e) => e.count)).toEqual([1, 2, 3]);
  });

  it('before 1.32 the backoff message has no last error; before 1.30 no image size', async () => {
    const old = setup({ kubernetesVersion: '1.29' });
    old.svc.failures.set('app:1', [ERR]);
    await old.sync();
    expect(await old.sync()).toEqual({
      ok: false,
      reason: 'ImagePullBackOff',
      message: 'Back-off pulling image "app:1"',
    });
    await old.clock.advance(10_000);
    await old.sync();
    expect(old.out.lines().at(-1)).toBe(
      'Pulled Normal Successfully pulled image "app:1" in 1.234s (1.234s including waiting)',
    );
  });

  it('a pull without a QPS token fails at once with "pull QPS exceeded", then backs off', async () => {
    const { out, clock, manager, svc } = setup({ maxParallelImagePulls: 20 });
    const pulls = Array.from({ length: 11 }, (_, i) =>
      manager.syncContainerImage(pod(i), { name: 'app', image: `img${i}:1` }),
    );
    await clock.advance(svc.pullMs);
    const results = await Promise.all(pulls);
    expect(results.filter((r) => r.ok)).toHaveLength(10);
    expect(results[10]).toEqual({ ok: false, reason: 'ErrImagePull', message: 'pull QPS exceeded' });
    expect(out.lines()).toContain('Failed Warning Failed to pull image "img10:1": pull QPS exceeded');
    expect(manager.backoff.get('uid-10_img10:1')).toBe(10_000);
  });

  it('an unparsable name is InvalidImageName; a failing ImageStatus is ImageInspectError', async () => {
    const a = setup();
    expect(await a.sync(pod(), { name: 'app', image: 'Bad:1' })).toMatchObject({
      ok: false,
      reason: 'InvalidImageName',
    });
    expect(a.out.lines()).toEqual([
      'InspectFailed Warning Failed to apply default image tag "Bad:1": couldn\'t parse image name "Bad:1": invalid reference format: repository name (library/Bad) must be lowercase',
      'Failed Warning Error: InvalidImageName',
    ]);
    const b = setup({ kubernetesVersion: '1.32' });
    b.svc.statusError = 'rpc error: code = Unavailable desc = connection error';
    expect(await b.sync()).toMatchObject({ ok: false, reason: 'ImageInspectError' });
    expect(b.out.lines()[0]).toBe(
      'InspectFailed Warning Failed to inspect image "app:1": rpc error: code = Unavailable desc = connection error',
    );
    const c = setup({ kubernetesVersion: '1.33' });
    c.svc.statusError = 'boom';
    await c.sync();
    expect(c.out.lines()[0]).toBe('InspectFailed Warning Failed to inspect image "": boom');
  });

  it("backs off kubelet's own 10 s on the clock it is given, then pulls again", async () => {
    const { clock, sync, svc, manager } = setup();
    svc.failures.set('app:1', [ERR]);
    await sync();
    expect(manager.backoff.get('uid-1_app:1')).toBe(10_000);
    await clock.advance(9_999);
    expect(await sync()).toMatchObject({ ok: false, reason: 'ImagePullBackOff' });
    await clock.advance(1);
    expect(await sync()).toMatchObject({ ok: true });
  });

  it("RegistryUnavailable errors get kubelet's own message and reason", async () => {
    const { sync, svc } = setup();
    svc.failures.set('app:1', ['RegistryUnavailable: mirror down']);
    expect(await sync()).toEqual({
      ok: false,
      reason: 'RegistryUnavailable',
      message: 'image pull failed for app:1 because the registry is unavailable: mirror down',
    });
  });
});
