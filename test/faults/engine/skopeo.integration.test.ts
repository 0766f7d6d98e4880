/**
 * The HTTP faults proven once with a real client: skopeo (containers/image, Go) against the stub
 * over a socket — refused credentials, Docker Hub's 429 and a corrupted blob.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureImages } from '../../../registry-stubs/fixtures/catalogue.ts';
import { type RunningRegistry, startRegistry } from '../../../registry-stubs/index.ts';
import { tokenAuth } from '../http/helpers.ts';

const run = promisify(execFile);
const skopeo = (...args: string[]) =>
  run('skopeo', ['--insecure-policy', ...args], { timeout: 60_000 }).then(
    (r) => ({ ok: true, out: r.stdout }),
    (e: { stderr?: string }) => ({ ok: false, out: e.stderr ?? '' }),
  );

describe('HTTP faults against skopeo', () => {
  let registry: RunningRegistry;
  let ref: string;
  beforeAll(async () => {
    registry = await startRegistry({ images: fixtureImages({ include: ['tiny'] }), auth: tokenAuth });
    ref = `docker://127.0.0.1:${registry.port}/pullstorm/tiny:1.0`;
  });
  afterAll(() => registry?.close());

  it('auth-no-credentials: anonymous pulls are denied, credentials still pull', async () => {
    const fault = await registry.faults.apply({ fault: 'auth-no-credentials' });
    try {
      const denied = await skopeo('inspect', '--raw', '--tls-verify=false', ref);
      expect(denied.ok).toBe(false);
      expect(denied.out).toContain('denied: requested access to the resource is denied');
      const withCreds = await skopeo('inspect', '--raw', '--tls-verify=false', '--creds', 'ci:pw', ref);
      expect(withCreds.ok).toBe(true);
    } finally {
      await fault.clear();
    }
  });

  // containers/image retries a 429 without Retry-After after 2, 4, 8 and 16 s: this takes 30 s.
  it("rate-limit: the second manifest GET is refused with Docker Hub's toomanyrequests", {
    timeout: 90_000,
  }, async () => {
    const fault = await registry.faults.apply({ fault: 'rate-limit', options: { limit: 1 } });
    try {
      expect((await skopeo('inspect', '--raw', '--tls-verify=false', ref)).ok).toBe(true);
      const refused = await skopeo('inspect', '--raw', '--tls-verify=false', ref);
      expect(refused.ok).toBe(false);
      expect(refused.out).toContain('toomanyrequests: You have reached your pull rate limit.');
    } finally {
      await fault.clear();
    }
  });

  it('corrupt-blob: skopeo refuses the config whose digest does not match', async () => {
    const fault = await registry.faults.apply({ fault: 'corrupt-blob' });
    try {
      const result = await skopeo('inspect', '--tls-verify=false', ref);
      expect(result.ok).toBe(false);
      expect(result.out).toMatch(
        /Download config\.json digest sha256:[0-9a-f]{64} does not match expected sha256:[0-9a-f]{64}/,
      );
    } finally {
      await fault.clear();
    }
    expect((await skopeo('inspect', '--tls-verify=false', ref)).ok).toBe(true);
  });
});
