/**
 * Where `pullstorm serve` takes its secrets from, so they stay off the command line (which
 * `/proc/<pid>/cmdline`, `ps` and npm's debug log of an `npx` run show to anyone): the control
 * token from `--control-token-file` or `PULLSTORM_CONTROL_TOKEN`, users from `--users-file` in
 * htpasswd format as distribution reads it (`name:<bcrypt hash>` per line, blank lines and `#`
 * comments skipped, bcrypt only: `htpasswd -Bbn name password`). `--control-token` and `--user`
 * still work, for throwaway tokens on a laptop.
 */
import { readFileSync } from 'node:fs';
import { UsageError } from '../../vocab/errors.ts';
import { BCRYPT_HASH } from '../auth/bcrypt.ts';

/** The environment variable `serve` reads the control token from when no flag gives one. */
export const CONTROL_TOKEN_ENV = 'PULLSTORM_CONTROL_TOKEN';

/** A user of `serve`: a password in the clear (`--user`) or a bcrypt hash (`--users-file`). */
export type ServeUser = { username: string; password: string } | { username: string; passwordHash: string };

/** Reads `path` for `flag`, or a UsageError saying which file could not be read and why. */
function readSecretFile(flag: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code ?? (error as Error).message;
    throw new UsageError(`${flag}: expected a readable file, got ${path} (${code})`, { cause: error });
  }
}

/** The control token: `--control-token`, else the first line of `--control-token-file`, else the environment. */
export function controlTokenFrom(
  flag: string | undefined,
  file: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  if (flag !== undefined && file !== undefined)
    throw new UsageError('--control-token, --control-token-file: expected one of them, got both');
  if (flag !== undefined) return flag;
  if (file !== undefined) {
    const token = readSecretFile('--control-token-file', file).split(/\r?\n/)[0]!.trim();
    if (token === '')
      throw new UsageError(
        `--control-token-file: expected a token on the first line of ${file}, got an empty line`,
      );
    return token;
  }
  const fromEnv = env[CONTROL_TOKEN_ENV];
  return fromEnv === undefined || fromEnv.trim() === '' ? undefined : fromEnv.trim();
}

/** Users of an htpasswd file; a UsageError naming the line (never its hash) for an entry distribution would refuse. */
export function parseHtpasswd(text: string, file: string): ServeUser[] {
  const users: ServeUser[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const colon = line.indexOf(':');
    const where = `--users-file: ${file} line ${i + 1}`;
    if (colon <= 0) throw new UsageError(`${where}: expected <name>:<bcrypt hash>, got no name before ':'`);
    const hash = line.slice(colon + 1);
    if (!BCRYPT_HASH.test(hash)) {
      const kind = hash.startsWith('$apr1$')
        ? 'an MD5 (apr1) hash'
        : hash.startsWith('{SHA}')
          ? 'a SHA-1 hash'
          : 'no bcrypt hash';
      throw new UsageError(
        `${where}: expected a bcrypt hash ($2y$…, as htpasswd -B writes; distribution reads nothing else), got ${kind}`,
      );
    }
    users.push({ username: line.slice(0, colon), passwordHash: hash });
  });
  return users;
}

/** The users of `--users-file`, or none without it. */
export function usersFromFile(file: string | undefined): ServeUser[] {
  return file === undefined ? [] : parseHtpasswd(readSecretFile('--users-file', file), file);
}
