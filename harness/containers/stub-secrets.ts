/**
 * A stub container's secrets as files copied into it before it starts, never as flags: a flag is in
 * `docker inspect`, in `ps` on the host and in any log of the command line. `pullstorm serve` reads
 * its users from an htpasswd of bcrypt hashes (`--users-file`) and its control token from
 * `--control-token-file`, so not even the container's own process list holds a password.
 */
import { htpasswdOf } from '../../registry-stubs/auth/bcrypt.ts';

/** Where the files go inside the stub container. */
const STUB_SECRETS_DIR = '/etc/pullstorm/secrets';
export const STUB_USERS_FILE = `${STUB_SECRETS_DIR}/htpasswd`;
export const STUB_CONTROL_TOKEN_FILE = `${STUB_SECRETS_DIR}/control-token`;

/** A file for testcontainers' `withCopyContentToContainer`. */
export interface SecretFile {
  content: string;
  target: string;
  mode: number;
}

/** The secret files of a stub with these users and control token (each only when given). */
export function stubSecretFiles(secrets: {
  users?: readonly { username: string; password: string }[];
  controlToken?: string;
}): SecretFile[] {
  const files: SecretFile[] = [];
  // 0444: the stub image may run as any user; the container is the run's alone.
  if (secrets.users?.length)
    files.push({ content: htpasswdOf(secrets.users), target: STUB_USERS_FILE, mode: 0o444 });
  if (secrets.controlToken !== undefined) {
    files.push({ content: `${secrets.controlToken}\n`, target: STUB_CONTROL_TOKEN_FILE, mode: 0o444 });
  }
  return files;
}
