/**
 * A node's /etc/hosts, kept in the harness and written to the bind-mounted host file on every change.
 * Written in place (truncate and write, never rename): a bind mount pins the inode, so a renamed new
 * file would never be seen inside the container. containerd's Go resolver caches /etc/hosts for 5 s
 * and re-reads it when the modification time or size changed, so a change takes effect within 5 s.
 */
import { writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { renderHostsFile } from './files.ts';

/** The entries of one node's hosts file. */
export interface HostsEntries {
  /** Maps `name` to `ip`, or removes `name` (null), and rewrites the file. */
  set(name: string, ip: string | null): Promise<void>;
  /** The entries now, name → IP. */
  entries(): Record<string, string>;
  /** Writes the file as the entries stand. */
  write(): Promise<void>;
}

/** Entries of the hosts file at host path `file`, starting from `initial`; nothing is written until asked. */
export function hostsEntries(file: string, initial: Record<string, string>): HostsEntries {
  const map = new Map(Object.entries(initial));
  // Writes run one after another, so the file always ends with the last change.
  let queue: Promise<void> = Promise.resolve();
  const write = () => {
    const text = renderHostsFile(map);
    queue = queue.catch(() => undefined).then(() => writeFile(file, text));
    return queue;
  };
  return {
    set(name, ip) {
      if (typeof name !== 'string' || !/^[A-Za-z0-9.-]+$/.test(name)) {
        return Promise.reject(
          new TypeError(`setHostsEntry: expected a host name, got ${JSON.stringify(name)}`),
        );
      }
      if (ip !== null && isIP(ip) === 0) {
        return Promise.reject(
          new TypeError(`setHostsEntry: expected an IP address or null, got ${JSON.stringify(ip)}`),
        );
      }
      if (ip === null) map.delete(name);
      else map.set(name, ip);
      return write();
    },
    entries: () => Object.fromEntries(map),
    write,
  };
}
