import { describe, expect, test } from 'vitest';
import type { CriError } from '../../../harness/backends/containerd/cri/errors.ts';
import { createVirtualNode } from '../../../harness/backends/virtual/index.ts';
import type { AuthConfig } from '../../../harness/kubelet/image-service.ts';
import { type AuthOptions, startRegistry } from '../../../registry-stubs/index.ts';
import { bundle, recorder } from './helpers.ts';

const users = [
  {
    username: 'alice',
    password: 's3cret',
    access: [{ repository: 'pullstorm/*', actions: ['pull' as const] }],
  },
];
const alice: AuthConfig = { username: 'alice', password: 's3cret' };
const tiny = [bundle('tiny')];

/** Pulls tiny from a stub with `auth`; the outcome or the CriError, plus what the stub saw. */
async function pull(auth: AuthOptions, credentials?: AuthConfig, nodeCredentials = false) {
  const rec = recorder();
  await using stub = await startRegistry({ images: tiny, auth, onRequest: rec.onRequest });
  const ns = `${stub.host}:${stub.port}`;
  const ref = `${ns}/pullstorm/tiny:1.0`;
  await using node = createVirtualNode({
    name: 'vn-auth',
    ...(nodeCredentials && { credentials: { [ns]: alice } }),
  });
  const outcome = await node
    .pullImage(ref, credentials === undefined ? {} : { auth: credentials })
    .catch((e: CriError) => e);
  const seen = rec.events.map((e) => `${e.method} ${e.route} ${e.status}`);
  return {
    outcome,
    ns,
    ref,
    seen,
    resolveFailed: `failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": `,
  };
}

describe('basic auth', () => {
  const basic: AuthOptions = { mode: 'basic', users };

  test('with credentials in the pull request', async () => {
    const { outcome, seen } = await pull(basic, alice);
    expect(outcome).toMatchObject({ digest: bundle('tiny').root.digest });
    expect(seen.slice(0, 2)).toEqual(['HEAD manifest 401', 'HEAD manifest 200']);
  });

  test('with node credentials for the registry host (registry.configs auth)', async () => {
    const { outcome } = await pull(basic, undefined, true);
    expect(outcome).toMatchObject({ digest: bundle('tiny').root.digest });
  });

  test('credentials for another server address are not sent', async () => {
    const { outcome } = await pull(basic, { ...alice, serverAddress: 'https://elsewhere.example' });
    expect((outcome as CriError).details).toMatch(/no basic auth credentials$/);
  });

  test('without credentials: pull access denied … no basic auth credentials', async () => {
    const { outcome, resolveFailed } = await pull(basic);
    expect((outcome as CriError).codeName).toBe('Unknown');
    expect((outcome as CriError).details).toBe(
      `${resolveFailed}pull access denied, repository does not exist or may require authorization: authorization failed: no basic auth credentials`,
    );
  });

  test('wrong password: six 401s, then unexpected status from HEAD request', async () => {
    const { outcome, ns, seen, resolveFailed } = await pull(basic, { username: 'alice', password: 'wrong' });
    expect(seen).toEqual(Array(6).fill('HEAD manifest 401'));
    expect((outcome as CriError).details).toBe(
      `${resolveFailed}unexpected status from HEAD request to http://${ns}/v2/pullstorm/tiny/manifests/1.0: 401 Unauthorized`,
    );
  });
});

describe('token auth', () => {
  const token: AuthOptions = { mode: 'token', users };

  test('with credentials: OAuth POST, one token per authorizer (resolve, fetch), reused for every blob', async () => {
    const { outcome, seen } = await pull(token, alice);
    expect(outcome).toMatchObject({ digest: bundle('tiny').root.digest });
    expect(seen).toEqual([
      'HEAD manifest 401',
      'POST token 200',
      'HEAD manifest 200',
      'GET manifest 401',
      'POST token 200',
      'GET manifest 200',
      'GET blob 200',
      'GET blob 200',
    ]);
  });

  test('an identity token is sent as an OAuth refresh token', async () => {
    const rec = recorder();
    await using stub = await startRegistry({ images: tiny, auth: token, onRequest: rec.onRequest });
    const ns = `${stub.host}:${stub.port}`;
    const form = new URLSearchParams({
      grant_type: 'password',
      username: 'alice',
      password: 's3cret',
      service: 'pullstorm',
    });
    const issued = (await (await fetch(`${stub.url}/token`, { method: 'POST', body: form })).json()) as {
      refresh_token: string;
    };
    await using node = createVirtualNode({ name: 'vn-refresh' });
    const pulled = await node.pullImage(`${ns}/pullstorm/tiny:1.0`, {
      auth: { identityToken: issued.refresh_token },
    });
    expect(pulled.digest).toBe(bundle('tiny').root.digest);
  });

  test('anonymous access granted by the registry: anonymous GET token', async () => {
    const { outcome, seen } = await pull({
      ...token,
      anonymous: [{ repository: 'pullstorm/*', actions: ['pull'] }],
    });
    expect(outcome).toMatchObject({ digest: bundle('tiny').root.digest });
    expect(seen.slice(0, 3)).toEqual(['HEAD manifest 401', 'GET token 200', 'HEAD manifest 200']);
  });

  test('without credentials: pull access denied … insufficient_scope: authorization failed', async () => {
    const { outcome, resolveFailed } = await pull(token);
    expect((outcome as CriError).details).toBe(
      `${resolveFailed}pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed`,
    );
  });

  test('wrong password: POST refused, GET refused, failed to fetch oauth token', async () => {
    const { outcome, ns, seen, resolveFailed } = await pull(token, { username: 'alice', password: 'wrong' });
    expect(seen).toEqual(['HEAD manifest 401', 'POST token 401', 'GET token 401']);
    expect((outcome as CriError).details).toBe(
      `${resolveFailed}failed to authorize: failed to fetch oauth token: unexpected status from GET request to ` +
        `http://${ns}/token?scope=repository%3Apullstorm%2Ftiny%3Apull&service=pullstorm: 401 Unauthorized`,
    );
  });
});
