/** The one image builder's context: Dockerfile, layer entries and the content hash that tags an image. */
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  contentHash,
  contextEntries,
  renderDockerfile,
  type ScratchImageSpec,
} from '../../harness/containers/context.ts';

let dir: string;
let binary: string;
const spec = (data = 'console.log(1)'): ScratchImageSpec => ({
  repository: 'pullstorm/test',
  component: 'test',
  layers: [
    { files: [{ source: binary, target: '/usr/bin/tool' }], dirs: [{ path: '/tmp', mode: 0o1777 }] },
    { content: [{ path: '/app/main.mjs', data }] },
  ],
  labels: { 'pullstorm.note': 'a "quoted" note' },
  env: { PATH: '/usr/bin' },
  expose: [5000],
  entrypoint: ['/usr/bin/tool', '--flag'],
});

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pullstorm-context-'));
  binary = join(dir, 'tool');
  await writeFile(binary, 'binary bytes', { mode: 0o755 });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('scratch image context', () => {
  it('the Dockerfile copies each layer to / in order, then labels, env, ports and the entrypoint', () => {
    expect(renderDockerfile(spec()).split('\n')).toEqual([
      'FROM scratch',
      'COPY layer0/ /',
      'COPY layer1/ /',
      'LABEL pullstorm="true" pullstorm.component="test" pullstorm.note="a \\"quoted\\" note"',
      'ENV PATH="/usr/bin"',
      'EXPOSE 5000',
      'ENTRYPOINT ["/usr/bin/tool","--flag"]',
      '',
    ]);
  });

  it('puts every file under its layer with parents first, keeping host modes and given directory modes', async () => {
    const entries = await contextEntries(spec());
    expect(entries.map((e) => `${e.type} ${e.path} ${e.mode.toString(8)}`)).toEqual([
      'file Dockerfile 644',
      'dir layer0 755',
      'dir layer0/usr 755',
      'dir layer0/usr/bin 755',
      'dir layer0/tmp 1777',
      'file layer0/usr/bin/tool 755',
      'dir layer1 755',
      'dir layer1/app 755',
      'file layer1/app/main.mjs 644',
    ]);
  });

  it('the tag changes with any content and stays put otherwise', async () => {
    const first = await contentHash(spec());
    expect(first).toMatch(/^[0-9a-f]{16}$/);
    expect(await contentHash(spec())).toBe(first);
    expect(await contentHash(spec('console.log(2)'))).not.toBe(first);
    expect(await contentHash({ ...spec(), entrypoint: ['/usr/bin/tool'] })).not.toBe(first);
  });

  it('the tag changes with a host file’s mode, which the image keeps', async () => {
    const script = join(dir, 'script');
    await writeFile(script, '#!/bin/sh\n', { mode: 0o644 });
    const withScript = (): ScratchImageSpec => ({
      ...spec(),
      layers: [{ files: [{ source: script, target: '/run.sh' }] }],
    });
    const before = await contentHash(withScript());
    await chmod(script, 0o755);
    expect(await contentHash(withScript())).not.toBe(before);
    await chmod(script, 0o644);
    expect(await contentHash(withScript())).toBe(before);
  });
});
