/**
 * The registry against a real client: skopeo pushes an OCI layout, pulls it back into a dir:
 * layout, pushes that to a second repository (which mounts the shared blob) and inspects it,
 * with no auth, Basic auth and token auth.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, test } from 'vitest';
import type { AuthOptions } from '../../registry-stubs/auth/options.ts';
import type { RegistryRequestEvent } from '../../registry-stubs/events.ts';
import { startRegistry } from '../../registry-stubs/index.ts';
import { MediaType } from '../../registry-stubs/oci/types.ts';
import { blob, describe as descriptorOf, imageManifest, jsonContent } from './helpers.ts';

const skopeo = await execa('skopeo', ['--version'], { reject: false });
const roots: string[] = [];
afterAll(async () => {
  for (const root of roots) await rm(root, { recursive: true, force: true });
});

/** Writes a one-layer image (a real gzip tarball) as an OCI layout. */
async function ociLayout(dir: string): Promise<string> {
  await mkdir(join(dir, 'src'));
  await writeFile(join(dir, 'src', 'hello'), 'hello from pullstorm\n');
  await execa('tar', ['-czf', join(dir, 'layer.tgz'), '-C', join(dir, 'src'), 'hello']);
  const layer = blob(new Uint8Array(await readFile(join(dir, 'layer.tgz'))), MediaType.ociLayerGzip);
  const config = jsonContent(
    { architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] }, config: {} },
    MediaType.ociConfig,
  );
  const manifest = imageManifest(config, [layer]);
  const layout = join(dir, 'layout');
  await mkdir(join(layout, 'blobs', 'sha256'), { recursive: true });
  for (const c of [layer, config, manifest])
    await writeFile(join(layout, 'blobs', 'sha256', c.digest.slice(7)), c.bytes);
  await writeFile(join(layout, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  const ref = { ...descriptorOf(manifest), annotations: { 'org.opencontainers.image.ref.name': 'v1' } };
  await writeFile(join(layout, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [ref] }));
  return layout;
}

const users: AuthOptions['users'] = [
  { username: 'ci', password: 'pa55', access: [{ repository: 'team/*', actions: ['pull', 'push'] }] },
];
const modes: [string, AuthOptions | undefined][] = [
  ['no auth', undefined],
  ['basic auth', { mode: 'basic', users }],
  ['token auth', { mode: 'token', users }],
];

describe.skipIf(skopeo.exitCode !== 0)('skopeo', () => {
  test.each(modes)('copy oci: → docker:// → dir: → docker:// with %s', async (_, auth) => {
    const dir = await mkdtemp(join(tmpdir(), 'pullstorm-skopeo-'));
    roots.push(dir);
    const layout = await ociLayout(dir);
    const events: RegistryRequestEvent[] = [];
    await using registry = await startRegistry({ auth, onRequest: (e) => events.push(e) });
    const host = `127.0.0.1:${registry.port}`;
    const creds = auth === undefined ? [] : ['--creds', 'ci:pa55'];
    const copy = (src: string, dest: string) =>
      execa('skopeo', [
        'copy',
        '--src-tls-verify=false',
        '--dest-tls-verify=false',
        ...(auth ? ['--src-creds', 'ci:pa55', '--dest-creds', 'ci:pa55'] : []),
        src,
        dest,
      ]);
    await copy(`oci:${layout}:v1`, `docker://${host}/team/app:v1`);
    await copy(`docker://${host}/team/app:v1`, `dir:${join(dir, 'out')}`);
    expect(await readdir(join(dir, 'out'))).toContain('manifest.json');
    await copy(`dir:${join(dir, 'out')}`, `docker://${host}/team/other:v2`);
    const inspect = await execa('skopeo', [
      'inspect',
      '--tls-verify=false',
      ...creds,
      `docker://${host}/team/other:v2`,
    ]);
    expect(JSON.parse(inspect.stdout)).toMatchObject({
      RepoTags: ['v2'],
      Architecture: 'amd64',
      Os: 'linux',
    });
    // The second push found the layer in team/app and mounted it instead of uploading it again.
    expect(
      events.some(
        (e) =>
          e.route === 'upload' && e.repository === 'team/other' && e.status === 201 && e.method === 'POST',
      ),
    ).toBe(true);
    expect(events.filter((e) => e.status >= 500)).toEqual([]);
  });
});
