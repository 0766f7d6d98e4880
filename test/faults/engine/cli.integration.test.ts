/**
 * `pullstorm faults` and `pullstorm fault apply|list|clear` against a running `pullstorm serve
 * --control-token` process, the effect checked with skopeo.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServeProcess, startServeProcess } from '../../helpers/serve-process.ts';

const exec = promisify(execFile);
/** Runs the CLI; resolves with the exit code and output, never rejecting. */
const cli = (...args: string[]) =>
  exec(process.execPath, ['harness/cli/main.ts', ...args], { timeout: 30_000 }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({
      code: e.code,
      stdout: e.stdout,
      stderr: e.stderr,
    }),
  );
const skopeo = (ref: string) =>
  exec('skopeo', ['--insecure-policy', 'inspect', '--raw', '--tls-verify=false', ref]).then(
    () => 'ok',
    (e: { stderr: string }) => e.stderr,
  );

describe('pullstorm faults', () => {
  it('lists the catalogue, as text and as JSON', async () => {
    const text = await cli('faults');
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('rate-limit — registry\n');
    expect(text.stdout).toContain('    limit=100 (integer): requests allowed per window');
    expect(text.stdout).toContain('disk-full — node (applied by the runner at the node)');
    const json = JSON.parse((await cli('faults', '--json')).stdout) as {
      name: string;
      expectedCauses: string[];
    }[];
    expect(json.find((f) => f.name === 'corrupt-blob')?.expectedCauses).toEqual(['digest-mismatch']);
  });
});

describe('pullstorm fault', () => {
  let serve: ServeProcess;
  let url: string;
  let ref: string;
  beforeAll(async () => {
    serve = await startServeProcess(['--port', '0', '--control-token', 'sekrit', '--large-size', '1024']);
    url = serve.ready.url;
    ref = `docker://127.0.0.1:${serve.ready.port}/pullstorm/tiny:1.0`;
  });
  afterAll(() => serve?.stop());
  const connect = () => ['--url', url, '--token', 'sekrit'];

  it('applies a fault that takes effect, lists it and clears it', async () => {
    expect(await skopeo(ref)).toBe('ok');
    const applied = await cli(
      'fault',
      'apply',
      'unknown-tag',
      '--scope',
      'repository=pullstorm/tiny',
      ...connect(),
    );
    expect(applied).toMatchObject({ code: 0, stdout: 'unknown-tag-1\n' });
    expect(await skopeo(ref)).toContain(
      "manifest unknown: manifest '1.0' not found in repository 'pullstorm/tiny'",
    );

    const listed = await cli('fault', 'list', ...connect());
    expect(listed.stdout).toMatch(
      /^ID +FAULT +WHERE +HITS +OPTIONS +SCOPE\nunknown-tag-1 +unknown-tag +registry +1 /,
    );
    const json = JSON.parse((await cli('fault', 'list', '--json', ...connect())).stdout);
    expect(json[0]).toMatchObject({ id: 'unknown-tag-1', scope: { repository: 'pullstorm/tiny' } });

    expect(await cli('fault', 'clear', 'unknown-tag-1', ...connect())).toMatchObject({
      code: 0,
      stdout: 'unknown-tag-1\n',
    });
    expect(await skopeo(ref)).toBe('ok');
  });

  it('types option values by the catalogue and clears everything with --all', async () => {
    const applied = await cli(
      'fault',
      'apply',
      'rate-limit',
      '-o',
      'limit=1',
      '-s',
      'route=manifest',
      '--id',
      'quota',
      ...connect(),
    );
    expect(applied.stdout).toBe('quota\n');
    const json = JSON.parse((await cli('fault', 'list', '--json', ...connect())).stdout);
    expect(json[0].options).toMatchObject({ limit: 1, windowSeconds: 21600 });
    expect(await cli('fault', 'clear', '--all', ...connect())).toMatchObject({ code: 0, stdout: 'quota\n' });
  });

  it('exits 2 with what was expected on usage errors and on specs the stub refuses', async () => {
    expect(await cli('fault', 'apply', 'rate-limt', ...connect())).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("got 'rate-limt' (did you mean 'rate-limit'?)"),
    });
    expect(await cli('fault', 'apply', 'rate-limit', '-o', 'limit', ...connect())).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("--option: expected key=value, got 'limit'"),
    });
    expect(await cli('fault', 'apply', 'rate-limit', '-o', 'limit=0', ...connect())).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('options.limit: expected an integer from 1 to 1000000000, got 0'),
    });
    expect(await cli('fault', 'clear', ...connect())).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('expected a fault id or --all, got neither'),
    });
    expect(await cli('fault', 'list', '--url', url, '--token', 'wrong')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('got X-Pullstorm-Control-Token with a token that does not match'),
    });
    expect(await cli('fault', 'list', '--token', 'x')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("--url: expected the stub's URL"),
    });
  });

  it('says which URL it tried when the stub cannot be reached', async () => {
    const result = await cli('fault', 'list', '--url', 'http://127.0.0.1:2', '--token', 'x');
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(
      'could not reach the control API at http://127.0.0.1:2/_pullstorm/faults: connect ECONNREFUSED',
    );
  });
});
