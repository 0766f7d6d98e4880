/**
 * Connection faults at the node's front door, over plain HTTP. Observed with containerd 1.6.20:
 *
 * - refused: `failed to do request: Head "<url>": dial tcp <ip>:<port>: connect: connection refused`.
 * - black hole (SYNs dropped): the same with `i/o timeout`, after containerd's 30 s dial timeout;
 *   gRPC code Unknown or DeadlineExceeded (see the test).
 * - reset before any response: `… Head "<url>": read tcp <client>-><ip>:<port>: read: connection
 *   reset by peer`; mid-blob: `failed to copy: read tcp …: read: connection reset by peer` — not the
 *   catalogue's alternative `unexpected EOF` (that is a clean close, see truncated-blob).
 * - latency and bandwidth: no error, only a slower pull.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureImages } from '../../../registry-stubs/fixtures/catalogue.ts';
import { containerdStatus, skipNote } from '../../helpers/containerd-status.ts';
import {
  type Bench,
  escapeRegExp,
  expectClassified,
  MiB,
  pullAndRemove,
  pullFailure,
  startBench,
  withFault,
} from './helpers.ts';

const containerd = await containerdStatus();

let bench: Bench;
const LARGE = 2 * MiB;

beforeAll(async () => {
  bench = await startBench({
    registry: {
      images: fixtureImages({ include: ['tiny', 'large'], largeSizeBytes: LARGE, largeLayers: 4 }),
    },
    nodes: [{ name: 'net-a' }],
  });
});
afterAll(() => bench?.close());

const headFailed = (ref: string, host: string) =>
  `failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": ` +
  `failed to do request: Head "http://${host}/v2/pullstorm/tiny/manifests/1.0": `;

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await work();
  return [result, performance.now() - started];
}

describe.skipIf(!containerd.available)(`connection faults through containerd${skipNote(containerd)}`, () => {
  it('refused: "dial tcp …: connect: connection refused"', async () => {
    const a = bench.node('net-a');
    const ref = a.ref();
    const { code, text } = await withFault(bench.registry, { fault: 'refused' }, () => pullFailure(a, ref));
    expect(code).toBe('Unknown');
    expect(text).toBe(`${headFailed(ref, a.host)}dial tcp ${a.host}: connect: connection refused`);
    expectClassified('refused', ref, text);
    await pullAndRemove(a, ref);
  });

  // Go reports the dial timeout two ways, both printed `i/o timeout`: the poller's deadline
  // (gRPC Unknown, shown bare) or the dial context's (errors.Is DeadlineExceeded, so containerd
  // answers DeadlineExceeded and kubelet keeps the `rpc error:` prefix). Which one wins is a race;
  // both were seen here, the second under load.
  it('blackhole: "dial tcp …: i/o timeout" after containerd\'s 30 s dial timeout', {
    timeout: 70_000,
  }, async () => {
    const a = bench.node('net-a');
    const ref = a.ref();
    const [{ code, text }, ms] = await timed(() =>
      withFault(bench.registry, { fault: 'blackhole' }, () => pullFailure(a, ref, { timeoutMs: 45_000 })),
    );
    const details = `${headFailed(ref, a.host)}dial tcp ${a.host}: i/o timeout`;
    expect(['Unknown', 'DeadlineExceeded']).toContain(code);
    expect(text).toBe(code === 'Unknown' ? details : `rpc error: code = DeadlineExceeded desc = ${details}`);
    expect(ms).toBeGreaterThanOrEqual(30_000);
    expect(ms).toBeLessThan(35_000);
    expectClassified('blackhole', ref, text);
    await pullAndRemove(a, ref);
  });

  it('reset (afterBytes 0): the resolving HEAD reads "connection reset by peer"', async () => {
    const a = bench.node('net-a');
    const ref = a.ref();
    const { text } = await withFault(bench.registry, { fault: 'reset', options: { afterBytes: 0 } }, () =>
      pullFailure(a, ref),
    );
    const port = a.door.port;
    expect(text).toMatch(
      new RegExp(
        `^${escapeRegExp(headFailed(ref, a.host))}read tcp 127\\.0\\.0\\.1:\\d+->127\\.0\\.0\\.1:${port}: read: connection reset by peer$`,
      ),
    );
    expectClassified('reset', ref, text);
    await pullAndRemove(a, ref);
  });

  it('reset mid-blob (afterBytes 100 kB): "failed to copy: read tcp …: connection reset by peer"', async () => {
    const a = bench.node('net-a');
    const ref = a.ref('large');
    const { text } = await withFault(
      bench.registry,
      { fault: 'reset', options: { afterBytes: 100_000 } },
      () => pullFailure(a, ref),
    );
    expect(text).toMatch(
      new RegExp(
        `^failed to pull and unpack image "${escapeRegExp(ref)}": failed to copy: read tcp 127\\.0\\.0\\.1:\\d+->127\\.0\\.0\\.1:${a.door.port}: read: connection reset by peer$`,
      ),
    );
    expectClassified('reset', ref, text);
    await pullAndRemove(a, ref);
  });

  // Lower bounds only: an upper bound or a comparison with an unfaulted pull flakes on a busy machine.
  it('latency (connectionMs 500): no error, the pull takes at least the delay', async () => {
    const a = bench.node('net-a');
    const ref = a.ref();
    const [, ms] = await timed(() =>
      withFault(bench.registry, { fault: 'latency', options: { connectionMs: 500 } }, () =>
        pullAndRemove(a, ref),
      ),
    );
    // Every pull opens new connections: keep-alive connections do not outlive a pull here.
    expect(ms).toBeGreaterThanOrEqual(500);
  });

  it('bandwidth (2 MB/s in total): no error, 2 MiB of layers take at least a second', async () => {
    const a = bench.node('net-a');
    const ref = a.ref('large');
    const rate = 2_000_000;
    bench.requests.length = 0;
    const [, ms] = await timed(() =>
      withFault(bench.registry, { fault: 'bandwidth', options: { totalBytesPerSecond: rate } }, () =>
        pullAndRemove(a, ref),
      ),
    );
    const served = bench.requests.filter((r) => r.route === 'blob').reduce((sum, r) => sum + r.bytes, 0);
    expect(served).toBeGreaterThan(LARGE);
    expect(ms).toBeGreaterThanOrEqual((served / rate) * 1000 * 0.95);
  });
});
