/**
 * The feed follower against real stubs that restart under it: a stub stopped and a new one started
 * on the same port, which serves more requests than the follower's `after` before the follower asks
 * again. Its `after` then names a seq the new stub has, so only the feed's `epoch` tells the new
 * stub from the old; the follower must relay the new stub's events from its first one and report
 * the restart (whose faults are gone) once per restart. Also a page without `epoch`, as stubs older
 * than the field answer: a restart is still seen when the new stub holds fewer events than `after`.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type Follower, followFeed } from '../../../harness/backends/remote-stub/follow.ts';
import { directAccess, type StubAccess } from '../../../harness/backends/remote-stub.ts';
import { type FeedEvent, type RunningRegistry, startRegistry } from '../../../registry-stubs/index.ts';

const TOKEN = 'follow-token';

/** A plain-HTTP stub with a control token (so a feed), on `port` (0: a free one). */
const stub = (port = 0) => startRegistry({ port, controlToken: TOKEN });

/** One request to the stub, which records it as a `registry.request` (a 404 is fine). */
async function hit(registry: RunningRegistry, path: string): Promise<void> {
  await (await fetch(`${registry.url}${path}`)).arrayBuffer();
}

/** The paths of the relayed requests under `/v2/<repo>/`. */
const pathsOf = (events: FeedEvent[], repo: string) =>
  events.flatMap((e) => (e.kind === 'registry.request' && e.path.startsWith(`/v2/${repo}/`) ? [e.path] : []));

const paths = (repo: string, n: number) =>
  Array.from({ length: n }, (_, i) => `/v2/${repo}/manifests/${i + 1}`);

/**
 * Direct access to `url` whose requests can be held (`hold()` until `release()`), so the stub can be
 * replaced between two polls; `strip` removes `epoch` from every page, as an older stub answers.
 */
function gatedAccess(url: string, strip = false) {
  const real = directAccess({ url });
  let gate: Promise<void> | undefined;
  let open = () => {};
  const access: StubAccess = {
    url: real.url,
    async fetch(target, init) {
      await gate;
      const res = await real.fetch(target, init);
      if (!strip || !res.ok) return res;
      const { epoch: _, ...page } = (await res.json()) as Record<string, unknown>;
      return new Response(JSON.stringify(page), { status: res.status, headers: res.headers });
    },
  };
  return {
    access,
    hold() {
      gate = new Promise((resolve) => {
        open = resolve;
      });
    },
    release() {
      gate = undefined;
      open();
    },
  };
}

describe('following a stub that restarts', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  /** Starts a stub and a follower on it (short polls, short backoff). */
  async function follow(strip = false) {
    const first = await stub();
    const gated = gatedAccess(first.url, strip);
    const events: FeedEvent[] = [];
    const errors: Error[] = [];
    const follower: Follower = followFeed({
      name: 'hub',
      access: gated.access,
      token: TOKEN,
      onEvents: (batch) => events.push(...batch),
      onError: (error) => errors.push(error),
      waitMs: 200,
      retryMs: 50,
    });
    cleanup.push(() => follower.stop());
    let current = first;
    cleanup.push(() => current.close());
    /** Stops the stub while the follower's requests are held, starts another on its port, runs `meanwhile` on it, then lets the follower ask again. */
    const restart = async (meanwhile: (registry: RunningRegistry) => Promise<void>) => {
      gated.hold();
      await current.close();
      current = await stub(first.port);
      await meanwhile(current);
      gated.release();
      return current;
    };
    const restarts = () => errors.filter((e) => /restarted/.test(e.message));
    return { first, events, errors, restart, restarts, follower };
  }

  it('relays a new stub from its first event and reports the restart once, even past its `after`', async () => {
    const { first, events, restart, restarts, follower } = await follow();
    for (const path of paths('old', 3)) await hit(first, path);
    await vi.waitFor(() => expect(pathsOf(events, 'old')).toEqual(paths('old', 3)), { timeout: 5_000 });

    // The new stub serves 5 requests (seqs 1..5) before the follower, at after=3, asks again.
    const second = await restart(async (registry) => {
      for (const path of paths('new', 5)) await hit(registry, path);
    });
    await vi.waitFor(() => expect(pathsOf(events, 'new')).toEqual(paths('new', 5)), { timeout: 5_000 });
    expect(restarts().map((e) => e.message)).toEqual([
      expect.stringMatching(
        /^event feed of stub hub: the stub restarted \(epoch [\w-]+ became [\w-]+\): every fault applied to it is gone/,
      ),
    ]);
    expect(restarts()[0]!.name).toBe('FeedError');

    // Once per restart: more events of the same stub report nothing more.
    for (const path of paths('later', 2)) await hit(second, path);
    await vi.waitFor(() => expect(pathsOf(events, 'later')).toEqual(paths('later', 2)), { timeout: 5_000 });
    expect(restarts()).toHaveLength(1);

    // A second restart, this time with fewer events than `after`: reported once more, relayed whole.
    await restart(async (registry) => hit(registry, '/v2/third/manifests/1'));
    await vi.waitFor(() => expect(pathsOf(events, 'third')).toEqual(['/v2/third/manifests/1']), {
      timeout: 5_000,
    });
    expect(restarts()).toHaveLength(2);
    await follower.stop();
    // No event of any stub came twice.
    const all = pathsOf(events, 'old').concat(pathsOf(events, 'new'), pathsOf(events, 'later'));
    expect(all).toEqual([...paths('old', 3), ...paths('new', 5), ...paths('later', 2)]);
  });

  it('without `epoch` (an older stub) a restart with fewer events than `after` is still reported', async () => {
    const { first, events, restart, restarts } = await follow(true);
    for (const path of paths('old', 3)) await hit(first, path);
    await vi.waitFor(() => expect(pathsOf(events, 'old')).toEqual(paths('old', 3)), { timeout: 5_000 });
    await restart(async (registry) => hit(registry, '/v2/new/manifests/1'));
    await vi.waitFor(() => expect(pathsOf(events, 'new')).toEqual(['/v2/new/manifests/1']), {
      timeout: 5_000,
    });
    expect(restarts().map((e) => e.message)).toEqual([
      expect.stringMatching(
        /^event feed of stub hub: it started again at seq 1 after 3 \(the stub restarted\)/,
      ),
    ]);
  });
});
