import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLdd } from '../../harness/containers/rootfs.ts';
import { readFirstFile, tarStream } from '../../harness/containers/tar.ts';

describe('tarStream', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pullstorm-tar-test-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('writes an archive GNU tar lists and extracts byte for byte', async () => {
    const source = join(dir, 'source.bin');
    const bytes = new Uint8Array(1500).map((_, i) => i % 251);
    await writeFile(source, bytes);
    const longDir = `rootfs/${'d'.repeat(60)}/${'e'.repeat(60)}`;
    const archive = join(dir, 'out.tar');
    const tar = tarStream([
      { type: 'file', path: 'Dockerfile', mode: 0o644, size: 11, content: 'FROM scratch' },
      { type: 'dir', path: 'rootfs/tmp', mode: 0o1777 },
      { type: 'dir', path: longDir, mode: 0o755 },
      { type: 'file', path: `${longDir}/blob.bin`, mode: 0o755, size: bytes.length, source },
    ]);
    await expect(buffer(tar)).rejects.toThrow(/Dockerfile is 12 bytes, expected 11/);

    const good = tarStream([
      { type: 'file', path: 'Dockerfile', mode: 0o644, size: 12, content: 'FROM scratch' },
      { type: 'dir', path: 'rootfs/tmp', mode: 0o1777 },
      { type: 'dir', path: longDir, mode: 0o755 },
      { type: 'file', path: `${longDir}/blob.bin`, mode: 0o755, size: bytes.length, source },
    ]);
    await writeFile(archive, await buffer(good));
    const { stdout } = await execa('tar', ['-tvf', archive]);
    expect(stdout).toMatch(/^-rw-r--r-- 0\/0\s+12 .* Dockerfile$/m);
    expect(stdout).toMatch(/^drwxrwxrwt 0\/0\s+0 .* rootfs\/tmp\/$/m);
    expect(stdout).toContain(`${longDir}/blob.bin`);
    const extracted = await execa('tar', ['-xOf', archive, `${longDir}/blob.bin`], { encoding: 'buffer' });
    expect(Buffer.from(extracted.stdout).equals(Buffer.from(bytes))).toBe(true);
  });

  it('readFirstFile returns the first regular file of an archive GNU tar wrote', async () => {
    await writeFile(join(dir, 'ca.crt'), '-----BEGIN CERTIFICATE-----\nabc\n');
    const { stdout } = await execa('tar', ['-C', dir, '-cf', '-', 'ca.crt'], { encoding: 'buffer' });
    const file = await readFirstFile(Readable.from([Buffer.from(stdout)]));
    expect(new TextDecoder().decode(file)).toBe('-----BEGIN CERTIFICATE-----\nabc\n');
  });
});

describe('parseLdd', () => {
  it('keeps libraries and the loader, skips the vDSO', () => {
    const output = [
      '\tlinux-vdso.so.1 (0x00007ffd)',
      '\tlibdl.so.2 => /lib/x86_64-linux-gnu/libdl.so.2 (0x00007f01)',
      '\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f02)',
      '\t/lib64/ld-linux-x86-64.so.2 (0x00007f03)',
    ].join('\n');
    expect(parseLdd(output)).toEqual([
      '/lib/x86_64-linux-gnu/libdl.so.2',
      '/lib/x86_64-linux-gnu/libc.so.6',
      '/lib64/ld-linux-x86-64.so.2',
    ]);
  });

  it('refuses a missing library, which would fail only inside the image', () => {
    expect(() => parseLdd('\tlibfoo.so.1 => not found')).toThrow(/missing: libfoo\.so\.1/);
  });
});
