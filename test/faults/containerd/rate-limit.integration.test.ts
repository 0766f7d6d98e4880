/**
 * The rate limit proven exact through containerd, counted at the stub. Observed with containerd
 * 1.6.20, as FACTS.md says: a 429 is retried at once, without reading Retry-After, until six
 * responses were seen — so one refused pull costs six requests of the refused kind.
 *
 * - Docker Hub style (manifest GETs counted, HEAD never refused): a pull is one HEAD and one
 *   manifest GET; over the quota the GET fails six times and the text is the fetch one,
 *   `failed to copy: httpReadSeeker: failed open: unexpected status code <url>: 429 Too Many
 *   Requests - Server message: toomanyrequests: <message>`.
 * - generic style (every request counted): once the HEAD is refused the pull fails at resolve,
 *   1.6.20 wording `pulling from host <host:port> failed with status code [manifests 1.0]: 429 Too
 *   Many Requests` (1.6.25+: `unexpected status from HEAD request to <url>: 429 Too Many Requests`).
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
const images = fixtureImages({ include: ['tiny'] });
const tinyDigest = images[0]!.root.digest;
/** containerd's most responses per request (the first try and five retries). */
const ATTEMPTS = 6;

beforeAll(async () => {
  bench = await startBench({ registry: { images }, nodes: [{ name: 'quota-a' }] });
});
afterAll(() => bench?.close());

describe.skipIf(!containerd.available)(`rate-limit through containerd${skipNote(containerd)}`, () => {
  it('rate-limit (Docker Hub style): exactly N pulls, then one HEAD and 6 manifest GETs answered 429', async () => {
    const a = bench.node('quota-a');
    const ref = a.ref();
    const limit = 3;
    await withFault(bench.registry, { fault: 'rate-limit', options: { limit } }, async () => {
      for (let i = 0; i < limit; i++) {
        bench.requests.length = 0;
        // Removing the image after each pull makes the next one fetch the manifest again.
        await pullAndRemove(a, ref);
        expect(statuses(bench.requests, 'manifest'), `pull ${i + 1}`).toEqual(['HEAD 200', 'GET 200']);
      }
      bench.requests.length = 0;
      const { code, text } = await pullFailure(a, ref);
      expect(code).toBe('Unknown');
      expect(text).toBe(
        `failed to pull and unpack image "${ref}": failed to copy: httpReadSeeker: failed open: unexpected status code ` +
          `http://${a.host}/v2/pullstorm/tiny/manifests/${tinyDigest}: 429 Too Many Requests - Server message: ` +
          'toomanyrequests: You have reached your pull rate limit. You may increase the limit by authenticating and upgrading: https://www.docker.com/increase-rate-limit',
      );
      expect(statuses(bench.requests)).toEqual(['HEAD 200', ...Array(ATTEMPTS).fill('GET 429')]);
      expectClassified('rate-limit', ref, text);
    });
    bench.requests.length = 0;
    await pullAndRemove(a, ref);
    expect(statuses(bench.requests, 'manifest')).toEqual(['HEAD 200', 'GET 200']);
  });

  it('rate-limit (generic style): the refused HEAD is tried 6 times and fails the resolve', async () => {
    const a = bench.node('quota-a');
    const ref = a.ref();
    await withFault(
      bench.registry,
      { fault: 'rate-limit', options: { limit: 1, style: 'generic' } },
      async () => {
        // The one token goes to the first HEAD; that pull then fails on its manifest GET.
        bench.requests.length = 0;
        const first = await pullFailure(a, ref);
        expect(first.text).toMatch(
          /failed to copy: httpReadSeeker: failed open: unexpected status code .*: 429 /,
        );
        expect(statuses(bench.requests)).toEqual(['HEAD 200', ...Array(ATTEMPTS).fill('GET 429')]);
        bench.requests.length = 0;
        const { text } = await pullFailure(a, ref);
        expect(text).toBe(
          `failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": ` +
            `pulling from host ${a.host} failed with status code [manifests 1.0]: 429 Too Many Requests`,
        );
        expect(statuses(bench.requests)).toEqual(Array(ATTEMPTS).fill('HEAD 429'));
        expectClassified('rate-limit', ref, first.text);
        expectClassified('rate-limit', ref, text);
      },
    );
    await pullAndRemove(a, ref);
  });
});
