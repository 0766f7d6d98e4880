/**
 * `pullstorm k6`: the missing-binary message (exit 3), version handling, the environment a script
 * gets, and exit codes — with tiny executable k6 stand-ins, since k6 is not installed here.
 */
import { chmod, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import yargs from 'yargs';
import {
  exitCodeFor,
  K6_INSTALL,
  k6Command,
  k6Env,
  k6RunArgs,
  parseK6Version,
  runK6,
} from '../../harness/cli/commands/k6.ts';

/** A fake `k6` printing `version` and recording a run's arguments and PULLSTORM_* environment. */
async function fakeK6(version: string, runExit: number): Promise<{ bin: string; record: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'pullstorm-fake-k6-'));
  const record = join(dir, 'record');
  const bin = join(dir, 'k6');
  await writeFile(
    bin,
    `#!/bin/sh
if [ "$1" = version ]; then echo "${version}"; exit 0; fi
{ echo "args: $*"; env | grep '^PULLSTORM_' | sort; } > "${record}"
exit ${runExit}
`,
  );
  await chmod(bin, 0o755);
  return { bin, record };
}

describe('pullstorm k6 helpers', () => {
  it('reads k6 versions, old and new', () => {
    expect(parseK6Version('k6 v0.57.0 (go1.23.6, linux/amd64)')).toEqual([0, 57, 0]);
    expect(parseK6Version('k6 v1.3.0 (commit/abc, go1.25.1, linux/amd64)\nExtensions: …')).toEqual([1, 3, 0]);
    expect(parseK6Version('k6')).toBeUndefined();
  });

  it('TypeScript: refused before v0.52, flagged on v0.52–v0.56, as is from v0.57', () => {
    expect(() => k6RunArgs('s.ts', [0, 51, 0])).toThrow(/cannot run TypeScript; expected v0\.52 or later/);
    expect(k6RunArgs('s.ts', [0, 52, 0])).toEqual([
      'run',
      '--compatibility-mode=experimental_enhanced',
      's.ts',
    ]);
    expect(k6RunArgs('s.ts', [0, 56, 1], ['--vus', '5'])).toEqual([
      'run',
      '--compatibility-mode=experimental_enhanced',
      '--vus',
      '5',
      's.ts',
    ]);
    expect(k6RunArgs('s.ts', [0, 57, 0])).toEqual(['run', 's.ts']);
    expect(k6RunArgs('s.ts', [2, 3, 0])).toEqual(['run', 's.ts']);
    expect(k6RunArgs('bundle.js', [0, 40, 0])).toEqual(['run', 'bundle.js']);
  });

  it('passes only what was given, without trailing slashes', () => {
    expect(k6Env({ target: 'http://127.0.0.1:5000/' })).toEqual({
      PULLSTORM_TARGET: 'http://127.0.0.1:5000',
    });
    expect(k6Env({ target: 'http://t', control: 'http://c/', token: 's3' })).toEqual({
      PULLSTORM_TARGET: 'http://t',
      PULLSTORM_CONTROL: 'http://c',
      PULLSTORM_TOKEN: 's3',
    });
  });

  it('maps k6 exits: 0 → 0, 99 (thresholds) → 1, others → 3', () => {
    expect([0, 99, 107, 1].map(exitCodeFor)).toEqual([0, 1, 3, 3]);
  });
});

describe('runK6', () => {
  it('k6 missing: exit 3 and exactly how to install it', async () => {
    const r = await runK6({ script: 's.ts', target: 'http://t', bin: join(tmpdir(), 'no-such-k6-binary') });
    expect(r).toEqual({ exitCode: 3, message: K6_INSTALL });
    expect(K6_INSTALL).toContain('sudo apt-get update && sudo apt-get install k6');
    expect(K6_INSTALL).toContain('https://dl.k6.io/deb stable main');
    expect(K6_INSTALL).toContain('brew install k6');
    expect(K6_INSTALL).toContain('https://github.com/grafana/k6/releases');
  });

  it('runs k6 with the compatibility flag it needs and the PULLSTORM_* environment; thresholds crossed → 1', async () => {
    const k6 = await fakeK6('k6 v0.55.0 (go1.23.1, linux/amd64)', 99);
    const r = await runK6({
      script: 'scenarios/k6/pull-storm.ts',
      target: 'http://t:5000',
      control: 'http://c:5000',
      token: 'tok',
      extra: ['--vus', '3'],
      bin: k6.bin,
    });
    expect(r).toEqual({ exitCode: 1, message: 'k6 exited 99 (thresholds crossed)' });
    expect((await readFile(k6.record, 'utf8')).split('\n')).toEqual([
      'args: run --compatibility-mode=experimental_enhanced --vus 3 scenarios/k6/pull-storm.ts',
      'PULLSTORM_CONTROL=http://c:5000',
      'PULLSTORM_TARGET=http://t:5000',
      'PULLSTORM_TOKEN=tok',
      '',
    ]);
  });

  it('a k6 too old for TypeScript is exit 3 before running anything', async () => {
    const k6 = await fakeK6('k6 v0.48.0 (go1.21.4, linux/amd64)', 0);
    expect(await runK6({ script: 'x.ts', target: 'http://t', bin: k6.bin })).toMatchObject({
      exitCode: 3,
      message: expect.stringMatching(/v0\.48\.0 cannot run TypeScript/),
    });
    await expect(readFile(k6.record)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('the k6 command (yargs)', () => {
  afterEach(() => {
    process.exitCode = undefined;
    vi.restoreAllMocks();
  });
  const parse = async (args: string[]) =>
    yargs(args)
      .command(k6Command)
      .exitProcess(false)
      .fail((message, error) => {
        throw error ?? new Error(message);
      })
      .parseAsync();

  it('without k6 installed: exit code 3 and the install text on stderr', async () => {
    const stderr: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      stderr.push(String(chunk));
      return true;
    });
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      await parse(['k6', 'scenarios/k6/pull-storm.ts', '--target', 'http://127.0.0.1:5000']);
    } finally {
      process.env.PATH = path;
    }
    expect(process.exitCode).toBe(3);
    expect(stderr.join('')).toBe(`pullstorm k6: ${K6_INSTALL}\n`);
  });

  it('usage errors: a bad URL, a token without control, a missing script', async () => {
    await expect(parse(['k6', 'scenarios/k6/pull-storm.ts', '--target', 'ftp://x'])).rejects.toThrow(
      /--target: expected an http\(s\):\/\/ URL, got 'ftp:\/\/x'/,
    );
    await expect(
      parse(['k6', 'scenarios/k6/pull-storm.ts', '--target', 'http://x', '--token', 't']),
    ).rejects.toThrow(/--token: given without --control/);
    await expect(parse(['k6', 'nope.ts', '--target', 'http://x'])).rejects.toMatchObject({
      exitCode: 2,
      message: "<script>: no such file 'nope.ts'",
    });
  });
});
