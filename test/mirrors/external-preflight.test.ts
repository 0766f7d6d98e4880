/**
 * What the preflight asks of an external mirror before anything is provisioned (the CLI turns each
 * line into exit 3): an HTTP answer of any status to `GET /v2/`, a set password variable, a readable
 * CA file. Against an in-process HTTP server on loopback.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { externalMirrorProblems } from '../../harness/mirrors/external.ts';

let server: Server;
let url: string;
const paths: string[] = [];

beforeAll(async () => {
  // A registry that wants credentials answers /v2/ with 401: that is up, not down.
  server = createServer((req, res) => {
    paths.push(req.url ?? '');
    res.writeHead(401, { 'www-authenticate': 'Basic realm="mirror"' }).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

/** A loopback port nothing listens on (bound, then closed at once). */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

const mirror = (extra: object = {}) => ({
  url: `${url}/v2/proxy`,
  overridePath: true,
  skipVerify: false,
  ...extra,
});

describe('the external mirror preflight', () => {
  it('accepts a mirror that answers GET /v2/ at its host with 401, whatever the path of its url', async () => {
    expect(await externalMirrorProblems('harbor', mirror())).toEqual([]);
    expect(paths.at(-1)).toBe('/v2/');
  });

  it('names an unset password variable and an unreadable CA file, each on its own line', async () => {
    const found = await externalMirrorProblems(
      'harbor',
      mirror({ ca: '/nonexistent/ca.pem', login: { username: 'ci', passwordEnv: 'PULLSTORM_TEST_UNSET' } }),
      { env: {} },
    );
    expect(found).toEqual([
      'external mirror harbor: its password is read from $PULLSTORM_TEST_UNSET, which is not set; export it before the run',
      expect.stringMatching(
        /^external mirror harbor: cannot read its CA file \/nonexistent\/ca\.pem: ENOENT/,
      ),
    ]);
  });

  it('with an unreadable CA file still checks the upstream port, and GET /v2/ unless the CA is needed for https', async () => {
    const taken = Number(new URL(url).port); // the test server holds it
    const closed = await freePort();
    const broken = (scheme: string) =>
      externalMirrorProblems(
        'harbor',
        mirror({
          url: `${scheme}://127.0.0.1:${closed}`,
          ca: '/nonexistent/ca.pem',
          upstream: { host: '127.0.0.1', port: taken },
        }),
        { timeoutMs: 2_000 },
      );
    const caLine = expect.stringMatching(
      /^external mirror harbor: cannot read its CA file \/nonexistent\/ca\.pem: ENOENT/,
    );
    const upstreamLine = expect.stringMatching(
      /^external mirror harbor: the run cannot open its upstream door on 127\.0\.0\.1:/,
    );
    expect(await broken('http')).toEqual([
      caLine,
      upstreamLine,
      expect.stringMatching(
        new RegExp(
          `^external mirror harbor: http://127\\.0\\.0\\.1:${closed}/v2/ did not answer \\(connect ECONNREFUSED`,
        ),
      ),
    ]);
    // Over https the CA decides whether the answer is trusted: without it, asking proves nothing.
    expect(await broken('https')).toEqual([caLine, upstreamLine]);
  });

  it('names an upstream address whose port is taken', async () => {
    const port = Number(new URL(url).port); // the test server holds it
    const found = await externalMirrorProblems('harbor', mirror({ upstream: { host: '127.0.0.1', port } }));
    expect(found).toEqual([
      `external mirror harbor: the run cannot open its upstream door on 127.0.0.1:${port} (listen EADDRINUSE: address already in use 127.0.0.1:${port}); expected an address of this machine with that port free`,
    ]);
  });

  it('says a mirror that does not answer in time did not answer, and how long it waited', async () => {
    const silent = createServer(() => undefined); // accepts, never answers
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    try {
      const found = await externalMirrorProblems(
        'zot',
        { url: `http://127.0.0.1:${port}`, overridePath: false, skipVerify: false },
        { timeoutMs: 200 },
      );
      expect(found).toEqual([
        `external mirror zot: http://127.0.0.1:${port}/v2/ did not answer (no answer within 0.2 s); expected a registry answering GET /v2/ with any HTTP status: start it, or fix its url`,
      ]);
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
