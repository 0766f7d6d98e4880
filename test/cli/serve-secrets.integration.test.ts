/**
 * `pullstorm serve` takes its secrets from files and the environment (issue 17): `--users-file` in
 * htpasswd format with bcrypt hashes (as distribution reads it), `--control-token-file`,
 * `PULLSTORM_CONTROL_TOKEN`; none of them on the command line, where /proc/<pid>/cmdline shows them.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { controlTokenFrom, parseHtpasswd } from '../../registry-stubs/serve/serve-secrets.ts';
import { startServeProcess } from '../helpers/serve-process.ts';

const basic = (user: string, password: string) => ({ Authorization: `Basic ${btoa(`${user}:${password}`)}` });
// htpasswd -B writes $2y$; bcryptjs writes $2b$: the same algorithm under another name.
const hash = bcrypt.hashSync('s3cret', 4).replace(/^\$2b\$/, '$2y$');

describe('htpasswd files', () => {
  it('give users with bcrypt hashes; blank lines and # comments are skipped', () => {
    expect(parseHtpasswd(`# team\n\nalice:${hash}\r\nbob:${hash}\n`, 'f')).toEqual([
      { username: 'alice', passwordHash: hash },
      { username: 'bob', passwordHash: hash },
    ]);
  });

  it('refuse what distribution refuses, naming the line but never echoing the hash', () => {
    expect(() => parseHtpasswd('alice:$apr1$abc$def', 'users')).toThrow(
      'users line 1: expected a bcrypt hash ($2y$…, as htpasswd -B writes; distribution reads nothing else), got an MD5 (apr1) hash',
    );
    expect(() => parseHtpasswd('\n:nohash', 'users')).toThrow('users line 2: expected <name>:<bcrypt hash>');
    expect(() => parseHtpasswd('alice:plain-password', 'users')).not.toThrow(/plain-password/);
  });
});

describe('the control token', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pullstorm-secrets-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('comes from the flag, else the first line of the file, else PULLSTORM_CONTROL_TOKEN', async () => {
    const file = join(dir, 'token');
    await writeFile(file, 'from-file\nignored\n');
    const env = { PULLSTORM_CONTROL_TOKEN: 'from-env' };
    expect(controlTokenFrom('from-flag', undefined, env)).toBe('from-flag');
    expect(controlTokenFrom(undefined, file, env)).toBe('from-file');
    expect(controlTokenFrom(undefined, undefined, env)).toBe('from-env');
    expect(controlTokenFrom(undefined, undefined, {})).toBeUndefined();
    expect(() => controlTokenFrom('a', file, env)).toThrow('expected one of them, got both');
    expect(() => controlTokenFrom(undefined, join(dir, 'missing'), env)).toThrow(
      /--control-token-file: expected a readable file, got .*missing \(ENOENT\)/,
    );
  });

  it('serve: users from --users-file and the token from --control-token-file, neither on the command line', async () => {
    const users = join(dir, 'htpasswd');
    const token = join(dir, 'control-token');
    await writeFile(users, `alice:${hash}\n`);
    await writeFile(token, 'file-token\n');
    await using serve = await startServeProcess([
      '--port',
      '0',
      '--no-fixtures',
      '--auth',
      'basic',
      '--users-file',
      users,
      '--control-token-file',
      token,
    ]);
    const url = serve.ready.url;
    expect((await fetch(`${url}/v2/`, { headers: basic('alice', 's3cret') })).status).toBe(200);
    expect((await fetch(`${url}/v2/`, { headers: basic('alice', 'wrong') })).status).toBe(401);
    const control = await fetch(`${serve.ready.controlUrl}/_pullstorm/faults`, {
      headers: { 'X-Pullstorm-Control-Token': 'file-token' },
    });
    expect(control.status).toBe(200);
    const cmdline = await readFile(`/proc/${serve.child.pid}/cmdline`, 'utf8');
    expect(cmdline).not.toContain('s3cret');
    expect(cmdline).not.toContain('file-token');
  });

  it('serve: PULLSTORM_CONTROL_TOKEN enables the control API', async () => {
    process.env.PULLSTORM_CONTROL_TOKEN = 'env-token';
    try {
      await using serve = await startServeProcess(['--port', '0', '--no-fixtures']);
      const control = await fetch(`${serve.ready.controlUrl}/_pullstorm/faults`, {
        headers: { 'X-Pullstorm-Control-Token': 'env-token' },
      });
      expect(control.status).toBe(200);
    } finally {
      delete process.env.PULLSTORM_CONTROL_TOKEN;
    }
  });
});
