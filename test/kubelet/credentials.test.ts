import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../harness/kubelet/clock.ts';
import {
  type CredentialVerificationPolicy,
  credentialHash,
  type PullCredential,
  PullRecords,
} from '../../harness/kubelet/credentials.ts';
import { ImageManager, type ImageManagerOptions } from '../../harness/kubelet/manager.ts';
import { FakeImageService, sink } from './fakes.ts';

const REF = `sha256:${'1'.repeat(64)}`;
const secret = (name: string, hash = `h-${name}`, uid = `uid-${name}`): PullCredential => ({
  auth: { username: name, password: 'pw' },
  hash,
  source: { secret: { uid, namespace: 'team', name } },
});
const account = (name: string): PullCredential => ({
  auth: { registryToken: name },
  hash: `h-sa-${name}`,
  source: { serviceAccount: { uid: `uid-sa-${name}`, namespace: 'team', name } },
});
const node: PullCredential = { auth: { username: 'node' }, hash: 'h-node' };

type Row = [
  name: string,
  policy: CredentialVerificationPolicy,
  pulledWith: PullCredential | undefined | 'preloaded',
  pod: PullCredential[],
  mustPull: boolean,
];

describe('KEP-2535 MustAttemptImagePull', () => {
  it.each<Row>([
    ['preloaded image, default policy: trusted', 'NeverVerifyPreloadedImages', 'preloaded', [], false],
    ['preloaded image, AlwaysVerify: pull', 'AlwaysVerify', 'preloaded', [], true],
    ['pulled with secret A, pod has A', 'NeverVerifyPreloadedImages', secret('a'), [secret('a')], false],
    ['pulled with secret A, pod has none', 'NeverVerifyPreloadedImages', secret('a'), [], true],
    [
      'pulled with A, pod has B with the same content',
      'NeverVerifyPreloadedImages',
      secret('a'),
      [secret('b', 'h-a')],
      false,
    ],
    [
      'pulled with A, pod has B with other content',
      'NeverVerifyPreloadedImages',
      secret('a'),
      [secret('b')],
      true,
    ],
    [
      'pulled with A, pod has A rotated (same object)',
      'NeverVerifyPreloadedImages',
      secret('a'),
      [secret('a', 'h-new')],
      false,
    ],
    ['pulled anonymously: every pod', 'NeverVerifyPreloadedImages', undefined, [], false],
    ['pulled with node credentials: every pod', 'NeverVerifyPreloadedImages', node, [], false],
    ['pulled with service account X, pod runs as X', 'AlwaysVerify', account('x'), [account('x')], false],
    ['pulled with service account X, pod runs as Y', 'AlwaysVerify', account('x'), [account('y')], true],
    ['NeverVerify trusts everything', 'NeverVerify', secret('a'), [], false],
  ])('%s', (_, policy, pulledWith, pod, mustPull) => {
    const records = new PullRecords(policy);
    if (pulledWith !== 'preloaded') {
      records.recordPullIntent('registry.example/team/app:1');
      records.recordImagePulled('registry.example/team/app:1', REF, pulledWith);
    }
    expect(records.mustAttemptImagePull('registry.example/team/app:1', REF, pod)).toBe(mustPull);
  });

  it('matches per repository, and allowlists by exact name or /* prefix', () => {
    const records = new PullRecords('NeverVerifyAllowlistedImages', [
      'registry.example/base/*',
      'registry.example/tool',
    ]);
    records.recordImagePulled('registry.example/team/app:1', REF, secret('a'));
    // same image ref reached under another name: no record for that repository
    expect(records.mustAttemptImagePull('registry.example/team/app-alias:1', REF, [secret('a')])).toBe(true);
    expect(records.mustAttemptImagePull('registry.example/base/os:1', REF, [])).toBe(false);
    expect(records.mustAttemptImagePull('registry.example/tool', REF, [])).toBe(false);
    expect(() => new PullRecords('NeverVerifyAllowlistedImages', ['registry.example/*/x'])).toThrow(
      RangeError,
    );
  });

  it('remembers a secret that matched by content, so the pod keeps access after A is gone', () => {
    const records = new PullRecords();
    records.recordImagePulled('app:1', REF, secret('a'));
    expect(records.mustAttemptImagePull('app:1', REF, [secret('b', 'h-a')])).toBe(false);
    expect(records.mustAttemptImagePull('app:1', REF, [secret('b', 'h-b-rotated')])).toBe(false);
  });

  it('hashes auth configs with SHA-256', async () => {
    const h = await credentialHash({ username: 'u', password: 'p' });
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(await credentialHash({ username: 'u', password: 'q' })).not.toBe(h);
  });
});

describe('KEP-2535 in the image manager', () => {
  function setup(options: Partial<ImageManagerOptions>) {
    const clock = new ManualClock();
    const svc = new FakeImageService(clock);
    // The registry only serves `private:1` to user "a".
    svc.failures.set('private:1', (auth) => (auth?.username === 'a' ? undefined : 'pull access denied'));
    const out = sink();
    const manager = new ImageManager({ imageService: svc, node: 'n', emit: out.emit, clock, ...options });
    const sync = async (
      n: number,
      creds: PullCredential[],
      imagePullPolicy: 'IfNotPresent' | 'Never' = 'IfNotPresent',
    ) => {
      const p = manager.syncContainerImage(
        { name: `p${n}`, namespace: 'team', uid: `u${n}` },
        { name: 'c', image: 'private:1', imagePullPolicy },
        creds,
      );
      await clock.advance(svc.pullMs);
      return p;
    };
    return { svc, out, sync };
  }

  it('1.35: a present image is pulled again for a pod without the credentials', async () => {
    const { svc, out, sync } = setup({ kubernetesVersion: '1.35' });
    expect(await sync(1, [secret('a')])).toMatchObject({ ok: true });
    out.clear();
    expect(await sync(2, [])).toEqual({ ok: false, reason: 'ErrImagePull', message: 'pull access denied' });
    expect(out.lines()).toEqual([
      'Pulling Normal Pulling image "private:1"',
      'Failed Warning Failed to pull image "private:1": pull access denied',
      'Failed Warning Error: ErrImagePull',
    ]);
    out.clear();
    expect(await sync(3, [secret('a')])).toMatchObject({ ok: true });
    expect(out.lines()).toEqual([
      'Pulled Normal Container image "private:1" already present on machine and can be accessed by the pod',
    ]);
    out.clear();
    expect(await sync(4, [], 'Never')).toMatchObject({ ok: false, reason: 'ErrImageNeverPull' });
    expect(out.lines()[0]).toBe(
      'ErrImageNeverPull Warning Container image "private:1" is not present with pull policy of Never',
    );
    expect(svc.calls.map((c) => c.auth?.username)).toEqual(['a', undefined]);
  });

  it('before 1.35 (gate off by default) the image is shared', async () => {
    const { out, sync } = setup({ kubernetesVersion: '1.34' });
    await sync(1, [secret('a')]);
    out.clear();
    expect(await sync(2, [])).toMatchObject({ ok: true });
    expect(out.lines()).toEqual(['Pulled Normal Container image "private:1" already present on machine']);
  });
});
