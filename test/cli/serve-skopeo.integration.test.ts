/**
 * The stub proven with a real client: skopeo pushes fixture images into `pullstorm serve` and pulls
 * them back with identical digests, over HTTP and over HTTPS trusting the generated CA.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureImages } from '../../registry-stubs/fixtures/catalogue.ts';
import { writeOciLayout } from '../../registry-stubs/oci/layout.ts';
import { type ServeProcess, startServeProcess } from '../helpers/serve-process.ts';

const run = promisify(execFile);
const skopeo = (...args: string[]) => run('skopeo', ['--insecure-policy', ...args], { maxBuffer: 64 << 20 });
const sha256 = (bytes: Uint8Array | string) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

describe('pullstorm serve with skopeo', () => {
  const images = fixtureImages({ include: ['tiny', 'multiarch', 'large'], largeSizeBytes: 1 << 20 });
  let work: string;
  let plain: ServeProcess;
  let tls: ServeProcess;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'pullstorm-skopeo-'));
    for (const image of images) await writeOciLayout(join(work, 'layout', image.repository), [image]);
    plain = await startServeProcess(['--port', '0', '--no-fixtures']);
    tls = await startServeProcess(['--port', '0', '--tls', '--tls-dir', join(work, 'tls')]);
  });
  afterAll(async () => {
    await plain?.stop();
    await tls?.stop();
    await rm(work, { recursive: true, force: true });
  });

  it.each(images.map((image) => [image.repository, image] as const))(
    'pushes and pulls %s unchanged',
    async (_, image) => {
      const authority = `127.0.0.1:${plain.ready.port}`;
      const remote = `docker://${authority}/pushed/${image.repository.split('/')[1]}:${image.tag}`;
      const layout = `oci:${join(work, 'layout', image.repository)}:${image.tag}`;
      await skopeo('copy', '--all', '--dest-tls-verify=false', layout, remote);
      const { stdout: raw } = await skopeo('inspect', '--raw', '--tls-verify=false', remote);
      expect(sha256(raw)).toBe(image.root.digest);
      const back = join(work, `back-${image.repository.replace('/', '-')}`);
      await skopeo('copy', '--all', '--src-tls-verify=false', remote, `oci:${back}:copy`);
      const index = JSON.parse(await readFile(join(back, 'index.json'), 'utf8')) as {
        manifests: { digest: string }[];
      };
      expect(index.manifests[0]!.digest).toBe(image.root.digest);
      for (const blob of image.blobs) {
        const bytes = await readFile(join(back, 'blobs', 'sha256', blob.digest.slice('sha256:'.length)));
        expect(sha256(bytes)).toBe(blob.digest);
      }
    },
  );

  it('serves HTTPS that skopeo trusts only with the generated CA', async () => {
    const ref = `docker://localhost:${tls.ready.port}/pullstorm/tiny:1.0`;
    const tiny = tls.ready.fixtures.find((f) => f.reference.endsWith('/pullstorm/tiny:1.0'))!;
    await expect(skopeo('inspect', '--raw', ref)).rejects.toThrow(
      /x509: certificate signed by unknown authority/,
    );
    const { stdout } = await skopeo('inspect', '--raw', '--cert-dir', join(work, 'tls', 'client'), ref);
    expect(sha256(stdout)).toBe(tiny.digest);
  });
});
