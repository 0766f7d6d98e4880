/**
 * Deno runs the same source: `pullstorm serve` under Deno 2, a real client pulls through it, Ctrl-C stops
 * it cleanly. Catches Node-only habits from the first day.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { startServeProcess } from '../helpers/serve-process.ts';

const run = promisify(execFile);

describe('pullstorm serve on Deno', () => {
  it('serves the fixtures to skopeo and stops on SIGINT', async () => {
    const { stdout: version } = await run('node_modules/.bin/deno', ['--version']);
    expect(version).toMatch(/^deno 2\./);
    const served = await startServeProcess(['--port', '0', '--large-size', '65536'], 'deno');
    const dir = await mkdtemp(join(tmpdir(), 'pullstorm-deno-'));
    try {
      for (const fixture of served.ready.fixtures.filter((f) => !f.reference.includes('no-amd64'))) {
        const ref = `docker://${fixture.reference}`;
        const { stdout } = await run('skopeo', ['inspect', '--raw', '--tls-verify=false', ref]);
        expect(`sha256:${createHash('sha256').update(stdout).digest('hex')}`).toBe(fixture.digest);
      }
      const tiny = served.ready.fixtures.find((f) => f.reference.endsWith('/pullstorm/tiny:1.0'))!;
      await run('skopeo', [
        '--insecure-policy',
        'copy',
        '--src-tls-verify=false',
        `docker://${tiny.reference}`,
        `dir:${dir}`,
      ]);
      expect((await readdir(dir)).length).toBeGreaterThanOrEqual(3);
    } finally {
      await rm(dir, { recursive: true, force: true });
      expect(await served.stop()).toBe(0);
    }
  });
});
