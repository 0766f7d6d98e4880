/**
 * The remote-stub client against real stubs (two-stubs.ts: a `pullstorm serve --tls` process and an
 * in-process `startServe`, both with real TLS and control tokens), reached directly: the kind
 * transport, a base URL and the stub's CA. Pulls are real HTTPS requests to the stubs; faults, hits
 * and requests must reach the log.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { directAccess, type RemoteStubs, remoteStubs } from '../../../harness/backends/remote-stub.ts';
import type { FaultChange, FaultHit, RegistryRequest, RunEvent } from '../../../harness/events/types.ts';
import type { ServeProcess } from '../../helpers/serve-process.ts';
import { fault, MANIFEST, manifest, of, pull, startTwoStubs, type TwoStubs } from './two-stubs.ts';

describe('remote stubs', () => {
  let started: TwoStubs;
  let work: string;
  let hub: ServeProcess;
  let hubCa: string;
  let mirror: TwoStubs['mirror'];
  let mirrorCa: string;

  beforeAll(async () => {
    started = await startTwoStubs();
    ({ work, hub, hubCa, mirror, mirrorCa } = started);
  }, 60_000);
  afterAll(() => started?.close());

  describe('direct (the kind transport: mapped port + CA)', () => {
    const follow = (log: RunEvent[], errors: Error[]): RemoteStubs =>
      remoteStubs(
        [
          { name: 'hub', access: directAccess({ url: hub.ready.url, caPem: hubCa }), token: 'hub-token' },
          {
            name: 'mirror',
            access: directAccess({ url: mirror.ready.url, caPem: mirrorCa }),
            token: 'mirror-token',
          },
        ],
        { emit: (e) => log.push(e), onError: (e) => errors.push(e), waitMs: 2_000 },
      );

    it('applies a fault on every stub, relays requests, hits and one change per fault id', async () => {
      const log: RunEvent[] = [];
      const errors: Error[] = [];
      const stubs = follow(log, errors);
      const clear = await stubs.applyFault(fault('gone'));
      expect([await pull(hub.ready.url, hubCa), await pull(mirror.ready.url, mirrorCa)]).toEqual([404, 404]);
      await clear();
      expect(await pull(hub.ready.url, hubCa)).toBe(200);
      // Again with the same id: a second application is a second change in the log.
      const again = await stubs.applyFault(fault('gone'));
      await again();
      // The last pulls happen right before stop: the drain must still bring them.
      const last = await Promise.all([1, 2, 3].map(() => pull(mirror.ready.url, mirrorCa)));
      expect(last).toEqual([200, 200, 200]);
      await stubs.stop();

      expect(errors).toEqual([]);
      const changes = [...of(log, 'fault.applied'), ...of(log, 'fault.cleared')] as FaultChange[];
      expect(changes.map((c) => `${c.kind} ${c.id}`).sort()).toEqual([
        'fault.applied gone',
        'fault.applied gone',
        'fault.cleared gone',
        'fault.cleared gone',
      ]);
      expect(changes[0]).toMatchObject({
        fault: 'unknown-tag',
        options: { tag: '*' },
        scope: { route: 'manifest' },
      });
      const hits = of(log, 'fault.hit') as FaultHit[];
      expect(hits.map((h) => `${h.id} ${h.path}`)).toEqual([`gone ${MANIFEST}`, `gone ${MANIFEST}`]);
      const requests = of(log, 'registry.request') as RegistryRequest[];
      const line = (r: RegistryRequest) => `${r.registry} ${r.status}${r.faults ? ` ${r.faults}` : ''}`;
      expect(requests.map(line).sort()).toEqual(
        [
          'hub 404 unknown-tag',
          'mirror 404 unknown-tag',
          'hub 200',
          'mirror 200',
          'mirror 200',
          'mirror 200',
        ].sort(),
      );
      expect(requests.every((r) => r.path === MANIFEST && r.client === '127.0.0.1')).toBe(true);
      await stubs.stop(); // idempotent
    });

    it('scope.registry picks the stub; a scope naming none is refused', async () => {
      const log: RunEvent[] = [];
      const stubs = follow(log, []);
      try {
        const clear = await stubs.applyFault(fault('mirror-only', 'mirror', 'multiarch'));
        const hubStatus = await pull(hub.ready.url, hubCa, 'multiarch');
        expect([hubStatus, await pull(mirror.ready.url, mirrorCa, 'multiarch')]).toEqual([200, 404]);
        await clear();
        await expect(stubs.applyFault(fault('x', 'ghcr'))).rejects.toThrow(
          "fault x: expected scope.registry to name one of the stubs (hub, mirror), got 'ghcr'",
        );
        await expect(
          stubs.applyFault({ ...fault('n'), scope: { ...fault('n').scope, nodes: ['worker-0'] } }),
        ).rejects.toThrow(/cannot tell nodes apart.*got worker-0/);
      } finally {
        await stubs.stop();
      }
      const mine = (of(log, 'registry.request') as RegistryRequest[]).filter(
        (r) => r.path === manifest('multiarch'),
      );
      expect(mine.map((r) => `${r.registry} ${r.status}`).sort()).toEqual(['hub 200', 'mirror 404']);
      expect(of(log, 'fault.hit').filter((h) => h.id === 'mirror-only')).toHaveLength(1);
    });

    it('all or nothing: a fault refused by one stub is cleared from the others', async () => {
      const log: RunEvent[] = [];
      const stubs = follow(log, []);
      try {
        // auth-token-expiry needs token auth, which neither stub has: both refuse, nothing stays applied.
        await expect(stubs.applyFault({ ...fault('exp'), fault: 'auth-token-expiry' })).rejects.toThrow(
          /needs a registry with auth mode 'token'/,
        );
        expect(await stubs.controls.get('hub')!.list()).toEqual([]);
      } finally {
        await stubs.stop();
      }
    });

    it('reports an unreachable feed once through onError, and stop still ends promptly', async () => {
      const errors: Error[] = [];
      const other = await readFile(join(work, 'mirror', 'ca.crt'), 'utf8');
      const stubs = remoteStubs(
        [{ name: 'hub', access: directAccess({ url: hub.ready.url, caPem: other }), token: 'hub-token' }],
        { emit: () => undefined, onError: (e) => errors.push(e), waitMs: 1_000 },
      );
      await new Promise((r) => setTimeout(r, 1_500));
      await expect(stubs.applyFault(fault('f'))).rejects.toThrow(
        /could not reach the control API at https:\/\/127\.0\.0\.1:\d+\/_pullstorm\/faults: .*certificate/,
      );
      const at = performance.now();
      await stubs.stop();
      expect(performance.now() - at).toBeLessThan(5_000);
      expect(errors.map((e) => e.message)).toEqual([
        expect.stringMatching(
          /^event feed of stub hub: could not reach https:\/\/127\.0\.0\.1:\d+\/_pullstorm\/events\?after=0&waitMs=1000: .*certificate/,
        ),
        expect.stringMatching(/could not reach .*\(in the last drain, after stop\)$/),
      ]);
      expect(errors[0]!.name).toBe('FeedError');
    });

    it('stop() drains what no long poll delivered', async () => {
      // A path that holds every long poll until it is aborted (a slow proxy): only the drain,
      // which asks with waitMs=0, can bring the events.
      const real = directAccess({ url: mirror.ready.url, caPem: mirrorCa });
      const held: typeof real = {
        url: real.url,
        fetch: (url, init) =>
          url.includes('waitMs=0')
            ? real.fetch(url, init)
            : new Promise((_, reject) =>
                init.signal?.addEventListener('abort', () => reject(init.signal?.reason)),
              ),
      };
      const log: RunEvent[] = [];
      const errors: Error[] = [];
      const stubs = remoteStubs([{ name: 'mirror', access: held, token: 'mirror-token' }], {
        emit: (e) => log.push(e),
        onError: (e) => errors.push(e),
      });
      expect(await pull(mirror.ready.url, mirrorCa, 'large')).toBe(200);
      expect(log).toEqual([]);
      await stubs.stop();
      expect(errors).toEqual([]);
      expect(log.filter((e) => e.kind === 'registry.request' && e.path === manifest('large'))).toHaveLength(
        1,
      );
    });

    it('a wrong token is an error saying what the stub expected', async () => {
      const errors: Error[] = [];
      const stubs = remoteStubs(
        [{ name: 'hub', access: directAccess({ url: hub.ready.url, caPem: hubCa }), token: 'nope' }],
        { emit: () => undefined, onError: (e) => errors.push(e), waitMs: 1_000 },
      );
      await expect(stubs.applyFault(fault('f'))).rejects.toThrow(
        'expected X-Pullstorm-Control-Token: <control token> or Authorization: Bearer <control token>, got X-Pullstorm-Control-Token with a token that does not match',
      );
      await stubs.stop();
      expect(errors[0]?.message).toMatch(/answered 401: expected X-Pullstorm-Control-Token/);
    });
  });
});
