/**
 * Password hashes as distribution's htpasswd auth reads them: bcrypt only (`$2a$`, `$2b$`, `$2y$`),
 * checked with bcryptjs (plain JavaScript, so Deno and Node run the same code). bcrypt is slow on
 * purpose (≈ 70 ms at cost 10), and Basic auth sends the password on every request, so a password
 * once verified is remembered (as a SHA-256 of hash and password, never the password) for the
 * next requests; wrong passwords are never remembered, so guessing stays as slow as bcrypt makes it.
 */
import { createHash } from 'node:crypto';
import bcrypt from 'bcryptjs';

/** The bcrypt hash prefixes distribution accepts. */
export const BCRYPT_HASH = /^\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}$/;

const remembered = new Set<string>();
// Enough for every user of a stub; when full, the oldest is forgotten.
const REMEMBERED_MAX = 1_024;

/** True when `password` matches the bcrypt `hash`. */
export async function matchesHash(hash: string, password: string): Promise<boolean> {
  const key = createHash('sha256').update(hash).update('\0').update(password).digest('hex');
  if (remembered.has(key)) return true;
  if (!(await bcrypt.compare(password, hash))) return false;
  if (remembered.size >= REMEMBERED_MAX) remembered.delete(remembered.values().next().value!);
  remembered.add(key);
  return true;
}

/**
 * An htpasswd file of `users` (`name:<bcrypt hash>` per line, cost 10), as `pullstorm serve
 * --users-file` and distribution read it: how the harness hands a stub in a container or a pod its
 * users without a password on the command line, where `ps`, `docker inspect` and the pod spec show it.
 */
export function htpasswdOf(users: readonly { username: string; password: string }[]): string {
  // Synchronous (≈ 70 ms a user): it runs while a run is provisioned, for the few users a scenario has.
  return users.map((u) => `${u.username}:${bcrypt.hashSync(u.password, 10)}\n`).join('');
}
